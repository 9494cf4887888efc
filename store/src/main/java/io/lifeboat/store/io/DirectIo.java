package io.lifeboat.store.io;

import com.sun.nio.file.ExtendedOpenOption;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Writes that bypass the page cache ({@code O_DIRECT}), for data written once, forced to disk anyway
 * and not read back soon: packs. The kernel then moves bytes from the buffer
 * to the device instead of copying them into page-cache pages first; it wants the memory, the file
 * offset and the length aligned, here to a 4 KiB page. Pack-sized buffers are kept in a small pool:
 * allocating and faulting in a fresh 16 MiB per pack would cost what direct writes save.
 */
public final class DirectIo {
    public static final int ALIGN = 4096;
    private static final int GRAIN = 1 << 20;
    private static final int IDLE = 4;
    private static final ArrayDeque<ByteBuffer> idle = new ArrayDeque<>();

    private DirectIo() {
    }

    /** {@code n} rounded up to a multiple of {@link #ALIGN}. */
    public static long roundUp(long n) {
        return (n + ALIGN - 1) & -ALIGN;
    }

    private static ByteBuffer allocate(int capacity) {
        return ByteBuffer.allocateDirect(capacity + ALIGN).alignedSlice(ALIGN).limit(capacity).slice();
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
            }
        }
    }
}
