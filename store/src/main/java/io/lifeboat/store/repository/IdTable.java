package io.lifeboat.store.repository;

import io.lifeboat.store.crypto.ChunkId;
import io.lifeboat.store.io.OffHeap;
import java.nio.LongBuffer;
import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Chunk ids, each with a few long words of value: an open-addressing table (linear probing) of
 * 32 bytes a slot, 8 a value word and a bit for whether the slot is used, grown when 80% full (by
 * half, or outside the heap by doubling), where a map of objects takes about 100 bytes an id and
 * more per value. It is split in
 * {@link #SEGMENTS} tables by the first bits of the ids' {@link #hash}, each grown on its own, so
 * growing never needs room for the whole table twice over. A segment past 128 KiB lives outside
 * the heap ({@link OffHeap}), so the heap holds at most 8 MiB of a table whatever the
 * repository's size. Ids are kept whole: a shortened one could call new data a duplicate.
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
            return new Segment(OffHeap.longs(words(capacity, valueWords)), capacity, valueWords, valuesAt, usedAt);
        }

        static long words(long capacity, int valueWords) {
            return capacity * (WORDS + valueWords) + (capacity + 63) / 64;
        }

        /** The 32 bits of the hash after the segment's pick the slot. */
        int start(long hash) {
            return (int) ((((hash << SEGMENT_BITS) >>> 32) * capacity) >>> 32);
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
        int find(ChunkId id, long hash) {
            long w0 = id.word(0);
            int slot = start(hash);
            for (int probes = 0; probes < capacity && used(slot); probes++, slot = next(slot)) {
                int base = slot * WORDS;
                if (words.get(base) == w0 && words.get(base + 1) == id.word(1) && words.get(base + 2) == id.word(2)
                        && words.get(base + 3) == id.word(3)) {
                    return slot;
                }
            }
            return -1;
        }

        long hash(long seed, int slot) {
            int base = slot * WORDS;
            return IdTable.hash(seed, words.get(base), words.get(base + 1), words.get(base + 2), words.get(base + 3));
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
    private final long seed;
    private final Segment[] segments = new Segment[SEGMENTS];
    private final int[] counts = new int[SEGMENTS];
    private int size;

    IdTable(int valueWords) {
        this(valueWords, 0);
    }

    /** A table sized for {@code expected} ids, so that filling it needs no growing. */
    IdTable(int valueWords, int expected) {
        this(valueWords, expected, ThreadLocalRandom.current().nextLong());
    }

    /** A sized table whose {@link #hash} has {@code seed}: tests build ids that crowd one run. */
    IdTable(int valueWords, int expected, long seed) {
        this.valueWords = valueWords;
        this.seed = seed;
        int capacity = (int) Math.max(16, (long) expected / SEGMENTS * 5 / 4 + 1);
        Arrays.setAll(segments, i -> Segment.of(capacity, valueWords));
    }

    /**
     * Where an id goes. Chunk ids and pack names are hashes, evenly spread already, but they are
     * hashed again, under a seed of this table's own: a table filled in another's order (gc fills
     * its sets walking the index) would otherwise take its keys in the order they go, piling them
     * into one ever longer run; and made-up names ("00…01", "00…02") would share one. For any fixed
     * last three words the hash is one to one in the first, so distinct ids stay spread.
     */
    static long hash(long seed, long w0, long w1, long w2, long w3) {
        return mix(w0 ^ seed ^ mix(w1 ^ Long.rotateLeft(w2, 21) ^ Long.rotateLeft(w3, 42)));
    }

    private long hash(ChunkId id) {
        return hash(seed, id.word(0), id.word(1), id.word(2), id.word(3));
    }

    /** A 64-bit finaliser (SplitMix64's): every input bit moves every output bit. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    private static int segmentOf(long hash) {
        return (int) (hash >>> (64 - SEGMENT_BITS));
    }

    int size() {
        return size;
    }

    /** Whether {@code id} is here; if so its value words are copied into {@code values} (may be null). */
    boolean get(ChunkId id, long[] values) {
        long hash = hash(id);
        Segment s = segments[segmentOf(hash)];
        int slot = s.find(id, hash);
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
        long hash = hash(id);
        int n = segmentOf(hash);
        Segment s = segments[n];
        int slot = s.find(id, hash);
        boolean added = slot < 0;
        if (added) {
            if ((counts[n] + 1) * 5L > s.capacity * 4L) {
                s = grown(s);
                segments[n] = s;
            }
            slot = s.start(hash);
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
        long hash = hash(id);
        int n = segmentOf(hash);
        Segment s = segments[n];
        int hole = s.find(id, hash);
        if (hole < 0) {
            return false;
        }
        // Backward-shift deletion: later entries of the run move up, so no probe meets a gap early.
        for (int next = s.next(hole); s.used(next); next = s.next(next)) {
            if (s.distance(s.start(s.hash(seed, next)), next) >= s.distance(hole, next)) {
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

    /** The most used slots in a row in any segment (ignoring wrap-around): for tests. */
    int longestRun() {
        int longest = 0;
        for (Segment s : segments) {
            int run = 0;
            for (int slot = 0; slot < s.capacity; slot++) {
                run = s.used(slot) ? run + 1 : 0;
                longest = Math.max(longest, run);
            }
        }
        return longest;
    }

    private Segment grown(Segment old) {
        // Outside the heap every page a segment first writes costs a fault (~10 µs here): growing
        // there by doubling writes twice a table's final size over its growth, not three times.
        long capacity = old.capacity + old.capacity / 2;
        Segment s = Segment.of((int) (Segment.words(capacity, valueWords) > OffHeap.HEAP_LONGS ? 2L * old.capacity : capacity),
                valueWords);
        for (int from = 0; from < old.capacity; from++) {
            if (!old.used(from)) {
                continue;
            }
            int slot = s.start(old.hash(seed, from));
            while (s.used(slot)) {
                slot = s.next(slot);
            }
            s.copy(old, from, slot);
        }
        return s;
    }
}
