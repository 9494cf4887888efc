package io.lifeboat.store.repository;

import io.lifeboat.store.crypto.ChunkId;
import io.lifeboat.store.pack.PackWriter;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The sweep half of garbage collection, given the set of live chunks: packs with nothing live are
 * deleted, packs mostly dead are repacked (live sealed chunks copied as they are into new packs,
 * no decryption needed), and the index is rewritten to name exactly the live chunks. Packs no
 * index names (left by a backup that died) are deleted too: the caller holds the exclusive lock,
 * so no backup is writing. Order for crash safety: new packs, then the new index, then old index
 * files, then old packs; a crash at any point leaves every live chunk indexed in a stored pack.
 */
public final class Sweeper {
    /** What a sweep did. */
    public record Result(int packsDeleted, int packsRepacked, int chunksDropped, long bytesFreed) {
    }

    private final Repository repo;
    private final double repackDeadShare;
    private final int packBytes;

    /** {@code repackDeadShare}: a pack is rewritten when more than this share of its bytes is dead. */
    public Sweeper(Repository repo, double repackDeadShare, int packBytes) {
        this.repo = repo;
        this.repackDeadShare = repackDeadShare;
        this.packBytes = packBytes;
    }

    public Result sweep(Set<ChunkId> live) throws IOException {
        Map<ChunkId, Location> index = repo.index();
        Map<String, Long> liveBytes = new HashMap<>();
        Map<ChunkId, Location> kept = new HashMap<>();
        for (Map.Entry<ChunkId, Location> e : index.entrySet()) {
            if (live.contains(e.getKey())) {
                kept.put(e.getKey(), e.getValue());
                liveBytes.merge(e.getValue().pack(), (long) e.getValue().sealedLength(), Long::sum);
            }
        }
        List<String> delete = new ArrayList<>();
        List<String> repack = new ArrayList<>();
        long freed = 0;
        for (String path : repo.backend().list("data/")) {
            String pack = path.substring(path.lastIndexOf('/') + 1);
            long size = repo.backend().size(path);
            long used = liveBytes.getOrDefault(pack, 0L);
            if (used == 0) {
                delete.add(path);
                freed += size;
            } else if (size - used > repackDeadShare * size) {
                repack.add(path);
                freed += size - used;
            }
        }
        Set<String> oldIndexes = new HashSet<>(repo.indexFiles().keySet());
        boolean indexChanges = kept.size() != index.size() || !repack.isEmpty();
        if (!delete.isEmpty() || indexChanges) {
            for (String path : repack) {
                copyLive(path, kept);
            }
            if (indexChanges) {
                String fresh = repo.putIndex(kept);
                oldIndexes.remove(fresh);
                for (String old : oldIndexes) {
                    repo.backend().delete(old);
                }
                Set<ChunkId> gone = new HashSet<>(index.keySet());
                gone.removeAll(kept.keySet());
                repo.dropIndexes(oldIndexes, gone);
            }
            for (String path : delete) {
                repo.backend().delete(path);
            }
            for (String path : repack) {
                repo.backend().delete(path);
            }
        }
        return new Result(delete.size(), repack.size(), index.size() - kept.size(), freed);
    }

    /** Copies a pack's live chunks into new packs and points {@code kept} at their new places. */
    private void copyLive(String path, Map<ChunkId, Location> kept) throws IOException {
        String pack = path.substring(path.lastIndexOf('/') + 1);
        byte[] data = repo.backend().get(path);
        PackWriter out = new PackWriter(repo.envelope());
        List<ChunkId> moved = new ArrayList<>();
        for (Map.Entry<ChunkId, Location> e : new ArrayList<>(kept.entrySet())) {
            Location at = e.getValue();
            if (!at.pack().equals(pack)) {
                continue;
            }
            byte[] sealed = java.util.Arrays.copyOfRange(data, (int) at.offset(), (int) at.offset() + at.sealedLength());
            out.add(e.getKey(), sealed, at.plainLength());
            moved.add(e.getKey());
            if (out.size() >= packBytes) {
                store(out, kept);
                out = new PackWriter(repo.envelope());
            }
        }
        if (out.count() > 0) {
            store(out, kept);
        }
    }

    private void store(PackWriter out, Map<ChunkId, Location> kept) throws IOException {
        PackWriter.Pack done = out.finish();
        repo.backend().put(Repository.packPath(done.name()), done.bytes());
        done.entries().forEach(e -> kept.put(e.id(), new Location(done.name(), e.offset(), e.sealedLength(),
                e.plainLength())));
    }
}
