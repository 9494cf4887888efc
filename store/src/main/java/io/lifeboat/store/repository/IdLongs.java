package io.lifeboat.store.repository;

import io.lifeboat.store.crypto.ChunkId;

/**
 * 32-byte ids (chunk ids, pack names) with a long each: when garbage collection condemned a chunk,
 * how many live bytes a pack holds. A table like the index's, outside the heap once large, since
 * deleting a large recovery point condemns every chunk only it used. Not thread-safe for writes;
 * reads may share it once written.
 */
public final class IdLongs {
    /** A visit of one entry. */
    public interface Visitor<E extends Exception> {
        void accept(ChunkId id, long value) throws E;
    }

    private final IdTable table;

    public IdLongs() {
        this(0);
    }

    /** A table sized for {@code expected} ids. */
    public IdLongs(int expected) {
        table = new IdTable(1, expected);
    }

    public void put(ChunkId id, long value) {
        table.put(id, value);
    }

    /** Adds {@code delta} to {@code id}'s value (0 if absent). */
    public void add(ChunkId id, long delta) {
        table.put(id, get(id, 0) + delta);
    }

    /** The value {@code id} has, or {@code absent}. */
    public long get(ChunkId id, long absent) {
        long[] value = new long[1];
        return table.get(id, value) ? value[0] : absent;
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
        table.forEach((id, value) -> visitor.accept(id, value[0]));
    }
}
