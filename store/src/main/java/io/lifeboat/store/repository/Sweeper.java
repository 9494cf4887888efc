package io.lifeboat.store.repository;

import io.lifeboat.store.backend.Backend;
import io.lifeboat.store.crypto.ChunkId;
import io.lifeboat.store.io.DirectIo;
import io.lifeboat.store.pack.PackWriter;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The sweep half of garbage collection, given the chunks to keep and the unindexed packs whose
 * grace has run out: packs with nothing kept are deleted, packs mostly dead are repacked (kept
 * sealed chunks copied as they are into new packs, no decryption needed), and the index is
 * rewritten to name exactly the kept chunks. A repacked pack is not deleted now but retired: no
 * index names it any more, yet a reader that loaded the index before may still read it, so it
 * waits out the grace period like any unindexed pack. Unindexed packs not yet due (a running
 * backup's, say) are left alone. Order for crash safety: new packs, the new index, old index
 * files, then old packs; a crash at any point leaves every kept chunk indexed in a stored pack.
 */
public final class Sweeper {
    /** What a sweep did; {@code retired} packs are for the next collections to delete. */
    public record Result(int packsDeleted, int packsRepacked, int chunksDropped, long bytesFreed, Set<String> retired) {
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

    /**
     * Every backup adds an index file (one per {@link ChunkWriter#INDEX_ENTRIES} chunks) and every
     * writer lists them before it starts; a collection merges them into as few as hold the index
     * whenever it changes anything, and also when there are this many more than that.
     */
    static final int MAX_INDEX_FILES = 64;

    public Result sweep(Set<ChunkId> keep, Set<String> unindexedDue) throws IOException {
        Map<ChunkId, Location> index = repo.index();
        Map<String, Long> liveBytes = new HashMap<>();
        Set<String> indexed = new HashSet<>();
        Map<ChunkId, Location> kept = new HashMap<>();
        for (Map.Entry<ChunkId, Location> e : index.entrySet()) {
            indexed.add(e.getValue().pack());
            if (keep.contains(e.getKey())) {
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
            if (!indexed.contains(pack)) {
                if (unindexedDue.contains(pack)) {
                    delete.add(path);
                    freed += size;
                }
                continue;
            }
            long used = liveBytes.getOrDefault(pack, 0L);
            if (used == 0) {
                delete.add(path);
                freed += size;
            } else if (size - used > repackDeadShare * size) {
                repack.add(path);
                freed += size - used;
            }
        }
        Set<String> retired = new HashSet<>();
        if (kept.size() != index.size() || !repack.isEmpty() || !delete.isEmpty()
                || repo.indexFiles().size() > MAX_INDEX_FILES + index.size() / ChunkWriter.INDEX_ENTRIES) {
            Set<String> oldIndexes = new HashSet<>(repo.indexFiles());
            for (String path : repack) {
                copyLive(path, kept);
                retired.add(path.substring(path.lastIndexOf('/') + 1));
            }
            oldIndexes.removeAll(repo.putIndex(kept));
            for (String old : oldIndexes) {
                repo.backend().delete(old);
            }
            Set<ChunkId> gone = new HashSet<>(index.keySet());
            gone.removeAll(kept.keySet());
            repo.dropIndexes(oldIndexes, gone);
            for (String path : delete) {
                repo.backend().delete(path);
            }
        }
        return new Result(delete.size(), repack.size(), index.size() - kept.size(), freed, retired);
    }
    /** Copies a pack's live chunks into new packs and points {@code kept} at their new places. */
    private void copyLive(String path, Map<ChunkId, Location> kept) throws IOException {
        String pack = path.substring(path.lastIndexOf('/') + 1);
        byte[] data = repo.backend().get(path);
        Output out = new Output();
        try {
            for (Map.Entry<ChunkId, Location> e : new ArrayList<>(kept.entrySet())) {
                Location at = e.getValue();
                if (!at.pack().equals(pack)) {
                    continue;
                }
                out.writer.add(e.getKey(), ByteBuffer.wrap(data, (int) at.offset(), at.sealedLength()), at.plainLength());
                if (out.writer.size() >= packBytes) {
                    out.publish(kept);
                    out.close();
                    out = new Output();
                }
            }
            if (out.writer.count() > 0) {
                out.publish(kept);
            }
        } finally {
            out.close();
        }
    }

    /** A new pack whose bytes go to the backend as they are appended. */
    private final class Output implements AutoCloseable {
        final Backend.Upload upload = repo.backend().upload();
        final PackWriter writer = new PackWriter(repo.envelope(), piece -> {
            try {
                upload.write(piece);
            } finally {
                DirectIo.give(piece);
            }
        });

        void publish(Map<ChunkId, Location> kept) throws IOException {
            PackWriter.Pack done = writer.finish();
            upload.publish(Repository.packPath(done.name()));
            done.entries().forEach(e -> kept.put(e.id(), new Location(done.name(), e.offset(), e.sealedLength(),
                    e.plainLength())));
        }

        @Override
        public void close() {
            upload.close();
        }
    }
}
