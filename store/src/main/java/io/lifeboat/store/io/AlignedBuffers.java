package io.lifeboat.store.io;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;

/**
 * Direct buffers aligned to a 4 KiB page, for writes that bypass the page cache ({@code O_DIRECT}
 * wants the memory, the file offset and the length aligned), kept in a small pool: a pack buffer is
 * 16 MiB or more, and allocating and faulting in a fresh one per pack would cost what it saves.
 */
public final class AlignedBuffers {
    public static final int ALIGN = 4096;
    private static final int GRAIN = 1 << 20;
    private static final int IDLE = 4;
    private static final ArrayDeque<ByteBuffer> idle = new ArrayDeque<>();

    private AlignedBuffers() {
    }

    /** {@code n} rounded up to a multiple of {@link #ALIGN}. */
    public static long roundUp(long n) {
        return (n + ALIGN - 1) & -ALIGN;
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
        return ByteBuffer.allocateDirect(size + ALIGN).alignedSlice(ALIGN);
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
