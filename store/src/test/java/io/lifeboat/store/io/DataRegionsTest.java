package io.lifeboat.store.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Page-cache advice on real files; residency read back with {@code mincore} (MappedByteBuffer.isLoaded). */
class DataRegionsTest {
    @TempDir
    Path dir;

    @Test
    void evictDropsAFlushedFilesPagesAndPrefetchBringsThemBack() throws Exception {
        assumeTrue(Libc.AVAILABLE, "page-cache advice is Linux-only");
        assumeTrue(!Files.getFileStore(dir).type().equals("tmpfs"), "tmpfs pages are the file itself");
        Path file = dir.resolve("restored.img");
        byte[] data = new byte[8 << 20];
        new SplittableRandom(1).nextBytes(data);
        try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            out.write(ByteBuffer.wrap(data));
            out.force(true);
        }
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
            MappedByteBuffer view = in.map(FileChannel.MapMode.READ_ONLY, 0, data.length);
            assertThat(view.isLoaded()).as("just written").isTrue();
            DataRegions.evict(file);
            assertThat(view.isLoaded()).as("evicted").isFalse();
            DataRegions.prefetch(file);
            for (int i = 0; i < 200 && !view.isLoaded(); i++) {
                Thread.sleep(10); // the kernel reads ahead asynchronously
            }
            assertThat(view.isLoaded()).as("prefetched").isTrue();
        }
        assertThat(Files.readAllBytes(file)).isEqualTo(data);
    }

    @Test
    void writingBackAFileSystemLeavesNothingDirtyAndNamesAMissingDirectory() throws Exception {
        assumeTrue(Libc.AVAILABLE, "syncfs is Linux-only");
        Path file = dir.resolve("f");
        Files.write(file, new byte[1 << 20]);
        DataRegions.syncFileSystem(dir);
        DataRegions.evict(file); // drops only clean pages: all of them, now
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
            if (!Files.getFileStore(dir).type().equals("tmpfs")) {
                assertThat(in.map(FileChannel.MapMode.READ_ONLY, 0, 1 << 20).isLoaded()).isFalse();
            }
        }
        assertThatThrownBy(() -> DataRegions.syncFileSystem(dir.resolve("missing")))
                .isInstanceOf(IOException.class).hasMessageContaining("missing");
    }

    @Test
    void adviceOnAMissingFileDoesNothing() {
        DataRegions.evict(dir.resolve("missing"));
        DataRegions.prefetch(dir.resolve("missing"));
        assertThat(dir.resolve("missing")).doesNotExist();
    }
}
