package io.lifeboat.store.io;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.nio.file.ExtendedOpenOption;
import java.io.IOException;
import java.lang.ref.Cleaner;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Writes that bypass the page cache ({@code O_DIRECT}), for data written once, forced to disk anyway
 * and not read back soon: packs. The kernel then moves bytes from the buffer
 * to the device instead of copying them into page-cache pages first; it wants the memory, the file
 * offset and the length aligned, here to a 4 KiB page. Pack segments are kept in a small pool:
 * allocating and faulting in fresh memory for each would cost what direct writes save; one the
 * pool has no room for is freed at once.
 */
public final class DirectIo {
    public static final int ALIGN = 4096;
    private static final int GRAIN = 1 << 20;
    /** Buffers the pool keeps: a backup's pack segments in flight (ChunkWriter), with room to spare. */
    static final int IDLE = 8;
    private static final ArrayDeque<ByteBuffer> idle = new ArrayDeque<>();
    private static final long HUGE_PAGE = 2 << 20;
    private static final int PROT_READ_WRITE = 0x1 | 0x2;
    private static final int MAP_PRIVATE_ANONYMOUS = 0x02 | 0x20;
    private static final int MADV_HUGEPAGE = 14;
    private static final Cleaner CLEANER = Cleaner.create();
    /** The unmapping of each live mapping by its address: the pool frees what it has no room for at once. */
    private static final Map<Long, Cleaner.Cleanable> MAPPED = new ConcurrentHashMap<>();

    private DirectIo() {
    }

    /** {@code n} rounded up to a multiple of {@link #ALIGN}. */
    public static long roundUp(long n) {
        return (n + ALIGN - 1) & -ALIGN;
    }

    /**
     * A page-aligned direct buffer of {@code capacity} bytes, freed once unreachable like the JDK's
     * own. On Linux it is a fresh anonymous mapping: already zero, so not zeroed a second time as
     * {@code allocateDirect} does, and from 2 MiB on advised to use transparent huge pages, so that
     * 16 MiB of pack buffers cost 8 page faults instead of 4,096 when first filled (~0.2 s of a 3 s
     * image backup on a VM, where faults are dear; docs/benchmarks.md).
     */
    public static ByteBuffer allocate(int capacity) {
        if (Libc.AVAILABLE) {
            try {
                return mapped(capacity);
            } catch (LastErrorException | UnsatisfiedLinkError e) {
                // no mapping to be had: the JDK's allocation below says why if it fails too
            }
        }
        return ByteBuffer.allocateDirect(capacity + ALIGN).alignedSlice(ALIGN).limit(capacity).slice();
    }

    private static ByteBuffer mapped(int capacity) {
        boolean huge = capacity >= HUGE_PAGE;
        // a huge mapping has a huge page to spare, so that its start can move to a huge-page boundary
        long length = huge ? (capacity + HUGE_PAGE - 1) / HUGE_PAGE * HUGE_PAGE + HUGE_PAGE
                : Math.max(ALIGN, roundUp(capacity));
        long base = Libc.mmap(0, length, PROT_READ_WRITE, MAP_PRIVATE_ANONYMOUS, -1, 0);
        long at = huge ? (base + HUGE_PAGE - 1) & -HUGE_PAGE : base;
        if (huge) {
            Libc.madvise(at, length - HUGE_PAGE, MADV_HUGEPAGE); // advice: refused (THP off) is fine
        }
        ByteBuffer b = new Pointer(at).getByteBuffer(0, capacity).order(ByteOrder.BIG_ENDIAN); // as allocateDirect's
        // slices and duplicates hold the buffer they came from, so this runs after the last of them
        MAPPED.put(at, CLEANER.register(b, () -> {
            MAPPED.remove(at);
            Libc.munmap(base, length);
        }));
        return b;
    }

    /**
     * {@code have} when it holds {@code length} bytes, else a new direct buffer of at least 1 MiB: how a
     * thread's scratch buffer grows to the largest chunk it meets.
     */
    public static ByteBuffer atLeast(ByteBuffer have, int length) {
        return have.capacity() >= length ? have : ByteBuffer.allocateDirect(Math.max(length, 1 << 20));
    }

    /** A cleared buffer of at least {@code capacity} bytes, from the pool when one is big enough. */
    public static ByteBuffer take(int capacity) {
        synchronized (idle) {
            for (var it = idle.iterator(); it.hasNext(); ) {
                ByteBuffer b = it.next();
                if (b.capacity() >= capacity) {
                    it.remove();
                    return b.clear();
                }
            }
        }
        int size = (int) Math.min(Integer.MAX_VALUE - ALIGN, ((long) capacity + GRAIN - 1) / GRAIN * GRAIN);
        return allocate(size);
    }

    /**
     * A channel on {@code file} opened with {@code options} and O_DIRECT, or null where the file
     * system refuses O_DIRECT or wants a larger alignment than {@link #ALIGN}: the caller then
     * writes through the page cache. A file the options created is left for the caller.
     */
    public static FileChannel open(Path file, OpenOption... options) {
        Set<OpenOption> all = new HashSet<>(List.of(options));
        all.add(ExtendedOpenOption.DIRECT);
        FileChannel ch;
        try {
            ch = FileChannel.open(file, all);
        } catch (IOException | UnsupportedOperationException e) {
            return null; // a real error (permissions, say) comes back from the caller's ordinary open
        }
        try {
            if (ALIGN % Files.getFileStore(file).getBlockSize() == 0) {
                return ch;
            }
        } catch (IOException | UnsupportedOperationException e) {
            // unknown block size: do not risk misaligned direct writes
        }
        try {
            ch.close();
        } catch (IOException e) {
            // nothing was written through it
        }
        return null;
    }

    /**
     * Whether {@code data}'s remaining bytes can be written to a direct channel from the file's
     * start: a direct buffer whose position's address and whose length are aligned.
     */
    public static boolean aligned(ByteBuffer data) {
        return data.isDirect() && data.alignmentOffset(data.position(), ALIGN) == 0 && data.remaining() % ALIGN == 0;
    }

    /** Returns a buffer from {@link #take} for reuse; the caller must not touch it afterwards. */
    public static void give(ByteBuffer b) {
        synchronized (idle) {
            if (idle.size() < IDLE) {
                idle.push(b);
                return;
            }
        }
        // Unmapped now, not when collected: the JVM does not count this memory, so nothing would
        // make it collect a buffer that reached the old generation, and a server's bursts of backups
        // would each leave their extra buffers behind.
        Cleaner.Cleanable mapping = Libc.AVAILABLE ? MAPPED.get(address(b)) : null;
        if (mapping != null) {
            mapping.clean(); // runs once: the cleaner will not unmap it again
        }
    }

    private static long address(ByteBuffer b) {
        return Pointer.nativeValue(Native.getDirectBufferPointer(b));
    }

    /** Whether {@code b} is a mapping of {@link #allocate} not yet unmapped; for tests. */
    static boolean mapped(ByteBuffer b) {
        return Libc.AVAILABLE && MAPPED.containsKey(address(b));
    }

    /** Buffers waiting in the pool; for tests. */
    static int idle() {
        synchronized (idle) {
            return idle.size();
        }
    }
}
