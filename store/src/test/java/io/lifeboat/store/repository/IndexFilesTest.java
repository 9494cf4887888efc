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
        assertThat(reopened.indexedChunks()).isEqualTo(count);
        assertThat(reopened.index()).isEqualTo(entries);
    }
}
