package io.lifeboat.store.repository;

import static org.assertj.core.api.Assertions.assertThat;

import io.lifeboat.store.backend.LocalBackend;
import io.lifeboat.store.crypto.ChunkId;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The garbage-collection state is stored in parts of bounded size and always read whole. */
class GcStateTest {
    @TempDir
    Path dir;

    @Test
    void aLargeStateIsStoredInPartsAndReadBackWhole() throws Exception {
        LocalBackend backend = new LocalBackend(dir);
        Repository repo = Repository.init(backend, TestWrappers.random());
        GcState large = state(new Random(1), 2 * GcState.PART_ENTRIES + 5, 3);
        repo.putGcState(large);
        assertThat(backend.list(GcState.PARTS)).hasSize(3);
        assertThat(contents(repo.gcState())).isEqualTo(contents(large));
        assertThat(repo.gcState().packs()).isEqualTo(large.packs());

        GcState small = state(new Random(2), 10, 0);
        repo.putGcState(small);
        assertThat(backend.list(GcState.PARTS)).as("parts the new state does not name are deleted").hasSize(1);
        assertThat(contents(repo.gcState())).isEqualTo(contents(small));
        repo.putGcState(GcState.empty());
        assertThat(backend.list(GcState.PARTS)).isEmpty();
        assertThat(repo.gcState().isEmpty()).isTrue();
    }

    /** A writer reading the state while a collection replaces it gets one state or the other, whole. */
    @Test
    void aWriterReadsOneWholeStateWhileACollectionReplacesIt() throws Exception {
        KeyWrapper wrapper = TestWrappers.random();
        Repository collector = Repository.init(new LocalBackend(dir), wrapper);
        Repository writer = Repository.open(new LocalBackend(dir), wrapper);
        GcState a = state(new Random(3), GcState.PART_ENTRIES + 1, 1);
        GcState b = state(new Random(4), 2 * GcState.PART_ENTRIES + 1, 2);
        collector.putGcState(a);
        AtomicBoolean done = new AtomicBoolean();
        AtomicReference<Exception> failed = new AtomicReference<>();
        Thread replacing = Thread.ofPlatform().start(() -> {
            try {
                for (int i = 0; i < 40; i++) {
                    collector.putGcState(i % 2 == 0 ? b : a);
                }
            } catch (Exception e) {
                failed.set(e);
            } finally {
                done.set(true);
            }
        });
        Map<ChunkId, Long> wholeA = contents(a);
        Map<ChunkId, Long> wholeB = contents(b);
        int reads = 0;
        while (!done.get()) {
            Map<ChunkId, Long> read = contents(writer.gcStateWithCurrentIndex());
            assertThat(read.equals(wholeA) || read.equals(wholeB)).as("a whole state").isTrue();
            reads++;
        }
        replacing.join();
        assertThat(failed.get()).isNull();
        assertThat(reads).isPositive();
    }

    private static GcState state(Random r, int chunks, int packs) {
        IdLongs times = new IdLongs();
        for (int i = 0; i < chunks; i++) {
            times.put(ChunkId.ofWords(r.nextLong(), r.nextLong(), r.nextLong(), r.nextLong()), r.nextLong(1L << 42));
        }
        Map<String, Long> condemnedPacks = new HashMap<>();
        for (int i = 0; i < packs; i++) {
            condemnedPacks.put("%064x".formatted(r.nextLong() & Long.MAX_VALUE), r.nextLong(1L << 42));
        }
        return new GcState(times, condemnedPacks);
    }

    private static Map<ChunkId, Long> contents(GcState state) {
        Map<ChunkId, Long> all = new HashMap<>();
        state.chunks().forEach(all::put);
        return all;
    }
}
