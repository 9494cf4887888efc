package io.lifeboat.store.image;

import io.lifeboat.store.chunk.Zeros;
import io.lifeboat.store.crypto.ChunkId;
import io.lifeboat.store.repository.ChunkWriter;
import io.lifeboat.store.repository.Repository;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Backs up a disk image or block device as fixed, aligned chunks: all-zero chunks become holes,
 * chunks the repository already holds are not stored again. The manifest is written only after
 * every new chunk's pack and index are stored, so a listed manifest is always restorable.
 *
 * <p>Pipeline: this thread reads chunks in order into a bounded pool of buffers; worker threads
 * (one per core) test for zeros, hash, and seal new chunks into the shared {@link ChunkWriter}.
 * Memory is bounded by {@code 2 × workers + 1} chunk buffers plus the open pack.
 */
public final class ImageArchiver {
    /** What a backup did. */
    public record Result(String manifest, long size, long bytesRead, long bytesNew, int chunks, int holes,
                         int newChunks) {
    }

    private final Repository repo;
    private final int chunkSize;
    private final int packBytes;
    private final int workers;

    public ImageArchiver(Repository repo, int chunkSize, int packBytes) {
        this(repo, chunkSize, packBytes, Runtime.getRuntime().availableProcessors());
    }

    public ImageArchiver(Repository repo, int chunkSize, int packBytes, int workers) {
        this.repo = repo;
        this.chunkSize = chunkSize;
        this.packBytes = packBytes;
        this.workers = Math.max(1, workers);
    }

    public Result backup(Path image, String manifestName) throws IOException {
        ChunkWriter writer = repo.writer(packBytes);
        try (FileChannel in = FileChannel.open(image, StandardOpenOption.READ)) {
            long size = in.size();
            int count = (int) ((size + chunkSize - 1) / chunkSize);
            ChunkId[] chunks = new ChunkId[count];
            AtomicInteger holes = new AtomicInteger();
            AtomicInteger fresh = new AtomicInteger();
            AtomicLong read = new AtomicLong();
            BlockingQueue<byte[]> buffers = new ArrayBlockingQueue<>(2 * workers + 1);
            for (int i = 0; i < 2 * workers + 1; i++) {
                buffers.add(new byte[chunkSize]);
            }
            try (BoundedTasks tasks = new BoundedTasks(workers, 4 * workers, "backup of " + image)) {
                for (int i = 0; i < count; i++) {
                    byte[] buffer = takeBuffer(buffers, image);
                    long at = (long) i * chunkSize;
                    int length = (int) Math.min(chunkSize, size - at);
                    read.addAndGet(readFully(in, buffer, at, length));
                    int index = i;
                    tasks.submit(() -> {
                        try {
                            if (Zeros.isZero(buffer, 0, length)) {
                                holes.incrementAndGet();
                                return;
                            }
                            ChunkId id = repo.chunkId(buffer, 0, length);
                            chunks[index] = id;
                            if (writer.add(id, buffer, 0, length)) {
                                fresh.incrementAndGet();
                            }
                        } finally {
                            buffers.add(buffer);
                        }
                    });
                }
                tasks.finish();
            }
            writer.flush();
            repo.putManifest(manifestName, new ImageManifest(size, chunkSize, chunks).encode());
            return new Result(manifestName, size, read.get(), writer.bytesStored(), count, holes.get(), fresh.get());
        }
    }

    private static byte[] takeBuffer(BlockingQueue<byte[]> buffers, Path image) throws IOException {
        try {
            return buffers.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("backup of " + image + " interrupted", e);
        }
    }

    private static int readFully(FileChannel in, byte[] buffer, long at, int length) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(buffer, 0, length);
        while (b.hasRemaining()) {
            if (in.read(b, at + b.position()) < 0) {
                throw new IOException("image ended early at byte " + (at + b.position()));
            }
        }
        return length;
    }
}
