package io.lifeboat.store.repository;

import io.lifeboat.store.crypto.ChunkId;
import java.util.Arrays;

/**
 * Chunk ids, each with a few long words of value, in flat arrays: an open-addressing table (linear
 * probing) of 33 bytes a slot plus 8 a value word, grown by half when 80% full, where a map of
 * objects takes about 100 bytes an id and more per value. It is split in {@link #SEGMENTS} tables
 * by the ids' first bits, each grown on its own, so growing never needs room for the whole table
 * twice over. Ids are kept whole: a shortened one could call new data a duplicate.
 *
 * <p>Not thread-safe. {@link #get} may run while a writer changes the table, as {@link ChunkIndex}'s
 * optimistic reads do: it reads one segment's arrays and stops after a table's worth of probes,
 * so what it returns is at worst wrong (and discarded by the caller's validation), never a hang.
 */
final class IdTable {
    /** Visits an id and its value words (a fresh array each time). */
    interface Visitor<E extends Exception> {
        void accept(ChunkId id, long[] values) throws E;
    }

    private static final int WORDS = ChunkId.LENGTH / 8;
    private static final int SEGMENT_BITS = 6;
    private static final int SEGMENTS = 1 << SEGMENT_BITS;

    private record Segment(long[] ids, long[] values, byte[] used, int capacity) {
        /** Ids are keyed hashes, evenly spread already: the 32 bits after the segment's pick the slot. */
        int start(long w0) {
            return (int) ((((w0 << SEGMENT_BITS) >>> 32) * capacity) >>> 32);
        }

        int next(int slot) {
            return slot + 1 == capacity ? 0 : slot + 1;
        }

        /** How many slots past {@code from} {@code slot} lies, around the end. */
        int distance(int from, int slot) {
            return slot >= from ? slot - from : slot + capacity - from;
        }

        /** The slot holding {@code id}, or -1. */
        int find(ChunkId id) {
            long w0 = id.word(0);
            int slot = start(w0);
            for (int probes = 0; probes < capacity && used[slot] != 0; probes++, slot = next(slot)) {
                int base = slot * WORDS;
                if (ids[base] == w0 && ids[base + 1] == id.word(1) && ids[base + 2] == id.word(2)
                        && ids[base + 3] == id.word(3)) {
                    return slot;
                }
            }
            return -1;
        }

        ChunkId id(int slot) {
            int base = slot * WORDS;
            return ChunkId.ofWords(ids[base], ids[base + 1], ids[base + 2], ids[base + 3]);
        }
    }

    private final int valueWords;
    private final Segment[] segments = new Segment[SEGMENTS];
    private final int[] counts = new int[SEGMENTS];
    private int size;

    IdTable(int valueWords) {
        this.valueWords = valueWords;
        Arrays.setAll(segments, i -> segment(16));
    }

    private Segment segment(int slots) {
        return new Segment(new long[slots * WORDS], new long[slots * valueWords], new byte[slots], slots);
    }

    private static int segmentOf(ChunkId id) {
        return (int) (id.word(0) >>> (64 - SEGMENT_BITS));
    }

    int size() {
        return size;
    }

    /** Whether {@code id} is here; if so its value words are copied into {@code values} (may be null). */
    boolean get(ChunkId id, long[] values) {
        Segment s = segments[segmentOf(id)];
        int slot = s.find(id);
        if (slot < 0) {
            return false;
        }
        if (values != null) {
            System.arraycopy(s.values, slot * valueWords, values, 0, valueWords);
        }
        return true;
    }

    /** Adds {@code id} or replaces its values; whether it was new. */
    boolean put(ChunkId id, long... values) {
        int n = segmentOf(id);
        Segment s = segments[n];
        int slot = s.find(id);
        boolean added = slot < 0;
        if (added) {
            if ((counts[n] + 1) * 5L > s.capacity * 4L) {
                s = grown(s);
                segments[n] = s;
            }
            slot = s.start(id.word(0));
            while (s.used[slot] != 0) {
                slot = s.next(slot);
            }
            for (int w = 0; w < WORDS; w++) {
                s.ids[slot * WORDS + w] = id.word(w);
            }
            counts[n]++;
            size++;
        }
        System.arraycopy(values, 0, s.values, slot * valueWords, valueWords);
        s.used[slot] = 1;
        return added;
    }

    /** Removes {@code id}; whether it was here. */
    boolean remove(ChunkId id) {
        int n = segmentOf(id);
        Segment s = segments[n];
        int hole = s.find(id);
        if (hole < 0) {
            return false;
        }
        // Backward-shift deletion: later entries of the run move up, so no probe meets a gap early.
        for (int next = s.next(hole); s.used[next] != 0; next = s.next(next)) {
            if (s.distance(s.start(s.ids[next * WORDS]), next) >= s.distance(hole, next)) {
                System.arraycopy(s.ids, next * WORDS, s.ids, hole * WORDS, WORDS);
                System.arraycopy(s.values, next * valueWords, s.values, hole * valueWords, valueWords);
                hole = next;
            }
        }
        s.used[hole] = 0;
        counts[n]--;
        size--;
        return true;
    }

    <E extends Exception> void forEach(Visitor<E> visitor) throws E {
        for (Segment s : segments) {
            for (int slot = 0; slot < s.capacity; slot++) {
                if (s.used[slot] != 0) {
                    visitor.accept(s.id(slot), Arrays.copyOfRange(s.values, slot * valueWords, (slot + 1) * valueWords));
                }
            }
        }
    }

    private Segment grown(Segment old) {
        Segment s = segment(old.capacity + old.capacity / 2);
        for (int from = 0; from < old.capacity; from++) {
            if (old.used[from] == 0) {
                continue;
            }
            int slot = s.start(old.ids[from * WORDS]);
            while (s.used[slot] != 0) {
                slot = s.next(slot);
            }
            System.arraycopy(old.ids, from * WORDS, s.ids, slot * WORDS, WORDS);
            System.arraycopy(old.values, from * valueWords, s.values, slot * valueWords, valueWords);
            s.used[slot] = 1;
        }
        return s;
    }
}
