package io.lifeboat.store.repository;

import static org.assertj.core.api.Assertions.assertThat;

import io.lifeboat.store.backend.LocalBackend;
import io.lifeboat.store.crypto.ChunkId;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A repository's index and garbage-collection state do not live in the heap: a child JVM whose
 * heap is a third of what the index of two million chunks took there opens the repository, finds
 * every chunk, backs up and restores an image, condemns the two million chunks and backs up again.
 * It keeps its tables in files (no anonymous memory allowed), the tier that has no bound but the disk.
 */
class LargeIndexTest {
    static final int CHUNKS = 2_000_000;
    static final long SEED = 17;
    static final String HEAP = "-Xmx48m";

    @TempDir
    Path dir;

    @Test
    void anIndexLargerThanTheHeapServesBackupAndRestore() throws Exception {
        byte[] key = new SecureRandom().generateSeed(32);
        Path repoDir = dir.resolve("repo");
        Repository repo = Repository.init(new LocalBackend(repoDir), TestWrappers.aes(key));
        Random r = new Random(SEED);
        List<Map.Entry<ChunkId, Location>> part = new ArrayList<>();
        for (int i = 0; i < CHUNKS; i++) {
            part.add(Map.entry(id(r), new Location("%064x".formatted(i / 16), i * 4096L, 4000, 5000)));
            if (part.size() == ChunkWriter.INDEX_ENTRIES || i == CHUNKS - 1) {
                repo.writeIndexFile(part); // packs that do not exist: nothing here reads them
                part.clear();
            }
        }
        Path cache = Files.createDirectories(dir.resolve("cache"));
        Process child = new ProcessBuilder(ChildJvm.command(List.of(HEAP, "-Dlifeboat.cache=" + cache,
                "-Dlifeboat.offheap.anonymous=0"), LargeIndexChild.class, repoDir.toString(),
                HexFormat.of().formatHex(key), dir.resolve("work").toString())).redirectErrorStream(true).start();
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(child.waitFor(5, TimeUnit.MINUTES)).isTrue();
        assertThat(child.exitValue()).as(output).isZero();
        assertThat(output).contains("indexed " + CHUNKS + " found " + CHUNKS + " restored equal condemned " + CHUNKS
                + " new again 0");
        try (Stream<Path> left = Files.list(cache)) {
            assertThat(left).as("the index's files are unlinked once mapped").isEmpty();
        }
    }

    static ChunkId id(Random r) {
        return ChunkId.ofWords(r.nextLong(), r.nextLong(), r.nextLong(), r.nextLong());
    }
}
