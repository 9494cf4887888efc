package io.lifeboat.store.io;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Flushes a file being restored to its device every {@link #EVERY} bytes written, on its own thread,
 * so the device writes while workers decrypt and the final {@code force} has little left to do. A
 * machine with much memory would otherwise hold gigabytes dirty until that final flush (the
 * kernel's background writeback starts at a share of RAM), serialising the device after the CPU.
 * What each flush made clean is then evicted from the page cache ({@link DataRegions#evict}).
 */
public final class RollingSync implements AutoCloseable {
    static final long EVERY = 64L << 20;

    private final FileChannel out;
    private final Path file;
    private final AtomicLong unsynced = new AtomicLong();
    private final Object lock = new Object();
    private boolean requested;
    private boolean closed;
    private IOException failure;
    private final Thread thread;

    /** For {@code out}, a channel on {@code file}. */
    public RollingSync(FileChannel out, Path file) {
        this.out = out;
        this.file = file;
        this.thread = Thread.ofPlatform().name("restore-sync").daemon().start(this::run);
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
                out.force(false);
                DataRegions.evict(file);
            } catch (IOException e) {
                synchronized (lock) {
                    failure = e;
                }
            }
        }
    }

    /** Stops the thread, flushes the rest with the file's metadata and evicts it; reports a failed flush. */
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
        out.force(true);
        DataRegions.evict(file);
    }

    @Override
    public void close() {
        synchronized (lock) {
            closed = true;
            lock.notifyAll();
        }
    }
}
