package io.lifeboat.store.io;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.ref.Cleaner;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.LongBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Memory for tables that grow with a repository (its chunk index above all), kept out of the Java
 * heap so that a fixed heap serves any repository size. A small buffer stays on the heap. A large
 * one is anonymous memory on huge pages ({@link DirectIo#allocate}) while all of them together
 * stay within an eighth of the machine's memory; past that, a shared mapping of a file in the
 * cache directory, unlinked as soon as it is mapped, which the kernel may write back and drop
 * under memory pressure, as it does for kopia's mapped indexes (first writes there cost a page
 * fault a 4 KiB page, so files come only when memory would run short). Either is freed once
 * unreachable, so a reader still holding an old buffer never touches freed memory; a crash
 * leaves no file behind.
 *
 * <p>The directory is the first of these that can be written: the {@code lifeboat.cache} system
 * property, {@code LIFEBOAT_CACHE}, {@link #defaultDirectory(Path)} (the server's data directory),
 * {@code $XDG_CACHE_HOME/lifeboat}, {@code ~/.cache/lifeboat}, the temporary directory. Where none
 * can, buffers stay on the heap.
 */
public final class OffHeap {
    /** Buffers up to this many longs (128 KiB) stay on the heap: at most 8 MiB of a table. */
    public static final int HEAP_LONGS = 16384;
    /** The most one buffer holds (a mapping's limit is 2 GiB). */
    public static final int MAX_LONGS = Integer.MAX_VALUE / 8;
    /** Bytes of anonymous memory large buffers may hold at once ({@code lifeboat.offheap.anonymous}). */
    static final long ANONYMOUS = Long.getLong("lifeboat.offheap.anonymous", physicalMemory() / 8);
    private static final AtomicLong anonymous = new AtomicLong();
    private static final Cleaner CLEANER = Cleaner.create();
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

    /** {@code n} longs, all zero: on the heap up to {@link #HEAP_LONGS}, else outside it. */
    public static LongBuffer longs(long n) {
        if (n < 0 || n > MAX_LONGS) {
            throw new IllegalArgumentException(n + " longs is more than one buffer holds (" + MAX_LONGS + ")");
        }
        if (n <= HEAP_LONGS) {
            return LongBuffer.allocate((int) n);
        }
        long bytes = n * 8;
        if (anonymous.addAndGet(bytes) <= ANONYMOUS) {
            ByteBuffer b = DirectIo.allocate((int) bytes); // zero, as fresh mappings are
            CLEANER.register(b, () -> anonymous.addAndGet(-bytes));
            return b.order(ByteOrder.nativeOrder()).asLongBuffer();
        }
        anonymous.addAndGet(-bytes);
        Path dir = dir();
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

    private static long physicalMemory() {
        try {
            return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getTotalMemorySize();
        } catch (RuntimeException | LinkageError e) {
            return 8L << 30;
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
