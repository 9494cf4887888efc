package io.lifeboat.store.repository;

import io.lifeboat.store.crypto.ChunkId;

/**
 * Chunk ids with a time each (epoch milliseconds): when garbage collection condemned them. A
 * table like the index's, outside the heap once large, since deleting a large recovery point
 * condemns every chunk only it used. Not thread-safe for writes; reads may share it once written.
 */
public final class ChunkTimes {
    /** A visit of one entry. */
    public interface Visitor<E extends Exception> {
        void accept(ChunkId id, long time) throws E;
    }

    private final IdTable table = new IdTable(1);

    public void put(ChunkId id, long time) {
        table.put(id, time);
    }

    /** The time {@code id} has, or {@code absent}. */
    public long get(ChunkId id, long absent) {
        long[] time = new long[1];
        return table.get(id, time) ? time[0] : absent;
    }

    public boolean contains(ChunkId id) {
        return table.get(id, null);
    }

    public int size() {
        return table.size();
    }

    public boolean isEmpty() {
        return table.size() == 0;
    }

    public <E extends Exception> void forEach(Visitor<E> visitor) throws E {
        table.forEach((id, time) -> visitor.accept(id, time[0]));
    }
}
