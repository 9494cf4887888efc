package io.lifeboat.store.repository;

import io.lifeboat.store.crypto.ChunkId;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.locks.StampedLock;
import java.util.function.BiConsumer;

/**
 * The in-memory index, chunk id to {@link Location}, in flat arrays: an open-addressing table
 * (linear probing) of 48 bytes a slot, grown by half when 80% full, so 60–90 bytes a chunk where
 * a map of objects took about 190. It is split in {@link #SEGMENTS} tables by the ids' first bits,
 * each grown on its own, so growing never needs room for the whole index twice over. It is what a repository's memory grows with, so it is
 * kept as small as it can be without giving up exact lookups (a shortened id could call new data
 * a duplicate). Reads take no lock unless a write overlaps them; writes are serialised.
 */
final class ChunkIndex {
    private static final int WORDS = ChunkId.LENGTH / 8;
    private static final long OFFSET_BITS = 40;
    private static final long OFFSET_MASK = (1L << OFFSET_BITS) - 1;
    private static final int MAX_PACKS = (1 << (64 - OFFSET_BITS)) - 2;
    private static final int SEGMENT_BITS = 6;
    private static final int SEGMENTS = 1 << SEGMENT_BITS;

    /** The slots: ids as {@link #WORDS} longs each; where as (pack number + 1, offset) and (sealed, plain) length. */
    private record Table(long[] ids, long[] where, int capacity) {
        static Table of(int slots) {
            return new Table(new long[slots * WORDS], new long[slots * 2], slots);
        }

        /** Ids are keyed hashes, evenly spread already: the 32 bits after the segment's pick the slot. */
        int start(long w0) {
            return (int) ((((w0 << SEGMENT_BITS) >>> 32) * capacity) >>> 32);
        }

        int next(int slot) {
            return slot + 1 == capacity ? 0 : slot + 1;
        }

        /** How many slots past its start {@code slot} lies, around the end. */
        int distance(int from, int slot) {
            return slot >= from ? slot - from : slot + capacity - from;
        }
    }

    private final StampedLock lock = new StampedLock();
    /** The segments; a segment's table is replaced when it grows (an array element write, under the lock). */
    private final Table[] tables = new Table[SEGMENTS];
    private volatile String[] packs = new String[64];
    private final Map<String, Integer> packNumbers = new HashMap<>();
    private final int[] counts = new int[SEGMENTS];
    private int size;

    ChunkIndex() {
        Arrays.setAll(tables, i -> Table.of(16));
    }

    private static int segment(long w0) {
        return (int) (w0 >>> (64 - SEGMENT_BITS));
    }

    int size() {
        long stamp = lock.readLock();
        try {
            return size;
        } finally {
            lock.unlockRead(stamp);
        }
    }

    boolean contains(ChunkId id) {
        return get(id) != null;
    }

    /** Where the chunk is, or null. */
    Location get(ChunkId id) {
        long stamp = lock.tryOptimisticRead();
        Location at = find(id);
        if (!lock.validate(stamp)) {
            stamp = lock.readLock();
            try {
                at = find(id);
            } finally {
                lock.unlockRead(stamp);
            }
        }
        return at;
    }

    /**
     * The chunk's location from a table that a writer may be changing: everything is read into
     * locals first and probing stops after a table's worth of slots, so a torn read costs nothing
     * but a retry under the lock.
     */
    private Location find(ChunkId id) {
        Table t = tables[segment(id.word(0))];
        String[] names = packs;
        int slot = slot(t, id);
        if (slot < 0) {
            return null;
        }
        long packAndOffset = t.where[2 * slot];
        long lengths = t.where[2 * slot + 1];
        int pack = (int) (packAndOffset >>> OFFSET_BITS) - 1;
        if (pack < 0 || pack >= names.length || names[pack] == null) {
            return null; // torn: the caller validates and retries
        }
        return new Location(names[pack], packAndOffset & OFFSET_MASK, (int) (lengths >>> 32), (int) lengths);
    }

