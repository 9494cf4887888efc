package io.lifeboat.store.image;

import io.lifeboat.store.crypto.ChunkId;
import io.lifeboat.store.crypto.CorruptBlobException;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The chunk list of one image volume: its size, chunk size and, per aligned chunk, the chunk id or
 * a hole (all-zero, not stored). Encoded as {@code MAGIC "LBIMG001" || size (8) || chunk size (4) ||
 * count (4) || ids (32 each, all-zero bytes for a hole)}; see docs/store-format.md, "Image manifest".
 */
public record ImageManifest(long size, int chunkSize, ChunkId[] chunks) {
    static final byte[] MAGIC = {'L', 'B', 'I', 'M', 'G', '0', '0', '1'};
    private static final byte[] HOLE = new byte[ChunkId.LENGTH];

    public byte[] encode() {
        ByteBuffer b = ByteBuffer.allocate(MAGIC.length + 16 + chunks.length * ChunkId.LENGTH);
        b.put(MAGIC).putLong(size).putInt(chunkSize).putInt(chunks.length);
        for (ChunkId c : chunks) {
            b.put(c == null ? HOLE : c.bytes());
        }
        return b.array();
    }

    public static ImageManifest decode(String name, byte[] bytes) throws CorruptBlobException {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        if (bytes.length < MAGIC.length + 16 || !Arrays.equals(bytes, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
            throw new CorruptBlobException("manifest " + name + ": not an image manifest");
        }
        b.position(MAGIC.length);
        long size = b.getLong();
        int chunkSize = b.getInt();
        int count = b.getInt();
        long expected = chunkSize <= 0 ? -1 : (size + chunkSize - 1) / chunkSize;
        if (count != expected || b.remaining() != (long) count * ChunkId.LENGTH) {
            throw new CorruptBlobException("manifest " + name + ": chunk list does not match size " + size);
        }
        ChunkId[] chunks = new ChunkId[count];
        byte[] id = new byte[ChunkId.LENGTH];
        for (int i = 0; i < count; i++) {
            b.get(id);
            chunks[i] = Arrays.equals(id, HOLE) ? null : ChunkId.of(id);
        }
        return new ImageManifest(size, chunkSize, chunks);
    }
}
