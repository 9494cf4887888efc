package io.lifeboat.store.io;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Flushes what a restore writes to its device every {@link #EVERY} bytes written, on its own thread,
 * so the device writes while workers decrypt and the final flush has little left to do. A machine
 * with much memory would otherwise hold gigabytes dirty until that final flush (the kernel's
 * background writeback starts at a share of RAM), serialising the device after the CPU. An image
 * restore then evicts what each flush made clean from the page cache ({@link DataRegions#evict}).
 */
public final class RollingSync implements AutoCloseable {
    static final long EVERY = 64L << 20;

    /** One flush; {@code last} is the one after every write. */
    private interface Flush {
        void run(boolean last) throws IOException;
    }

    private final Flush flush;
    private final AtomicLong unsynced = new AtomicLong();
    private final Object lock = new Object();
    private boolean requested;
    private boolean closed;
    private IOException failure;
    private final Thread thread;

    private RollingSync(Flush flush) {
        this.flush = flush;
        this.thread = Thread.ofPlatform().name("restore-sync").daemon().start(this::run);
    }

    /** For an image restored through {@code out}, a channel on {@code file}: data flushed, then evicted. */
    public static RollingSync ofFile(FileChannel out, Path file) {
        return new RollingSync(last -> {
            out.force(last);
            DataRegions.evict(file);
        });
    }

    /**
     * For a tree restored under {@code dir}, thousands of files: its whole file system is written back
     * ({@code syncfs}), one call rather than one per file.
     */
    public static RollingSync ofFileSystem(Path dir) {
        return new RollingSync(last -> DataRegions.syncFileSystem(dir));
    }

    public void wrote(long bytes) {
        if (unsynced.addAndGet(bytes) >= EVERY) {
            unsynced.set(0);
            synchronized (lock) {
                requested = true;
                lock.notifyAll();
            }
        }
    }

    private void run() {
        while (true) {
            synchronized (lock) {
                while (!requested && !closed) {
                    try {
                        lock.wait();
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                if (closed) {
                    return;
                }
                requested = false;
            }
            try {
                flush.run(false);
            } catch (IOException e) {
                synchronized (lock) {
                    failure = e;
                }
            }
        }
    }

    /** Stops the thread and makes the last flush, which writes metadata too; reports a failed flush. */
    public void finish() throws IOException {
        close();
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while flushing the restored file");
        }
        synchronized (lock) {
            if (failure != null) {
                throw failure;
            }
        }
        flush.run(true);
    }

    @Override
    public void close() {
        synchronized (lock) {
            closed = true;
            lock.notifyAll();
        }
    }
}
