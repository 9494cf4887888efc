package io.lifeboat.store.tree;

import static org.assertj.core.api.Assertions.assertThat;

import io.lifeboat.store.backend.LocalBackend;
import io.lifeboat.store.repository.ChildJvm;
import io.lifeboat.store.repository.Repository;
import io.lifeboat.store.repository.TestWrappers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A tree's backup and restore hold a bounded amount of it in memory: a tree whose metadata alone
 * outgrows the child JVM's heap (about 1 KB an entry as nodes, paths and stats) backs up, backs up
 * again against its parent, and restores.
 */
class LargeTreeTest {
    static final int DIRECTORIES = 2;
    static final int FILES_EACH = 30_000;
    static final String HEAP = "-Xmx40m";

    @TempDir
    Path dir;

    @Test
    void aTreeLargerThanTheHeapBacksUpAndRestores() throws Exception {
        Path source = dir.resolve("src");
        for (int d = 0; d < DIRECTORIES; d++) {
            Path sub = Files.createDirectories(source.resolve("d" + d));
            for (int f = 0; f < FILES_EACH; f++) {
                Files.writeString(sub.resolve(String.format("file-%05d.txt", f)), "content " + f % 10);
            }
        }
        Files.createDirectories(source.resolve("deep/er/still"));
        Files.writeString(source.resolve("deep/er/still/last"), "the end");
        byte[] key = new SecureRandom().generateSeed(32);
        Path repoDir = dir.resolve("repo");
        Repository.init(new LocalBackend(repoDir), TestWrappers.aes(key));
        Path out = dir.resolve("out");
        Process child = new ProcessBuilder(ChildJvm.command(List.of(HEAP), LargeTreeChild.class, repoDir.toString(),
                HexFormat.of().formatHex(key), source.toString(), out.toString(), "d1/file-12345.txt"))
                .redirectErrorStream(true).start();
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(child.waitFor(5, TimeUnit.MINUTES)).isTrue();
        assertThat(child.exitValue()).as(output).isZero();
        int files = DIRECTORIES * FILES_EACH + 1;
        assertThat(output).contains("first " + files + " second " + files + " unchanged " + (files - 1)
                + " restored " + files);
        assertThat(names(out)).isEqualTo(names(source));
        assertThat(Files.readString(out.resolve("d1/file-12345.txt"))).isEqualTo("changed");
        assertThat(Files.readString(out.resolve("d0/file-00007.txt"))).isEqualTo("content 7");
        assertThat(Files.readString(out.resolve("deep/er/still/last"))).isEqualTo("the end");
    }

    private static List<String> names(Path root) throws Exception {
        try (Stream<Path> all = Files.walk(root)) {
            return all.map(p -> root.relativize(p).toString()).sorted().toList();
        }
    }
}
