package io.lifeboat.store.repository;

import io.lifeboat.store.crypto.ChunkId;
import io.lifeboat.store.io.OffHeap;
import java.io.IOException;
import java.nio.LongBuffer;
import java.util.concurrent.locks.StampedLock;
import java.util.function.Supplier;

/**
 * The in-memory index, chunk id to {@link Location}: an {@link IdTable} with two value words a
 * chunk (pack number and offset; sealed and plaintext length), 48 bytes a slot, 60–90 bytes a
 * chunk where a map of objects took about 190, and like the pack names outside the heap once it
 * is large ({@link io.lifeboat.store.io.OffHeap}): a repository's heap does not grow with its
 * size. Reads take no lock unless a write overlaps them; writes are serialised.
 */
final class ChunkIndex {
    private static final long OFFSET_BITS = 40;
    private static final long OFFSET_MASK = (1L << OFFSET_BITS) - 1;
    private static final int MAX_PACKS = (1 << (64 - OFFSET_BITS)) - 1;

    private final StampedLock lock = new StampedLock();
    private final IdTable table;
    /** Pack names (32 bytes each, as four words) by number, and numbers by name: outside the heap too. */
    private volatile LongBuffer packNames = OffHeap.longs(64 * 4);
    private volatile int packs;
    private final IdTable packNumbers = new IdTable(1);
    /**
     * Some packs' names as strings, a slot a number: a walk of the index or a restore reads the
     * same few packs' names over and over. A number never changes its name.
     */
    private record Named(int number, String name) {
    }

    private final Named[] nameCache = new Named[4096];
    /** The pack the last put named, and its number: puts come a pack at a time. Under the write lock. */
    private String lastPack;
    private int lastPackNumber;

    ChunkIndex() {
        this(0);
    }

    /** An index sized for {@code expected} chunks. */
    ChunkIndex(int expected) {
        table = new IdTable(2, expected);
    }

    /** An index whose table hashes under {@code seed} (see {@link IdTable#hash}). */
    ChunkIndex(int expected, long seed) {
        table = new IdTable(2, expected, seed);
    }

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
        if (!table.get(id, where)) {
            return null;
        }
        int pack = (int) (where[0] >>> OFFSET_BITS);
        LongBuffer names = packNames;
        return pack < packs && (pack + 1) * 4 <= names.capacity() ? location(names, where) : null;
    }

    private Location location(LongBuffer packNames, long[] where) {
        int number = (int) (where[0] >>> OFFSET_BITS);
        int slot = number & (nameCache.length - 1);
        Named named = nameCache[slot];
        if (named == null || named.number != number) {
            int at = number * 4;
            named = new Named(number, ChunkId.ofWords(packNames.get(at), packNames.get(at + 1), packNames.get(at + 2),
                    packNames.get(at + 3)).toString());
            nameCache[slot] = named; // a race only costs another lookup: the record is whole either way
        }
        return new Location(named.name, where[0] & OFFSET_MASK, (int) (where[1] >>> 32), (int) where[1]);
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
            LongBuffer names = packNames;
            table.forEach((id, where) -> action.accept(id, location(names, where)));
        } finally {
            lock.unlockRead(stamp);
        }
    }

    private int packNumber(String pack) {
        if (pack.equals(lastPack)) {
            return lastPackNumber;
        }
        lastPackNumber = numberOf(pack);
        lastPack = pack;
        return lastPackNumber;
    }

    private int numberOf(String pack) {
        ChunkId name = ChunkId.parse(pack);
        long[] known = new long[1];
        if (packNumbers.get(name, known)) {
            return (int) known[0];
        }
        int n = packs;
        if (n >= MAX_PACKS) {
            throw new IllegalStateException("the index holds " + MAX_PACKS + " packs, its most");
        }
        LongBuffer names = packNames;
        if ((n + 1) * 4 > names.capacity()) {
            LongBuffer more = OffHeap.longs(names.capacity() * 2L);
            more.put(0, names, 0, n * 4);
            names = more;
        }
        for (int w = 0; w < 4; w++) {
            names.put(n * 4 + w, name.word(w));
        }
        packNames = names;
        packNumbers.put(name, n);
        packs = n + 1;
        return n;
    }
}
