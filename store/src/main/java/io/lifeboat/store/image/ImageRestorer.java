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
 * is sparse), then every stored chunk is read, verified against its id and written in place. A
 * chunk that fails verification stops the restore with the chunk named; no unverified byte is written.
 */
public final class ImageRestorer {
    private final Repository repo;

    public ImageRestorer(Repository repo) {
        this.repo = repo;
    }

    public ImageManifest manifest(String name) throws IOException {
        return ImageManifest.decode(name, repo.manifest(name));
    }

    public void restore(String manifestName, Path target) throws IOException {
        ImageManifest m = manifest(manifestName);
        try (FileChannel out = FileChannel.open(target, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            for (int i = 0; i < m.chunks().length; i++) {
                ChunkId id = m.chunks()[i];
                if (id == null) {
                    continue;
                }
                byte[] data = repo.read(id);
                long at = (long) i * m.chunkSize();
                long expected = Math.min(m.chunkSize(), m.size() - at);
                if (data.length != expected) {
                    throw new CorruptBlobException("chunk " + id + " of " + manifestName + " has " + data.length
                            + " bytes where " + expected + " belong");
                }
                ByteBuffer b = ByteBuffer.wrap(data);
                while (b.hasRemaining()) {
                    out.write(b, at + b.position());
                }
            }
            if (out.size() != m.size()) {
                out.truncate(m.size());
                if (out.size() < m.size()) {
                    out.write(ByteBuffer.allocate(1), m.size() - 1); // extend to full size; the tail is a hole
                }
            }
            out.force(true);
        }
    }
}
