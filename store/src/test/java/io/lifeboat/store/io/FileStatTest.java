package io.lifeboat.store.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileStatTest {
    @TempDir
    Path dir;

    /** statx says what the JDK's "unix:" view says, for every kind of entry a tree backup meets. */
    @Test
    void nativeStatMatchesTheJdkView() throws Exception {
        assertThat(FileStat.NATIVE).as("statx bound on Linux").isEqualTo(System.getProperty("os.name").equals("Linux"));
        Path file = Files.writeString(dir.resolve("f"), "hello");
        Files.setLastModifiedTime(file, FileTime.from(Instant.parse("2026-11-26T10:15:30.123456789Z")));
        Path link = Files.createSymbolicLink(dir.resolve("l"), Path.of("f"));
        Path hard = Files.createLink(dir.resolve("h"), file);
        Path sub = Files.createDirectory(dir.resolve("d"));
        for (Path p : new Path[] {file, link, hard, sub, dir}) {
            FileStat got = FileStat.lstat(p);
            FileStat want = FileStat.jdk(p);
            assertThat(got).as(p.toString()).usingRecursiveComparison().ignoringFields("device").isEqualTo(want);
        }
        assertThat(FileStat.lstat(file).isRegularFile()).isTrue();
        assertThat(FileStat.lstat(link).isSymbolicLink()).isTrue();
        assertThat(FileStat.lstat(sub).isDirectory()).isTrue();
        assertThat(FileStat.lstat(hard).links()).isEqualTo(2);
        assertThat(FileStat.lstat(file).mtimeNanos() % 1_000_000_000L).isEqualTo(123_456_789L);
        assertThat(FileStat.lstat(file).device()).isEqualTo(FileStat.lstat(sub).device());
        assertThatThrownBy(() -> FileStat.lstat(dir.resolve("missing"))).isInstanceOf(NoSuchFileException.class);
    }
}
