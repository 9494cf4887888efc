package io.lifeboat.store.io;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * I/O tasks on a fixed pool with at most {@code limit} submitted and unfinished: {@link #submit}
 * waits for the oldest when the limit is reached, which bounds memory and surfaces a failure early.
 * A task's {@link IOException} is rethrown as is; anything else is wrapped, naming the work.
 */
public final class BoundedTasks implements AutoCloseable {

    public interface IoTask {
        void run() throws IOException;
    }

    private final ExecutorService pool;
    private final int limit;
    private final String work;
    private final Deque<Future<?>> inFlight = new ArrayDeque<>();

    public BoundedTasks(int workers, int limit, String work) {
        this.pool = Executors.newFixedThreadPool(workers);
        this.limit = limit;
        this.work = work;
    }

    public void submit(IoTask task) throws IOException {
        inFlight.add(pool.submit(() -> {
            task.run();
            return null;
        }));
        while (inFlight.size() > limit) {
            result(inFlight.removeFirst(), work);
        }
    }

    /** Waits for every submitted task. */
    public void finish() throws IOException {
        while (!inFlight.isEmpty()) {
            result(inFlight.removeFirst(), work);
        }
    }

    /**
     * What {@code task} returned, once it has finished; its {@link IOException} as is, anything else
     * wrapped, naming the work.
     */
    public static <T> T result(Future<T> task, String work) throws IOException {
        try {
            return task.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw (IOException) new InterruptedIOException(work + " interrupted").initCause(e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io
                    : new IOException(work + " failed: " + e.getCause(), e.getCause());
        }
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
