package io.lifeboat.store.repository;

import io.lifeboat.store.crypto.ChunkId;
import java.io.IOException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.locks.StampedLock;
import java.util.function.Supplier;

/**
 * The in-memory index, chunk id to {@link Location}: an {@link IdTable} with two value words a
 * chunk (pack number and offset; sealed and plaintext length), 49 bytes a slot, 61–92 bytes a
 * chunk where a map of objects took about 190. It is what a repository's memory grows with. Reads
 * take no lock unless a write overlaps them; writes are serialised.
 */
final class ChunkIndex {
    private static final long OFFSET_BITS = 40;
    private static final long OFFSET_MASK = (1L << OFFSET_BITS) - 1;
    private static final int MAX_PACKS = (1 << (64 - OFFSET_BITS)) - 1;

    private final StampedLock lock = new StampedLock();
    private final IdTable table = new IdTable(2);
    private volatile String[] packs = new String[64];
    private final Map<String, Integer> packNumbers = new HashMap<>();

    int size() {
        long stamp = lock.readLock();
        try {
            return table.size();
        } finally {
            lock.unlockRead(stamp);
        }
    }

    boolean contains(ChunkId id) {
        return read(() -> table.get(id, null));
    }

    /** Where the chunk is, or null. */
    Location get(ChunkId id) {
        return read(() -> find(id));
    }

    /** {@code lookup} without the lock, or again under it if a write overlapped. */
    private <T> T read(Supplier<T> lookup) {
        long stamp = lock.tryOptimisticRead();
        T found = lookup.get();
        if (!lock.validate(stamp)) {
            stamp = lock.readLock();
            try {
                found = lookup.get();
            } finally {
                lock.unlockRead(stamp);
            }
        }
        return found;
    }

    /** The location from a table a writer may be changing: a torn read only costs the caller a retry. */
    private Location find(ChunkId id) {
        long[] where = new long[2];
        String[] names = packs;
        if (!table.get(id, where)) {
            return null;
        }
        int pack = (int) (where[0] >>> OFFSET_BITS);
        return pack < names.length && names[pack] != null ? location(names[pack], where) : null;
    }

    private static Location location(String pack, long[] where) {
        return new Location(pack, where[0] & OFFSET_MASK, (int) (where[1] >>> 32), (int) where[1]);
    }

    void put(ChunkId id, Location at) {
        if (at.offset() < 0 || at.offset() > OFFSET_MASK) {
            throw new IllegalArgumentException("pack offset " + at.offset() + " is out of the index's range");
        }
        long stamp = lock.writeLock();
        try {
            table.put(id, (long) packNumber(at.pack()) << OFFSET_BITS | at.offset(),
                    (long) at.sealedLength() << 32 | (at.plainLength() & 0xffffffffL));
        } finally {
            lock.unlockWrite(stamp);
        }
    }

    void remove(ChunkId id) {
        long stamp = lock.writeLock();
        try {
            table.remove(id);
        } finally {
            lock.unlockWrite(stamp);
        }
    }

    /** Every entry, under the read lock (writers wait): {@code action} must not write to this index. */
    void forEach(Repository.IndexVisitor action) throws IOException {
        long stamp = lock.readLock();
        try {
            String[] names = packs;
            table.forEach((id, where) -> action.accept(id, location(names[(int) (where[0] >>> OFFSET_BITS)], where)));
        } finally {
            lock.unlockRead(stamp);
        }
    }

    private int packNumber(String pack) {
        Integer known = packNumbers.get(pack);
        if (known != null) {
            return known;
        }
        int n = packNumbers.size();
        if (n >= MAX_PACKS) {
            throw new IllegalStateException("the index holds " + MAX_PACKS + " packs, its most");
        }
        String[] names = packs;
        if (n == names.length) {
            names = Arrays.copyOf(names, 2 * n);
        }
        names[n] = pack;
        packs = names;
        packNumbers.put(pack, n);
        return n;
    }
}
