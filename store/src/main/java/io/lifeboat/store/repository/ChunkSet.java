package io.lifeboat.store.repository;

import io.lifeboat.store.crypto.ChunkId;
import java.util.function.Consumer;

/**
 * A set of chunk ids at 32 bytes a slot (40–60 bytes an id, outside the heap once large; a
 * {@code HashSet} takes about 100 on the heap): what garbage collection marks live and keeps. Not
 * thread-safe.
 */
public final class ChunkSet {
    private static final long[] NONE = {};
    private final IdTable table;

    public ChunkSet() {
        table = new IdTable(0);
    }

    /** A set whose table hashes under {@code seed} (see {@link IdTable#hash}). */
    ChunkSet(long seed) {
        table = new IdTable(0, 0, seed);
    }

    /** Adds {@code id}; whether it was new. */
    public boolean add(ChunkId id) {
        return table.put(id, NONE);
    }

    public boolean contains(ChunkId id) {
        return table.get(id, null);
    }

    public int size() {
        return table.size();
    }

    /** The most used slots in a row: what a probe may have to walk. */
    int longestRun() {
        return table.longestRun();
    }

    public void forEach(Consumer<ChunkId> action) {
        table.forEach((id, none) -> action.accept(id));
    }
}
