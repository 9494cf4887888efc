package io.lifeboat.store.io;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.ByteOrder;
import java.nio.LongBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.stream.Stream;

/**
 * Memory for tables that grow with a repository (its chunk index above all), kept out of the Java
 * heap so that a fixed heap serves any repository size. A large buffer is a shared mapping of a
 * file in the cache directory, unlinked as soon as it is mapped: the kernel keeps the pages it
 * touches in its page cache and may write them back and drop them under memory pressure, as it
 * does for kopia's mapped indexes, and nothing is left on disk by a crash. The JDK unmaps a buffer
 * once it is unreachable, so a reader still holding an old one never touches freed memory.
 *
 * <p>The directory is the first of these that can be written: the {@code lifeboat.cache} system
 * property, {@code LIFEBOAT_CACHE}, {@link #defaultDirectory(Path)} (the server's data directory),
 * {@code $XDG_CACHE_HOME/lifeboat}, {@code ~/.cache/lifeboat}, the temporary directory. Where none
 * can, buffers stay on the heap.
 */
public final class OffHeap {
    /**
     * Buffers up to this many longs (128 KiB) stay on the heap: an index's first ~140,000 chunks,
     * 8 MiB of heap, so the repositories most people have pay nothing for mapping. Past that a
     * mapped buffer costs page faults as it is first written (a million chunks' index builds in
     * ~2 s instead of ~1 s here) and ~1.5× the heap's time per access.
     */
    public static final int HEAP_LONGS = 16384;
    /** The most one buffer holds (a mapping's limit is 2 GiB). */
    public static final int MAX_LONGS = Integer.MAX_VALUE / 8;
    private static final String PREFIX = "table-";
    private static Path chosen;
    private static Path directory;
    private static boolean resolved;

    private OffHeap() {
    }

    /** Where large buffers are mapped from unless the operator says otherwise; before the first is. */
    public static synchronized void defaultDirectory(Path dir) {
        chosen = dir;
        resolved = false;
    }

    /** {@code n} longs, all zero: on the heap up to {@link #HEAP_LONGS}, else mapped. */
    public static LongBuffer longs(long n) {
        if (n < 0 || n > MAX_LONGS) {
            throw new IllegalArgumentException(n + " longs is more than one buffer holds (" + MAX_LONGS + ")");
        }
        Path dir = n <= HEAP_LONGS ? null : dir();
        if (dir == null) {
            return LongBuffer.allocate((int) n);
        }
        try {
            Path file = Files.createTempFile(Files.createDirectories(dir), PREFIX, ".tmp");
            try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
                raf.setLength(n * 8); // sparse: blocks are taken as pages are first written
                return raf.getChannel().map(FileChannel.MapMode.READ_WRITE, 0, n * 8)
                        .order(ByteOrder.nativeOrder()).asLongBuffer();
            } finally {
                Files.deleteIfExists(file); // the mapping lives on without a name
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot map " + n * 8 + " bytes of index memory in " + dir
                    + " (the cache directory; set LIFEBOAT_CACHE to move it): " + e.getMessage(), e);
        }
    }

    private static synchronized Path dir() {
        if (!resolved) {
            directory = Stream.of(path(System.getProperty("lifeboat.cache")), path(System.getenv("LIFEBOAT_CACHE")), chosen,
                            path(System.getenv("XDG_CACHE_HOME"), "lifeboat"), path(System.getProperty("user.home"), ".cache/lifeboat"),
                            path(System.getProperty("java.io.tmpdir"), "lifeboat-cache"))
                    .filter(d -> d != null && usable(d)).findFirst().orElse(null);
            resolved = true;
        }
        return directory;
    }

    private static Path path(String first, String... more) {
        return first == null || first.isEmpty() ? null : Path.of(first, more);
    }

    /** Whether {@code dir} exists or can be made, and takes files; files a killed process left are removed. */
    private static boolean usable(Path dir) {
        try {
            Files.createDirectories(dir);
            Files.deleteIfExists(Files.createTempFile(dir, PREFIX, ".probe"));
            Instant stale = Instant.now().minusSeconds(60); // a live process unlinks its file at once
            try (Stream<Path> left = Files.list(dir)) {
                for (Path p : left.filter(p -> p.getFileName().toString().startsWith(PREFIX)).toList()) {
                    if (Files.getLastModifiedTime(p).toInstant().isBefore(stale)) {
                        Files.deleteIfExists(p);
                    }
                }
            }
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }
}
