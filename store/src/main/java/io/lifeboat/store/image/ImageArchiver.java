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

/**
 * Backs up a disk image or block device as fixed, aligned chunks: all-zero chunks become holes,
 * chunks the repository already holds are not stored again. The manifest is written only after
 * every new chunk's pack and index are stored, so a listed manifest is always restorable.
 *
 * <p>Sequential for now: one reader, one sealer. The parallel pipeline of issue 3 replaces the loop.
 */
public final class ImageArchiver {
    /** What a backup did. */
    public record Result(String manifest, long size, long bytesRead, long bytesNew, int chunks, int holes,
                         int newChunks) {
    }

    private final Repository repo;
    private final int chunkSize;
    private final int packBytes;

    public ImageArchiver(Repository repo, int chunkSize, int packBytes) {
        this.repo = repo;
        this.chunkSize = chunkSize;
        this.packBytes = packBytes;
    }

    public Result backup(Path image, String manifestName) throws IOException {
        ChunkWriter writer = repo.writer(packBytes);
        try (FileChannel in = FileChannel.open(image, StandardOpenOption.READ)) {
            long size = in.size();
            int count = (int) ((size + chunkSize - 1) / chunkSize);
            ChunkId[] chunks = new ChunkId[count];
            ByteBuffer buffer = ByteBuffer.allocate(chunkSize);
            long read = 0;
            int holes = 0;
            int fresh = 0;
            for (int i = 0; i < count; i++) {
                buffer.clear();
                long at = (long) i * chunkSize;
                int want = (int) Math.min(chunkSize, size - at);
                buffer.limit(want);
                while (buffer.hasRemaining() && in.read(buffer, at + buffer.position()) >= 0) {
                    // fill the chunk
                }
                read += buffer.position();
                byte[] data = buffer.array();
                if (Zeros.isZero(data, 0, want)) {
                    holes++;
                    continue;
                }
                ChunkId id = repo.chunkId(data, 0, want);
                chunks[i] = id;
                if (writer.add(id, data, 0, want)) {
                    fresh++;
                }
            }
            writer.flush();
            repo.putManifest(manifestName, new ImageManifest(size, chunkSize, chunks).encode());
            return new Result(manifestName, size, read, writer.bytesStored(), count, holes, fresh);
        }
    }
}
