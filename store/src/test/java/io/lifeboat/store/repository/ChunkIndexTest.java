package io.lifeboat.store.repository;

import static org.assertj.core.api.Assertions.assertThat;

import io.lifeboat.store.crypto.ChunkId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** The index's table and the id set that share it ({@link IdTable}). */
class ChunkIndexTest {
    /** Spreads a few hashes over the whole table, its last slots (where probes wrap) too. */
    static final long SPREAD = 0x9E3779B97F4A7C15L;

    /** The seed of the tables these tests crowd. */
    static final long SEED = 42;

    /** A random id whose table hash (under {@link #SEED}) is {@code hash}: many crowd one probe run. */
    static ChunkId crowded(long hash, Random r) {
        long w1 = r.nextLong();
        long w2 = r.nextLong();
        long w3 = r.nextLong();
        long w0 = unmix(hash) ^ SEED ^ IdTable.mix(w1 ^ Long.rotateLeft(w2, 21) ^ Long.rotateLeft(w3, 42));
        ChunkId id = ChunkId.ofWords(w0, w1, w2, w3);
        assertThat(IdTable.hash(SEED, w0, w1, w2, w3)).isEqualTo(hash);
        return id;
    }

    /** The inverse of {@link IdTable#mix}: each xor-shift and multiplication undone in turn. */
    static long unmix(long z) {
        z = z ^ (z >>> 31) ^ (z >>> 62);
        z *= inverse(0x94d049bb133111ebL);
        z = z ^ (z >>> 27) ^ (z >>> 54);
        z *= inverse(0xbf58476d1ce4e5b9L);
        return z ^ (z >>> 30) ^ (z >>> 60);
    }

    /** The multiplicative inverse of an odd number modulo 2^64 (Newton's iteration). */
    static long inverse(long odd) {
        long x = odd;
        for (int i = 0; i < 5; i++) {
            x *= 2 - odd * x;
        }
        return x;
    }

    /**
     * Any run of puts, overwrites and removals leaves the table agreeing with a map, through its
     * growth and with ids crowded onto few runs (the hash shared by many ids).
     */
    @Property(tries = 40)
    void agreesWithAMap(@ForAll long seed, @ForAll @IntRange(min = 1, max = 6000) int operations,
                        @ForAll @IntRange(min = 1, max = 64) int hashes) throws Exception {
        Random r = new Random(seed);
        ChunkIndex index = new ChunkIndex(0, SEED);
        Map<ChunkId, Location> model = new HashMap<>();
        List<ChunkId> ids = new ArrayList<>();
        for (int i = 0; i < operations; i++) {
            int op = r.nextInt(10);
            if (op < 6 || ids.isEmpty()) {
                ChunkId id = crowded(r.nextInt(hashes) * SPREAD, r);
                Location at = location(r);
                index.put(id, at);
                if (model.put(id, at) == null) {
                    ids.add(id);
                }
            } else if (op < 8) {
                ChunkId id = ids.get(r.nextInt(ids.size()));
                Location at = location(r);
                index.put(id, at);
                model.put(id, at);
            } else {
                ChunkId id = ids.remove(r.nextInt(ids.size()));
                index.remove(id);
                model.remove(id);
            }
        }
        assertThat(index.size()).isEqualTo(model.size());
        for (Map.Entry<ChunkId, Location> e : model.entrySet()) {
            assertThat(index.get(e.getKey())).isEqualTo(e.getValue());
        }
        assertThat(index.contains(ChunkId.ofWords(1L << 40, 1, 2, 3))).isFalse();
        Map<ChunkId, Location> listed = new HashMap<>();
        index.forEach(listed::put);
        assertThat(listed).isEqualTo(model);
        ChunkSet set = new ChunkSet(SEED);
        for (ChunkId id : ids) {
            assertThat(set.add(id)).isTrue();
            assertThat(set.add(id)).isFalse();
        }
        assertThat(set.size()).isEqualTo(model.size());
        assertThat(ids).allMatch(set::contains);
        assertThat(set.contains(ChunkId.ofWords(1L << 40, 1, 2, 3))).isFalse();
    }

    /**
     * A table large enough that its segments live outside the heap agrees with a map too; and one
     * filled in another's order (as gc fills its sets from the index) has short probe runs.
     */
    @Test
    void aTableOutsideTheHeapAgreesWithAMap() throws Exception {
        Random r = new Random(9);
        ChunkIndex index = new ChunkIndex();
        Map<ChunkId, Location> model = new HashMap<>();
        List<ChunkId> ids = new ArrayList<>();
        for (int i = 0; i < 600_000; i++) {
            if (ids.isEmpty() || r.nextInt(4) > 0) {
                ChunkId id = ChunkId.ofWords(r.nextLong(), r.nextLong(), r.nextLong(), r.nextLong());
                Location at = location(r);
                index.put(id, at);
                model.put(id, at);
                ids.add(id);
            } else {
                int pick = r.nextInt(ids.size());
                ChunkId id = ids.get(pick);
                ids.set(pick, ids.getLast());
                ids.removeLast();
                index.remove(id);
                model.remove(id);
            }
        }
        assertThat(index.size()).isEqualTo(model.size()).isGreaterThan(300_000);
        model.forEach((id, at) -> assertThat(index.get(id)).isEqualTo(at));
        int[] listed = {0};
        index.forEach((id, at) -> {
            assertThat(model.get(id)).isEqualTo(at);
            listed[0]++;
        });
        assertThat(listed[0]).isEqualTo(model.size());
        ChunkSet copy = new ChunkSet();
        index.forEach((id, at) -> copy.add(id));
        assertThat(copy.size()).isEqualTo(model.size());
        // Same hash and seed: a run of ~130,000 slots, each insertion walking it (minutes).
        assertThat(copy.longestRun()).as("probe runs of a copy in the index's order").isLessThan(500);
    }

    /** A reader never gets a wrong place for a chunk while a writer adds, moves and removes others. */
    @Test
    void readersSeeSettledEntriesWhileAWriterWorks() throws Exception {
        ChunkIndex index = new ChunkIndex(0, SEED);
        Random r = new Random(4);
        Map<ChunkId, Location> settled = new HashMap<>();
        for (int i = 0; i < 2000; i++) {
            ChunkId id = crowded(r.nextInt(512) * SPREAD, r);
            Location at = location(r);
            settled.put(id, at);
            index.put(id, at);
        }
        AtomicBoolean done = new AtomicBoolean();
        AtomicReference<String> wrong = new AtomicReference<>();
        Thread reader = Thread.ofPlatform().start(() -> {
            while (!done.get() && wrong.get() == null) {
                settled.forEach((id, at) -> {
                    if (!at.equals(index.get(id))) {
                        wrong.set(id + " read as " + index.get(id) + ", not " + at);
                    }
                });
            }
        });
        Random w = new Random(5);
        List<ChunkId> churn = new ArrayList<>();
        for (int i = 0; i < 200_000; i++) {
            if (churn.isEmpty() || w.nextBoolean()) {
                ChunkId id = crowded(w.nextInt(512) * SPREAD, w);
                index.put(id, location(w));
                churn.add(id);
            } else {
                index.remove(churn.remove(w.nextInt(churn.size())));
            }
        }
        done.set(true);
        reader.join();
        assertThat(wrong.get()).isNull();
    }

    private static Location location(Random r) {
        return new Location("%064x".formatted(r.nextInt(5000)), r.nextLong(1L << 40), r.nextInt(1 << 24), r.nextInt(1 << 24));
    }
}
