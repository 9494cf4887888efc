package io.lifeboat.store.repository;

import static org.assertj.core.api.Assertions.assertThat;

import io.lifeboat.store.backend.LocalBackend;
import io.lifeboat.store.crypto.ChunkId;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IndexFilesTest {
    @TempDir
    Path dir;

    /** Many entries go to several index files of bounded size, and a reopened repository reads them all. */
    @Test
    void aLargeIndexIsSplitAndReadBackWhole() throws Exception {
        KeyWrapper wrapper = TestWrappers.random();
        Repository repo = Repository.init(new LocalBackend(dir), wrapper);
        Random r = new Random(3);
        Map<ChunkId, Location> entries = new HashMap<>();
        int count = 2 * ChunkWriter.INDEX_ENTRIES + 5;
        for (int i = 0; i < count; i++) {
            entries.put(ChunkId.ofWords(r.nextLong(), r.nextLong(), r.nextLong(), r.nextLong()),
                    new Location("%064x".formatted(i / 100), i * 4096L, 4000, 5000));
        }
        repo.putIndex(entries);
        assertThat(repo.indexFiles()).hasSize(3);
        Repository reopened = Repository.open(new LocalBackend(dir), wrapper);
        assertThat(reopened.indexFiles()).hasSize(3);
        assertThat(indexed(reopened)).hasSize(count).isEqualTo(entries);
    }

    /** A chunk another writer stored after this repository read its index is found, not called missing. */
    @Test
    void aChunkIndexedByAnotherWriterSinceIsFound() throws Exception {
        KeyWrapper wrapper = TestWrappers.random();
        Repository reader = Repository.init(new LocalBackend(dir), wrapper);
        Repository writer = Repository.open(new LocalBackend(dir), wrapper);
        byte[] data = "written after the reader opened".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        ChunkId id = writer.chunkId(data, 0, data.length);
        try (ChunkWriter w = writer.writer(1 << 20)) {
            w.add(id, data, 0, data.length);
            w.flush();
        }
        assertThat(reader.read(id)).isEqualTo(data);
    }

    /** Index files stored while the same repository reads its index again are not lost from it. */
    @Test
    void aReloadDuringWritesKeepsWhatTheyIndexed() throws Exception {
        Repository repo = Repository.init(new LocalBackend(dir), TestWrappers.random());
        Random r = new Random(8);
        java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.concurrent.atomic.AtomicReference<Exception> failed = new java.util.concurrent.atomic.AtomicReference<>();
        Thread reloads = Thread.ofPlatform().start(() -> {
            try {
                while (!done.get()) {
                    repo.reloadIndex();
                }
            } catch (Exception e) {
                failed.set(e);
            }
        });
        int files = 300;
        for (int i = 0; i < files; i++) {
            repo.putIndex(Map.of(ChunkId.ofWords(r.nextLong(), r.nextLong(), r.nextLong(), r.nextLong()),
                    new Location("%064x".formatted(i), 0, 10, 10)));
        }
        done.set(true);
        reloads.join();
        assertThat(failed.get()).isNull();
        assertThat(indexed(repo)).hasSize(files);
        assertThat(repo.indexFiles()).hasSize(files);
    }

    /** Every chunk the repository's index names, and where. */
    static Map<ChunkId, Location> indexed(Repository repo) throws java.io.IOException {
        Map<ChunkId, Location> all = new HashMap<>();
        repo.forEachIndexed(all::put);
        return all;
    }
}
