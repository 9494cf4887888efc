package io.lifeboat.store.repository;

import io.lifeboat.store.crypto.ChunkId;
import io.lifeboat.store.io.OffHeap;
import java.nio.LongBuffer;
import java.util.Arrays;

/**
 * Chunk ids, each with a few long words of value: an open-addressing table (linear probing) of
 * 32 bytes a slot, 8 a value word and a bit for whether the slot is used, grown by half when 80%
 * full, where a map of objects takes about 100 bytes an id and more per value. It is split in
 * {@link #SEGMENTS} tables by the ids' first bits, each grown on its own, so growing never needs
 * room for the whole table twice over. A segment past a few thousand slots lives outside the heap
 * ({@link OffHeap}), so the heap holds the same few kilobytes of it whatever the repository's
 * size. Ids are kept whole: a shortened one could call new data a duplicate.
 *
 * <p>Not thread-safe. {@link #get} may run while a writer changes the table, as {@link ChunkIndex}'s
 * optimistic reads do: it reads one segment and stops after a table's worth of probes, so what it
 * returns is at worst wrong (and discarded by the caller's validation), never a hang. A segment
 * replaced by a bigger one is freed only once no reader holds it.
 */
final class IdTable {
    /** Visits an id and its value words (a fresh array each time). */
    interface Visitor<E extends Exception> {
        void accept(ChunkId id, long[] values) throws E;
    }

    private static final int WORDS = ChunkId.LENGTH / 8;
    private static final int SEGMENT_BITS = 6;
    private static final int SEGMENTS = 1 << SEGMENT_BITS;

    /** One buffer: the slots' ids, then their values, then a bit a slot saying it is used. */
    private record Segment(LongBuffer words, int capacity, int valueWords, int valuesAt, int usedAt) {
        static Segment of(int capacity, int valueWords) {
            int valuesAt = capacity * WORDS;
            int usedAt = valuesAt + capacity * valueWords;
            return new Segment(OffHeap.longs(usedAt + (capacity + 63L) / 64), capacity, valueWords, valuesAt, usedAt);
        }

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

        boolean used(int slot) {
            return (words.get(usedAt + (slot >>> 6)) & 1L << slot) != 0;
        }

        void used(int slot, boolean used) {
            int at = usedAt + (slot >>> 6);
            long bits = words.get(at);
            words.put(at, used ? bits | 1L << slot : bits & ~(1L << slot));
        }

        /** The slot holding {@code id}, or -1. */
        int find(ChunkId id) {
            long w0 = id.word(0);
            int slot = start(w0);
            for (int probes = 0; probes < capacity && used(slot); probes++, slot = next(slot)) {
                int base = slot * WORDS;
                if (words.get(base) == w0 && words.get(base + 1) == id.word(1) && words.get(base + 2) == id.word(2)
                        && words.get(base + 3) == id.word(3)) {
                    return slot;
                }
            }
            return -1;
        }

        ChunkId id(int slot) {
            int base = slot * WORDS;
            return ChunkId.ofWords(words.get(base), words.get(base + 1), words.get(base + 2), words.get(base + 3));
        }

        // Word by word: the buffers' bulk copies cost more than they save on a few words.
        void getValues(int slot, long[] into) {
            for (int v = 0; v < valueWords; v++) {
                into[v] = words.get(valuesAt + slot * valueWords + v);
            }
        }

        void setValues(int slot, long[] from) {
            for (int v = 0; v < valueWords; v++) {
                words.put(valuesAt + slot * valueWords + v, from[v]);
            }
        }

        /** Copies slot {@code from} of {@code source} (this segment or another) into {@code slot}. */
        void copy(Segment source, int from, int slot) {
            for (int w = 0; w < WORDS; w++) {
                words.put(slot * WORDS + w, source.words.get(from * WORDS + w));
            }
            for (int v = 0; v < valueWords; v++) {
                words.put(valuesAt + slot * valueWords + v, source.words.get(source.valuesAt + from * valueWords + v));
            }
            used(slot, true);
        }
    }

    private final int valueWords;
    private final Segment[] segments = new Segment[SEGMENTS];
    private final int[] counts = new int[SEGMENTS];
    private int size;

    IdTable(int valueWords) {
        this.valueWords = valueWords;
        Arrays.setAll(segments, i -> Segment.of(16, valueWords));
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
            s.getValues(slot, values);
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
            while (s.used(slot)) {
                slot = s.next(slot);
            }
            for (int w = 0; w < WORDS; w++) {
                s.words.put(slot * WORDS + w, id.word(w));
            }
            counts[n]++;
            size++;
        }
        s.setValues(slot, values);
        s.used(slot, true);
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
        for (int next = s.next(hole); s.used(next); next = s.next(next)) {
            if (s.distance(s.start(s.words.get(next * WORDS)), next) >= s.distance(hole, next)) {
                s.copy(s, next, hole);
                hole = next;
            }
        }
        s.used(hole, false);
        counts[n]--;
        size--;
        return true;
    }

    <E extends Exception> void forEach(Visitor<E> visitor) throws E {
        for (Segment s : segments) {
            for (int slot = 0; slot < s.capacity; slot++) {
                if (s.used(slot)) {
                    long[] values = new long[valueWords];
                    s.getValues(slot, values);
                    visitor.accept(s.id(slot), values);
                }
            }
        }
    }

    private Segment grown(Segment old) {
        Segment s = Segment.of(old.capacity + old.capacity / 2, valueWords);
        for (int from = 0; from < old.capacity; from++) {
            if (!old.used(from)) {
                continue;
            }
            int slot = s.start(old.words.get(from * WORDS));
            while (s.used(slot)) {
                slot = s.next(slot);
            }
            s.copy(old, from, slot);
        }
        return s;
    }
}
