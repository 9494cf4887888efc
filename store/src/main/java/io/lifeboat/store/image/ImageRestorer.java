package io.lifeboat.store.image;

import io.lifeboat.store.crypto.ChunkId;
import io.lifeboat.store.crypto.CorruptBlobException;
import io.lifeboat.store.repository.Repository;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Restores an image volume to a file: the file is sized first (holes stay unwritten, so the output
 * is sparse), then stored chunks are read, verified against their ids and written in place by one
 * worker per core, with a bounded number in flight. A chunk that fails verification stops the
 * restore with the chunk named; no unverified byte is written.
 */
public final class ImageRestorer {
    private final Repository repo;
    private final int workers;

    public ImageRestorer(Repository repo) {
        this(repo, Runtime.getRuntime().availableProcessors());
    }

    public ImageRestorer(Repository repo, int workers) {
        this.repo = repo;
        this.workers = Math.max(1, workers);
    }

    public ImageManifest manifest(String name) throws IOException {
        return ImageManifest.decode(name, repo.manifest(name));
    }

    public void restore(String manifestName, Path target) throws IOException {
        ImageManifest m = manifest(manifestName);
        try (FileChannel out = FileChannel.open(target, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            if (m.size() > 0) {
                out.write(ByteBuffer.allocate(1), m.size() - 1); // full size first; the file stays sparse
            }
            try (BoundedTasks tasks = new BoundedTasks(workers, 2 * workers, "restore of " + manifestName)) {
                for (int i = 0; i < m.chunks().length; i++) {
                    ChunkId id = m.chunks()[i];
                    if (id == null) {
                        continue;
                    }
                    long at = (long) i * m.chunkSize();
                    long expected = Math.min(m.chunkSize(), m.size() - at);
                    tasks.submit(() -> writeChunk(out, manifestName, id, at, expected));
                }
                tasks.finish();
            }
            out.force(true);
        }
    }

    private void writeChunk(FileChannel out, String manifestName, ChunkId id, long at, long expected)
            throws IOException {
        byte[] data = repo.read(id);
        if (data.length != expected) {
            throw new CorruptBlobException("chunk " + id + " of " + manifestName + " has " + data.length
                    + " bytes where " + expected + " belong");
        }
        ByteBuffer b = ByteBuffer.wrap(data);
        while (b.hasRemaining()) {
            out.write(b, at + b.position());
        }
    }
}
