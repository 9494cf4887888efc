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
import java.util.function.Predicate;

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
    public record Result(int packsDeleted, int packsRepacked, int chunksDropped, long bytesFreed, Set<String> retired,
                         int abandonedUploadsDeleted) {
        public Result withAbandonedUploadsDeleted(int n) {
            return new Result(packsDeleted, packsRepacked, chunksDropped, bytesFreed, retired, n);
        }
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

    /**
     * What the collection's one walk of the index found for the sweep: the live bytes of each
     * indexed pack (0 if nothing in it is kept), and how many chunks are indexed and kept.
     */
    public static final class Survey {
        private final IdLongs liveBytes = new IdLongs();
        private int indexed;
        private int kept;
        private final PackIds packIds = new PackIds();

        /** Counts an indexed chunk at {@code at}, kept or not. */
        public void add(Location at, boolean keep) {
            indexed++;
            kept += keep ? 1 : 0;
            liveBytes.add(packIds.of(at.pack()), keep ? at.sealedLength() : 0);
        }

        /** Whether the index names the pack whose id ({@link Repository#packId}) this is. */
        public boolean indexes(ChunkId pack) {
            return liveBytes.contains(pack);
        }
    }

    /**
     * Sweeps, keeping the indexed chunks {@code keep} accepts, as {@code survey} counted them.
     * Memory: the packs' names to delete or repack, the live entries of packs being repacked, one
     * index file's entries at a time, and tables like the index's (outside the heap once large) of
     * the chunks repacked and dropped; the index itself is read in place, never copied.
     */
    public Result sweep(Survey survey, Predicate<ChunkId> keep, Set<String> unindexedDue) throws IOException {
        List<String> delete = new ArrayList<>();
        List<String> repack = new ArrayList<>();
        long freed = 0;
        for (String path : repo.backend().list("data/")) {
            String pack = Repository.packName(path);
            ChunkId id = Repository.packId(pack);
            long used = id == null ? -1 : survey.liveBytes.get(id, -1);
            if (used < 0) { // unindexed
                if (unindexedDue.contains(pack)) {
                    delete.add(path);
                    freed += repo.backend().size(path);
                }
                continue;
            }
            long size = repo.backend().size(path);
            if (used == 0) {
                delete.add(path);
                freed += size;
            } else if (size - used > repackDeadShare * size) {
                repack.add(path);
                freed += size - used;
            }
        }
        Set<String> retired = new HashSet<>();
        Set<String> oldIndexes = new HashSet<>(repo.indexFiles());
        if (survey.kept != survey.indexed || !repack.isEmpty() || !delete.isEmpty()
                || oldIndexes.size() > MAX_INDEX_FILES + survey.indexed / ChunkWriter.INDEX_ENTRIES) {
            ChunkIndex moved = new ChunkIndex();
            Map<String, List<Map.Entry<ChunkId, Location>>> live = liveIn(repack, keep);
            for (String path : repack) {
                String pack = Repository.packName(path);
                copyLive(path, live.getOrDefault(pack, List.of()), moved);
                retired.add(pack);
            }
            Set<String> fresh = new HashSet<>();
            ChunkSet gone = new ChunkSet();
            List<Map.Entry<ChunkId, Location>> part = new ArrayList<>();
            repo.forEachIndexed((id, at) -> {
                if (!keep.test(id)) {
                    gone.add(id);
                    return;
                }
                Location now = moved.get(id);
                part.add(Map.entry(id, now != null ? now : at));
                if (part.size() == ChunkWriter.INDEX_ENTRIES) {
                    fresh.add(repo.writeIndexFile(part));
                    part.clear();
                }
            });
            if (!part.isEmpty() || fresh.isEmpty()) {
                fresh.add(repo.writeIndexFile(part));
            }
            oldIndexes.removeAll(fresh);
            for (String old : oldIndexes) {
                repo.backend().delete(old);
            }
            repo.indexReplaced(oldIndexes, fresh, moved, gone);
            for (String path : delete) {
                repo.backend().delete(path);
            }
        }
        return new Result(delete.size(), repack.size(), survey.indexed - survey.kept, freed, retired, 0);
    }

    /** The kept chunks of the packs at {@code paths}, by pack: one walk of the index for all of them. */
    private Map<String, List<Map.Entry<ChunkId, Location>>> liveIn(List<String> paths, Predicate<ChunkId> keep)
            throws IOException {
        Map<String, List<Map.Entry<ChunkId, Location>>> live = new HashMap<>();
        paths.forEach(path -> live.put(Repository.packName(path), new ArrayList<>()));
        if (!live.isEmpty()) {
            repo.forEachIndexed((id, at) -> {
                List<Map.Entry<ChunkId, Location>> in = live.get(at.pack());
                if (in != null && keep.test(id)) {
                    in.add(Map.entry(id, at));
                }
            });
        }
        return live;
    }

    /** Copies a pack's kept chunks ({@code live}) into new packs; their new places go to {@code moved}. */
    private void copyLive(String path, List<Map.Entry<ChunkId, Location>> live, ChunkIndex moved) throws IOException {
        byte[] data = repo.backend().get(path);
        Output out = new Output();
        try {
            for (Map.Entry<ChunkId, Location> e : live) {
                Location at = e.getValue();
                out.writer.add(e.getKey(), ByteBuffer.wrap(data, (int) at.offset(), at.sealedLength()), at.plainLength());
                if (out.writer.size() >= packBytes) {
                    out.publish(moved);
                    out.close();
                    out = new Output();
                }
            }
            if (out.writer.count() > 0) {
                out.publish(moved);
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

        void publish(ChunkIndex moved) throws IOException {
            PackWriter.Pack done = writer.finish();
            upload.publish(Repository.packPath(done.name()));
            done.entries().forEach(e -> moved.put(e.id(), new Location(done.name(), e.offset(), e.sealedLength(),
                    e.plainLength())));
        }

        @Override
        public void close() {
            upload.close();
        }
    }
}