    /** The slot holding {@code id}, or -1. */
    private static int slot(Table t, ChunkId id) {
        long w0 = id.word(0);
        int slot = t.start(w0);
        for (int probes = 0; probes < t.capacity; probes++, slot = t.next(slot)) {
            if (t.where[2 * slot] == 0) {
                return -1;
            }
            if (matches(t, slot, id, w0)) {
                return slot;
            }
        }
        return -1;
    }

    private static boolean matches(Table t, int slot, ChunkId id, long w0) {
        int base = slot * WORDS;
        return t.ids[base] == w0 && t.ids[base + 1] == id.word(1) && t.ids[base + 2] == id.word(2)
                && t.ids[base + 3] == id.word(3);
    }

    void put(ChunkId id, Location at) {
        if (at.offset() < 0 || at.offset() > OFFSET_MASK) {
            throw new IllegalArgumentException("pack offset " + at.offset() + " is out of the index's range");
        }
        long stamp = lock.writeLock();
        try {
            int segment = segment(id.word(0));
            Table t = tables[segment];
            if ((counts[segment] + 1) * 5L > t.capacity * 4L) {
                t = grown(t);
                tables[segment] = t;
            }
            int slot = slot(t, id);
            if (slot < 0) {
                slot = t.start(id.word(0));
                while (t.where[2 * slot] != 0) {
                    slot = t.next(slot);
                }
                for (int w = 0; w < WORDS; w++) {
                    t.ids[slot * WORDS + w] = id.word(w);
                }
                counts[segment]++;
                size++;
            }
            t.where[2 * slot + 1] = (long) at.sealedLength() << 32 | (at.plainLength() & 0xffffffffL);
            t.where[2 * slot] = (long) (packNumber(at.pack()) + 1) << OFFSET_BITS | at.offset();
        } finally {
            lock.unlockWrite(stamp);
        }
    }

    void putAll(Map<ChunkId, Location> entries) {
        entries.forEach(this::put);
    }

    void remove(ChunkId id) {
        long stamp = lock.writeLock();
        try {
            int segment = segment(id.word(0));
            Table t = tables[segment];
            int hole = slot(t, id);
            if (hole < 0) {
                return;
            }
            // Backward-shift deletion: later entries of the run move up, so no probe meets a gap early.
            for (int next = t.next(hole); t.where[2 * next] != 0; next = t.next(next)) {
                if (t.distance(t.start(t.ids[next * WORDS]), next) >= t.distance(hole, next)) {
                    System.arraycopy(t.ids, next * WORDS, t.ids, hole * WORDS, WORDS);
                    System.arraycopy(t.where, 2 * next, t.where, 2 * hole, 2);
                    hole = next;
                }
            }
            t.where[2 * hole] = 0;
            t.where[2 * hole + 1] = 0;
            counts[segment]--;
            size--;
        } finally {
            lock.unlockWrite(stamp);
        }
    }

    /** Every entry, under the read lock (writers wait). */
    void forEach(BiConsumer<ChunkId, Location> action) {
        long stamp = lock.readLock();
        try {
            for (Table t : tables) {
                for (int slot = 0; slot < t.capacity; slot++) {
                    if (t.where[2 * slot] != 0) {
                        int base = slot * WORDS;
                        ChunkId id = ChunkId.ofWords(t.ids[base], t.ids[base + 1], t.ids[base + 2], t.ids[base + 3]);
                        action.accept(id, find(id));
                    }
                }
            }
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

    private static Table grown(Table old) {
        Table t = Table.of(old.capacity + old.capacity / 2);
        for (int from = 0; from < old.capacity; from++) {
            if (old.where[2 * from] == 0) {
                continue;
            }
            int slot = t.start(old.ids[from * WORDS]);
            while (t.where[2 * slot] != 0) {
                slot = t.next(slot);
            }
            System.arraycopy(old.ids, from * WORDS, t.ids, slot * WORDS, WORDS);
            System.arraycopy(old.where, 2 * from, t.where, 2 * slot, 2);
        }
        return t;
    }
}
