package io.lifeboat.store.repository;

import io.lifeboat.store.backend.Backend;
import io.lifeboat.store.crypto.ChunkId;
import io.lifeboat.store.io.DirectIo;
import io.lifeboat.store.pack.PackEntry;
import io.lifeboat.store.pack.PackWriter;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Adds new chunks to a repository: seals them into packs, uploads each pack when it reaches its
 * target size, writes an index file for every {@link #INDEX_ENTRIES} chunks stored, and on
 * {@link #flush()} uploads the last pack and then an index file naming the rest. Order matters
 * for crash safety: a chunk is indexed only after its pack is stored, and callers write a manifest
 * only after {@code flush()} returns.
 *
 * <p>Safe for several threads: a chunk is claimed before it is sealed (so two workers meeting the
 * same new content seal it once) and sealing runs outside the lock; only appending to the open pack
 * (a copy of the sealed bytes) is serialised. A pack's segments go to one uploader thread through a
 * short queue as they fill, so workers keep sealing while the uploader writes, and a backup's packs
 * in flight hold at most {@link #QUEUED} + 2 segments of memory (pooled direct buffers,
 * {@link io.lifeboat.store.io.DirectIo}). A written pack is handed to a publisher thread, which syncs
 * it, publishes it and records its chunks while the uploader writes the next: a sync took as long
 * as writing the pack on the benchmark VM, and with both on one thread the uploader was the full
 * image backup's limit (docs/benchmarks.md). One pack is published at a time. A writer serves one
 * backup: {@code flush()} ends it, {@code close()} abandons it.
 */
public final class ChunkWriter implements AutoCloseable {
    /** Segments waiting for the uploader: enough to cover its wait for the publisher to take a finished pack. */
    static final int QUEUED = 4;
    /** What goes to the uploader: a piece of the open pack, or the news that the pack is complete. */
    private record UploadWork(ByteBuffer piece, PackWriter.Pack finished) {
    }

    private static final UploadWork END = new UploadWork(null, null);
    /** A written pack on its way to the publisher. */
    private record Written(Backend.Upload upload, PackWriter.Pack pack) {
    }

    private static final Written PUBLISHED_ALL = new Written(null, null);
    /**
     * Entries an index file takes before the publisher writes it, mid-backup: a backup of millions of
     * small files would otherwise hold them all (and their 112-byte encoding) until its end. An early
     * index names stored packs only, as any index does; it is what a backup that fails later leaves.
     */
    static final int INDEX_ENTRIES = 32_768;

    private final Repository repo;
    private final int packBytes;
    private PackWriter pack;
    private final Map<ChunkId, Location> written = new HashMap<>();
    private final Set<ChunkId> claimed = ConcurrentHashMap.newKeySet();
    /**
     * Read by progress callbacks once a file or window is done: a counter of its own, so they never
     * wait on this writer's lock, which a worker may hold while the upload queue is full.
     */
    private final AtomicLong bytesStored = new AtomicLong();
    private final BlockingQueue<UploadWork> uploads = new ArrayBlockingQueue<>(QUEUED);
    private final Thread uploader;
    /** A hand-off: the uploader waits while the publisher is still busy with the pack before. */
    private final SynchronousQueue<Written> toPublish = new SynchronousQueue<>();
    private final Thread publisher;
    private volatile IOException uploadFailure;

    /** When this writer started, and the chunks it must not deduplicate against (see {@link #add}). */
    private final long started;
    private final IdLongs condemned;
    /** A chunk condemned before this is stored again, not reused. */
    private final long reuseCondemnedSince;

    ChunkWriter(Repository repo, int packBytes) throws IOException {
        this.repo = repo;
        this.packBytes = packBytes;
        this.started = repo.clock().millis();
        this.reuseCondemnedSince = started - repo.gcGrace().toMillis() / 2;
        this.condemned = repo.gcStateWithCurrentIndex().chunks();
        this.pack = newPack();
        this.uploader = Thread.ofPlatform().name("pack-uploader").daemon().start(this::uploadLoop);
        this.publisher = Thread.ofPlatform().name("pack-publisher").daemon().start(this::publishLoop);
    }

    /**
     * Stores a chunk unless the repository (or this writer) has it; returns whether it was new.
     * A chunk that garbage collection condemned more than half a grace period before this writer
     * started is stored again rather than reused: it may be deleted before this writer commits.
     * Any other condemned chunk is deleted no sooner than half a grace period after this writer
     * started, which is why {@link #flush} refuses to commit later than that.
     */
    public boolean add(ChunkId id, byte[] data, int offset, int length) throws IOException {
        return add(id, ByteBuffer.wrap(data, offset, length));
    }

    /** As above, for {@code data}'s remaining bytes, which are sealed before this returns. */
    public boolean add(ChunkId id, ByteBuffer data) throws IOException {
        if ((repo.contains(id) && !condemnedLongAgo(id)) || !claimed.add(id)) {
            return false;
        }
        int length = data.remaining();
        ByteBuffer sealed = repo.sealer().sealed(id, data);
        // pieces reach the queue in pack order because they are appended and finished under the lock
        synchronized (this) {
            pack.add(id, sealed, length);
            bytesStored.addAndGet(sealed.remaining());
            if (pack.size() >= packBytes) {
                finishPack();
            }
        }
        return true;
    }

    /** Sends the open pack's last piece and its completion to the uploader; under this writer's lock. */
    private void finishPack() throws IOException {
        enqueue(new UploadWork(null, pack.finish()));
        pack = newPack();
    }

    private PackWriter newPack() {
        return new PackWriter(repo.envelope(), piece -> enqueue(new UploadWork(piece, null)));
    }

    /** Sealed bytes this writer has stored (new data, after compression). */
    public long bytesStored() {
        return bytesStored.get();
    }

    private void enqueue(UploadWork next) throws IOException {
        failIfUploadFailed();
        try {
            uploads.put(next);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting to upload a pack");
        }
    }

    private void uploadLoop() {
        Backend.Upload open = null;
        try {
            while (true) {
                UploadWork next = uploads.take();
                if (next == END) {
                    toPublish.put(PUBLISHED_ALL);
                    return;
                }
                try {
                    if (uploadFailure != null) {
                        continue; // drain so producers never block on a dead uploader
                    }
                    if (next.piece() != null) {
                        if (open == null) {
                            open = repo.backend().upload();
                        }
                        open.write(next.piece());
                        continue;
                    }
                    toPublish.put(new Written(open, next.finished()));
                    open = null;
                } catch (IOException | RuntimeException | Error e) {
                    failed(e);
                    if (open != null) {
                        open.close();
                        open = null;
                    }
                } finally {
                    if (next.piece() != null) {
                        DirectIo.give(next.piece());
                    }
                }
            }
        } catch (InterruptedException e) {
            // abandoned: the pack being written is discarded below
        } finally {
            if (open != null) {
                open.close();
            }
        }
    }

    private void publishLoop() {
        try {
            for (Written next; (next = toPublish.take()) != PUBLISHED_ALL; ) {
                try (Backend.Upload upload = next.upload()) {
                    if (uploadFailure != null) {
                        continue; // nothing more is published once a pack failed
                    }
                    PackWriter.Pack done = next.pack();
                    upload.publish(Repository.packPath(done.name()));
                    synchronized (written) {
                        for (PackEntry e : done.entries()) {
                            written.put(e.id(), new Location(done.name(), e.offset(), e.sealedLength(), e.plainLength()));
                        }
                        if (written.size() >= INDEX_ENTRIES) {
                            writeIndex();
                        }
                    }
                } catch (IOException | RuntimeException | Error e) {
                    failed(e);
                }
            }
        } catch (InterruptedException e) {
            // abandoned: a pack handed over but not taken is closed by the uploader
        }
    }

    /** Any failure, out of memory too, fails the backup: a dead uploader or publisher would leave workers blocked. */
    private void failed(Throwable e) {
        uploadFailure = e instanceof IOException io ? io : new IOException("pack upload failed: " + e, e);
    }

    private void failIfUploadFailed() throws IOException {
        IOException failure = uploadFailure;
        if (failure != null) {
            throw new IOException("an earlier pack upload failed: " + failure.getMessage(), failure);
        }
    }

    /** Uploads the open pack and an index file for everything written; then the chunks are readable. */
    public void flush() throws IOException {
        synchronized (this) {
            if (pack.count() > 0) {
                finishPack();
            }
        }
        stopUploader();
        failIfUploadFailed();
        long deadline = started + repo.gcGrace().toMillis() / 2;
        if (repo.clock().millis() >= deadline) {
            throw new IOException("the backup ran longer than half the garbage-collection grace period ("
                    + repo.gcGrace() + "): chunks it reused may already be collected, so it is not committed");
        }
        synchronized (written) {
            if (!written.isEmpty()) {
                writeIndex();
            }
        }
    }

    /**
     * Indexes what was written since the last index file. Indexed chunks are found by
     * {@link Repository#contains} from now on, so they need no claim any more (a worker that checked
     * just before may store one twice, which is harmless): the claims stay as few as the chunks not
     * yet indexed. A chunk stored again because it was condemned long ago keeps its claim.
     */
    private void writeIndex() throws IOException {
        repo.putIndex(written);
        for (ChunkId id : written.keySet()) {
            if (!condemnedLongAgo(id)) {
                claimed.remove(id);
            }
        }
        written.clear();
    }

    private boolean condemnedLongAgo(ChunkId id) {
        return condemned.get(id, Long.MAX_VALUE) < reuseCondemnedSince;
    }

    private void stopUploader() throws IOException {
        try {
            uploads.put(END);
            uploader.join();
            publisher.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for pack uploads");
        }
    }

    /**
     * Stops the uploader without writing the last index: what a failed backup does (its packs, indexed
     * or not, stay unreferenced until garbage collection).
     */
    @Override
    public void close() {
        if (uploader.isAlive()) {
            if (uploadFailure == null) {
                uploadFailure = new IOException("the chunk writer was closed");
            }
            uploader.interrupt();
            uploads.clear(); // a worker still adding is let go, and fails at its next piece
        }
        publisher.interrupt();
    }
}
