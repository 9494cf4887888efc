package io.lifeboat.store.io;

import com.sun.jna.LastErrorException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a file holds data, as the file system reports it ({@code lseek} with {@code SEEK_DATA} and
 * {@code SEEK_HOLE} on Linux): a backup skips the holes of a sparse image without reading them.
 * Where the platform or file system cannot tell (another OS, a block device, JNA unavailable), the
 * whole file counts as data and the reader's zero test finds the holes instead.
 */
public final class DataRegions {
    private static final int O_RDONLY = 0;
    private static final int SEEK_END = 2;
    private static final int SEEK_DATA = 3;
    private static final int SEEK_HOLE = 4;
    private static final int ENXIO = 6;
    private static final int POSIX_FADV_WILLNEED = 3;
    private static final int POSIX_FADV_DONTNEED = 4;
    private static final long PREFETCH_STEP = 1 << 20;
    private static final boolean AVAILABLE = Libc.AVAILABLE;

    private final long[] starts;
    private final long[] ends;
    private int cursor;

    private DataRegions(long[] starts, long[] ends) {
        this.starts = starts;
        this.ends = ends;
    }

    public static DataRegions of(Path file, long size) {
        if (AVAILABLE) {
            try {
                return scan(file, size);
            } catch (LastErrorException e) {
                // EINVAL and friends: no hole information here; fall through to "all data"
            }
        }
        return whole(size);
    }

    /**
     * A volume's size: a regular file's length, or a block device's, which the JDK reports as 0
     * ({@code st_size} of a device node); there the size is where {@code lseek(SEEK_END)} lands.
     */
    public static long sizeOf(Path volume, long reported) throws IOException {
        if (reported > 0 || !AVAILABLE) {
            return reported;
        }
        int mode = (Integer) java.nio.file.Files.getAttribute(volume, "unix:mode");
        if ((mode & 0xf000) != 0x6000) { // S_IFBLK
            return reported;
        }
        return onFd(volume, fd -> Libc.lseek(fd, 0, SEEK_END));
    }

    /** All of a file of {@code size} bytes as data. */
    public static DataRegions whole(long size) {
        return new DataRegions(new long[] {0}, new long[] {size});
    }

    private static DataRegions scan(Path file, long size) {
        List<long[]> regions = new ArrayList<>();
        onFd(file, fd -> {
            for (long at = 0; at < size; ) {
                long data;
                try {
                    data = Libc.lseek(fd, at, SEEK_DATA);
                } catch (LastErrorException e) {
                    if (e.getErrorCode() == ENXIO) {
                        break; // only a hole from here to the end
                    }
                    throw e;
                }
                long hole = Math.min(size, Libc.lseek(fd, data, SEEK_HOLE));
                regions.add(new long[] {data, hole});
                at = hole;
            }
            return null;
        });
        long[] starts = new long[regions.size()];
        long[] ends = new long[regions.size()];
        for (int i = 0; i < starts.length; i++) {
            starts[i] = regions.get(i)[0];
            ends[i] = regions.get(i)[1];
        }
        return new DataRegions(starts, ends);
    }

    /** The data regions as {@code [start, end)} pairs, in order. */
    public List<long[]> regions() {
        List<long[]> out = new ArrayList<>(starts.length);
        for (int i = 0; i < starts.length; i++) {
            out.add(new long[] {starts[i], ends[i]});
        }
        return out;
    }

    /**
     * Whether {@code [from, to)} touches data. Queries must come in ascending order of {@code from}
     * (the backup's reading order), which keeps each answer O(1) amortised.
     */
    public boolean hasData(long from, long to) {
        while (cursor < ends.length && ends[cursor] <= from) {
            cursor++;
        }
        return cursor < starts.length && starts[cursor] < to;
    }

    /**
     * Asks the kernel to start reading a whole file into the page cache and returns at once
     * ({@code POSIX_FADV_WILLNEED}): a restore names the packs it will read a few windows ahead,
     * since packs are written past the page cache and each chunk read would otherwise wait on the
     * device. Where it cannot be done, nothing happens: the reads just wait.
     */
    public static void prefetch(Path file) {
        advise(file, fd -> {
            // Linux reads at most the device's read-ahead size (often 128 KiB to 8 MiB) per call.
            long size = Libc.lseek(fd, 0, SEEK_END);
            for (long at = 0; at < size; at += PREFETCH_STEP) {
                Libc.posix_fadvise(fd, at, PREFETCH_STEP, POSIX_FADV_WILLNEED);
            }
            return null;
        });
    }

    /**
     * Tells the kernel that a file's cached pages will not be read again soon ({@code
     * POSIX_FADV_DONTNEED}): clean pages are dropped at once, dirty ones are left to be written. A
     * restore calls it after each flush of its target, so that the gigabytes it writes do not pile
     * up in the page cache and its later writes reuse the pages freed: new page-cache pages were
     * most of an image restore's system time (docs/benchmarks.md). Where it cannot be done, the
     * pages stay cached, as they would have.
     */
    public static void evict(Path file) {
        advise(file, fd -> Libc.posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED));
    }

    /**
     * Writes back every dirty page and inode of the file system that holds {@code dir} and waits
     * ({@code syncfs}): how a tree restore of thousands of files makes them durable at once. Off
     * Linux it does nothing, and the files reach the device when the system writes them back.
     */
    public static void syncFileSystem(Path dir) throws IOException {
        if (!AVAILABLE) {
            return;
        }
        try {
            onFd(dir, Libc::syncfs);
        } catch (LastErrorException e) {
            throw new IOException("cannot write back the file system of " + dir + ": " + e.getMessage(), e);
        }
    }

    private interface FdCall<T> {
        T apply(int fd) throws LastErrorException;
    }

    /** {@code call} on a read-only descriptor of {@code file}, closed afterwards. */
    private static <T> T onFd(Path file, FdCall<T> call) throws LastErrorException {
        int fd = Libc.open(file.toString(), O_RDONLY);
        try {
            return call.apply(fd);
        } finally {
            Libc.close(fd);
        }
    }

    /** {@code call} on {@code file} where it can be; advice that cannot be given is skipped. */
    private static void advise(Path file, FdCall<?> call) {
        if (!AVAILABLE) {
            return;
        }
        try {
            onFd(file, call);
        } catch (LastErrorException e) {
            // a missing or unreadable file: what comes next reports it
        }
    }

    /**
     * Whether a file may have extended attributes: false only when {@code llistxattr} says it has
     * none. One syscall on the path, where the JDK's attribute view opens and closes the file.
     */
    public static boolean mayHaveXattrs(Path file) {
        if (!AVAILABLE) {
            return true;
        }
        try {
            return Libc.llistxattr(file.toString(), null, 0) != 0;
        } catch (LastErrorException e) {
            return false; // ENOTSUP and the like: no attributes here
        }
    }
}
