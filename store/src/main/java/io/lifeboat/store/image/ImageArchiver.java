package io.lifeboat.store.image;

import io.lifeboat.store.chunk.Zeros;
import io.lifeboat.store.crypto.ChunkId;
import io.lifeboat.store.crypto.RepositoryKeys;
import io.lifeboat.store.image.ImageManifest.Window;
import io.lifeboat.store.io.BoundedTasks;
import io.lifeboat.store.io.DataRegions;
import io.lifeboat.store.io.DirectIo;
import io.lifeboat.store.io.Progress;
import io.lifeboat.store.repository.ChunkWriter;
import io.lifeboat.store.repository.Repository;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Backs up a disk image or block device as aligned windows (docs/store-format.md, "Image
 * manifest"): windows in the file system's holes are recorded without reading, all-zero windows
 * become holes, windows the repository already holds are not stored again, and, given the volume's
 * previous manifest, a window with few changed 64 KiB leaves stores only those leaves. The manifest
 * is written only after every new chunk's pack and index are stored, so a listed manifest is
 * always restorable.
 *
 * <p>Pipeline: this thread walks the windows in order, records holes and hands the others to worker
 * threads (one per core), each of which reads its window into a direct buffer of its own (one copy,
 * by the kernel, with the reads spread over the cores), tests for zeros, hashes, and seals new
 * chunks from that buffer into the shared {@link ChunkWriter}, which uploads packs on its own
 * thread. Memory is bounded by one window buffer per worker plus the writer's pack segments in flight.
 */
public final class ImageArchiver {
    public static final int WINDOW = 1 << 20; // chosen by measurement: docs/benchmarks.md, "Window size"

    /** What a backup did. */
    public record Result(String manifest, long size, long bytesRead, long bytesNew, int windows, int holes,
                         int newChunks, int overriddenWindows) {
    }

    private final Repository repo;
    private final int packBytes;
    private final int workers;

    public ImageArchiver(Repository repo, int packBytes) {
        this(repo, packBytes, Runtime.getRuntime().availableProcessors());
    }

    public ImageArchiver(Repository repo, int packBytes, int workers) {
        this.repo = repo;
        this.packBytes = packBytes;
        this.workers = Math.max(1, workers);
    }

    public Result backup(Path image, String manifestName) throws IOException {
        return backup(image, manifestName, null, Progress.NONE);
    }

    /**
     * Backs up {@code image} as {@code manifestName}; {@code parentName}, when not null, names the
     * previous recovery point of the same volume, against which changed windows are stored leaf by
     * leaf. The parent's chunks are live while it is listed, and reused under the rules of
     * {@link ChunkWriter#add}.
     */
    public Result backup(Path image, String manifestName, String parentName, Progress progress)
            throws IOException {
        try (ChunkWriter writer = repo.writer(packBytes);
             FileChannel in = FileChannel.open(image, StandardOpenOption.READ)) {
            ImageManifest parent = parentName == null ? null : ImageManifest.decode(parentName, repo.manifest(parentName));
            ImageManifest.Reader before = parent == null || parent.windowSize() != WINDOW ? null
                    : parent.reader(repo, parentName);
            long size = DataRegions.sizeOf(image, in.size());
            Run run = new Run(writer, size, progress);
            InOrder out = new InOrder(new ImageManifest.Writer(repo, writer));
            Windows windows = new Windows(size, DataRegions.of(image, size), parent, before, out, run);
            BlockingQueue<ByteBuffer> buffers = windowBuffers(workers);
            // Each worker takes the next window itself rather than being handed one: no wake-ups
            // per window, which on a VM cost more than the hand-off saves (docs/benchmarks.md).
            try (BoundedTasks tasks = new BoundedTasks(workers, workers, "backup of " + image)) {
                for (int w = 0; w < workers; w++) {
                    ByteBuffer buffer = buffers.remove();
                    tasks.submit(() -> {
                        try {
                            for (Windows.Next n; (n = windows.next()) != null; ) {
                                readFully(in, buffer.clear().limit(n.length()), n.at());
                                run.read.addAndGet(n.length());
                                out.put(n.index(), run.window(buffer.flip(), n.previous()));
                            }
                        } catch (IOException | RuntimeException e) {
                            windows.stop();
                            throw e;
                        }
                    });
                }
                tasks.finish();
            }
            ImageManifest manifest = out.finish(size);
            writer.flush();
            repo.putManifest(manifestName, manifest.encode());
            return new Result(manifestName, size, run.read.get(), writer.bytesStored(), windows.count(),
                    run.holes.get(), run.fresh.get(), run.overridden.get());
        }
    }

    /**
     * Hands out the image's windows in order, each with its parent's record of it: holes are
     * recorded on the way, data windows go to the worker that asked.
     */
    private static final class Windows {
        record Next(int index, long at, int length, Window previous) {
        }

        private final long size;
        private final int count;
        private final DataRegions data;
        private final ImageManifest parent;
        private final ImageManifest.Reader before;
        private final InOrder out;
        private final Run run;
        private int next;
        private boolean stopped;

        Windows(long size, DataRegions data, ImageManifest parent, ImageManifest.Reader before, InOrder out,
                Run run) {
            this.size = size;
            this.count = ImageManifest.windows(size, WINDOW);
            this.data = data;
            this.parent = parent;
            this.before = before;
            this.out = out;
            this.run = run;
        }

        /** The next window with data, or null when there is none left (or a worker failed). */
        synchronized Next next() throws IOException {
            while (!stopped && next < count) {
                int i = next++;
                long at = (long) i * WINDOW;
                int length = (int) Math.min(WINDOW, size - at);
                Window previous = before != null && before.hasNext() ? before.next() : Window.HOLE;
                if (previous.isHole() || parent.length(i) != length) {
                    previous = Window.HOLE;
                }
                if (data.hasData(at, at + length)) {
                    return new Next(i, at, length, previous);
                }
                out.put(i, Window.HOLE);
                run.done(length, true);
            }
            return null;
        }

        synchronized void stop() {
            stopped = true;
        }

        int count() {
            return count;
        }
    }

    /** Windows finish out of order on the workers; the manifest takes them in order. */
    private static final class InOrder {
        private final ImageManifest.Writer writer;
        private final Map<Integer, Window> waiting = new HashMap<>();
        private int next;

        InOrder(ImageManifest.Writer writer) {
            this.writer = writer;
        }

        synchronized void put(int index, Window w) throws IOException {
            waiting.put(index, w);
            while (waiting.containsKey(next)) {
                writer.write(waiting.remove(next++));
            }
        }

        synchronized ImageManifest finish(long size) throws IOException {
            if (!waiting.isEmpty()) {
                throw new IllegalStateException("windows left unwritten from " + next);
            }
            return writer.finish(size, WINDOW);
        }
    }

    /** One backup's shared state; {@link #window} runs on worker threads. */
    private final class Run {
        final ChunkWriter writer;
        final long size;
        final Progress progress;
        final AtomicLong read = new AtomicLong();
        final AtomicLong done = new AtomicLong();
        final AtomicInteger holes = new AtomicInteger();
        final AtomicInteger fresh = new AtomicInteger();
        final AtomicInteger overridden = new AtomicInteger();

        Run(ChunkWriter writer, long size, Progress progress) {
            this.writer = writer;
            this.size = size;
            this.progress = progress;
        }

        void done(int length, boolean hole) {
            if (hole) {
                holes.incrementAndGet();
            }
            progress.update(done.addAndGet(length), size, read.get(), writer.bytesStored());
        }

        /** The record of a window's bytes, {@code buffer}'s remaining ones (a direct buffer, left as it was). */
        Window window(ByteBuffer buffer, Window before) throws IOException {
            int length = buffer.remaining();
            if (Zeros.isZero(buffer, 0, length)) {
                done(length, true);
                return Window.HOLE;
            }
            int leaves = RepositoryKeys.leaves(length);
            byte[] full = new byte[leaves * RepositoryKeys.DIGEST];
            RepositoryKeys.leafDigests(buffer, full, 0);
            byte[] digests = new byte[leaves * ImageManifest.DIGEST];
            for (int j = 0; j < leaves; j++) {
                System.arraycopy(full, j * RepositoryKeys.DIGEST, digests, j * ImageManifest.DIGEST, ImageManifest.DIGEST);
            }
            Window w = before.isHole() || !indexed(before) ? null
                    : sameOrOverridden(before, buffer, full, digests);
            if (w == null) {
                ChunkId id = repo.idOfDigests(full, 0, leaves);
                if (writer.add(id, buffer)) {
                    fresh.incrementAndGet();
                }
                w = new Window(id, digests, new ChunkId[leaves]);
            }
            done(length, false);
            return w;
        }

        /** Whether every chunk of a parent window is indexed: a damaged parent is not built upon. */
        private boolean indexed(Window w) {
            boolean[] all = {true};
            w.chunks(id -> all[0] &= repo.contains(id));
            return all[0];
        }

        /**
         * The window as the previous one's base with overrides, when it is unchanged or at most half
         * its leaves differ from the base; null when a new base is the better record.
         */
        private Window sameOrOverridden(Window before, ByteBuffer buffer, byte[] full, byte[] digests)
                throws IOException {
            int length = buffer.remaining();
            if (Arrays.equals(digests, before.digests())) {
                return before;
            }
            int leaves = digests.length / ImageManifest.DIGEST;
            boolean[] changed = new boolean[leaves];
            int overriddenLeaves = 0;
            for (int j = 0; j < leaves; j++) {
                int from = j * ImageManifest.DIGEST;
                int to = from + ImageManifest.DIGEST;
                changed[j] = !Arrays.equals(digests, from, to, before.digests(), from, to);
                overriddenLeaves += changed[j] || before.overrides()[j] != null ? 1 : 0;
            }
            if (overriddenLeaves * 2 > leaves || repo.contains(repo.idOfDigests(full, 0, leaves))) {
                return null;
            }
            ChunkId[] overrides = before.overrides().clone();
            for (int j = 0; j < leaves; j++) {
                if (!changed[j]) {
                    continue;
                }
                int from = j * ImageManifest.LEAF;
                int leafLength = Math.min(ImageManifest.LEAF, length - from);
                if (Zeros.isZero(buffer, from, leafLength)) {
                    overrides[j] = ImageManifest.ZEROS;
                } else {
                    ChunkId leaf = repo.idOfDigests(full, j * RepositoryKeys.DIGEST, 1);
                    if (writer.add(leaf, buffer.slice(from, leafLength))) {
                        fresh.incrementAndGet();
                    }
                    overrides[j] = leaf;
                }
            }
            overridden.incrementAndGet();
            return new Window(before.base(), digests, overrides);
        }
    }

    /** A pool of {@code n} direct window buffers: one per worker bounds a backup's or restore's memory. */
    static BlockingQueue<ByteBuffer> windowBuffers(int n) {
        BlockingQueue<ByteBuffer> buffers = new ArrayBlockingQueue<>(n);
        ByteBuffer slab = DirectIo.allocate(n * WINDOW); // one mapping: huge pages where there are any
        for (int i = 0; i < n; i++) {
            buffers.add(slab.slice(i * WINDOW, WINDOW));
        }
        return buffers;
    }

    static ByteBuffer take(BlockingQueue<ByteBuffer> buffers, String work) throws IOException {
        try {
            return buffers.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException(work + " interrupted");
        }
    }

    /** Fills {@code b} from its position to its limit with the image's bytes from {@code at}. */
    private static void readFully(FileChannel in, ByteBuffer b, long at) throws IOException {
        long from = at - b.position();
        while (b.hasRemaining()) {
            if (in.read(b, from + b.position()) < 0) {
                throw new IOException("image ended early at byte " + (from + b.position()));
            }
        }
    }
}
