package io.lifeboat.store.repository;

import io.lifeboat.store.crypto.ChunkId;
import io.lifeboat.store.pack.PackEntry;
import io.lifeboat.store.pack.PackWriter;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Adds new chunks to a repository: seals them into packs, uploads each pack when it reaches its
 * target size, and on {@link #flush()} uploads the last pack and then an index file naming every
 * chunk written. Order matters for crash safety: a chunk is indexed only after its pack is stored,
 * and callers write a manifest only after {@code flush()} returns.
 *
 * <p>Safe for several threads: a chunk is claimed before it is sealed (so two workers meeting the
 * same new content seal it once) and sealing runs outside the lock; only appending to the open pack
 * (a copy of the sealed bytes) is serialised. Full packs go to one uploader thread through a queue
 * of one, so workers keep sealing while a pack is written and synced, and at most three packs are
 * in memory (in pooled direct buffers, {@link io.lifeboat.store.io.DirectIo}). A writer
 * serves one backup: {@code flush()} ends it, {@code close()} abandons it.
 */
public final class ChunkWriter implements AutoCloseable {
    private static final PackWriter.Pack END = new PackWriter.Pack("", ByteBuffer.allocate(0), List.of());

    private final Repository repo;
    private final int packBytes;
    private PackWriter pack;
    private final Map<ChunkId, Location> written = new HashMap<>();
    private final Set<ChunkId> claimed = ConcurrentHashMap.newKeySet();
    private long bytesStored;
    private final BlockingQueue<PackWriter.Pack> uploads = new ArrayBlockingQueue<>(1);
    private final Thread uploader;
    private volatile IOException uploadFailure;

    /** When this writer started, and the chunks it must not deduplicate against (see {@link #add}). */
    private final long started;
    private final Set<ChunkId> condemnedLongAgo = new HashSet<>();

    ChunkWriter(Repository repo, int packBytes) throws IOException {
        this.repo = repo;
        this.packBytes = packBytes;
        this.started = repo.clock().millis();
        long halfGrace = repo.gcGrace().toMillis() / 2;
        GcState state = repo.gcStateWithCurrentIndex();
        state.chunks().forEach((id, since) -> {
            if (since < started - halfGrace) {
                condemnedLongAgo.add(id);
            }
        });
        this.pack = new PackWriter(repo.envelope(), packBytes);
        this.uploader = Thread.ofPlatform().name("pack-uploader").daemon().start(this::uploadLoop);
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
        if ((repo.contains(id) && !condemnedLongAgo.contains(id)) || !claimed.add(id)) {
            return false;
        }
        int length = data.remaining();
        ByteBuffer sealed = repo.sealer().sealed(id, data);
        PackWriter full = null;
        synchronized (this) {
            pack.add(id, sealed, length);
            bytesStored += sealed.remaining();
            if (pack.size() >= packBytes) {
                full = pack;
                pack = new PackWriter(repo.envelope(), packBytes);
            }
        }
        if (full != null) {
            enqueue(full.finish());
        }
        return true;
    }

    /** Sealed bytes this writer has stored (new data, after compression). */
    public synchronized long bytesStored() {
        return bytesStored;
    }

    private void enqueue(PackWriter.Pack done) throws IOException {
        failIfUploadFailed();
        try {
            uploads.put(done);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting to upload a pack");
        }
    }

    private void uploadLoop() {
        while (true) {
            PackWriter.Pack done;
            try {
                done = uploads.take();
            } catch (InterruptedException e) {
                return;
            }
            if (done == END) {
                return;
            }
            if (uploadFailure != null) {
                continue; // drain so producers never block on a dead uploader
            }
            try {
                repo.backend().put(Repository.packPath(done.name()), done.data());
                synchronized (written) {
                    for (PackEntry e : done.entries()) {
                        written.put(e.id(), new Location(done.name(), e.offset(), e.sealedLength(), e.plainLength()));
                    }
                }
            } catch (IOException | RuntimeException e) {
                uploadFailure = e instanceof IOException io ? io : new IOException("pack upload failed: " + e, e);
            } finally {
                done.release();
            }
        }
    }

    private void failIfUploadFailed() throws IOException {
        IOException failure = uploadFailure;
        if (failure != null) {
            throw new IOException("an earlier pack upload failed: " + failure.getMessage(), failure);
        }
    }

    /** Uploads the open pack and an index file for everything written; then the chunks are readable. */
    public void flush() throws IOException {
        PackWriter last;
        synchronized (this) {
            last = pack;
            pack = new PackWriter(repo.envelope(), packBytes);
        }
        if (last.count() > 0) {
            enqueue(last.finish());
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
                repo.putIndex(written);
                written.clear();
            }
        }
    }

    private void stopUploader() throws IOException {
        try {
            uploads.put(END);
            uploader.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for pack uploads");
        }
    }

    /** Stops the uploader without writing an index: what a failed backup does (its packs stay unreferenced). */
    @Override
    public void close() {
        if (uploader.isAlive()) {
            uploader.interrupt();
        }
    }
}
