package io.lifeboat.store.crypto;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * Encodes a chunk for storage and back: an {@link Envelope} over {@code ENCODING (1) || payload}
 * with the chunk id as associated data (docs/store-format.md, "Sealed chunk"). ENCODING 0 is the raw
 * plaintext, 1 a zstd frame, used only when it shrinks the chunk. Opening checks the tag,
 * decompresses and recomputes the chunk id, so a blob stored under the wrong id, under another
 * repository's key, or damaged in any bit is refused.
 */
public final class ChunkSealer {
    static final byte RAW = 0;
    static final byte ZSTD = 1;
    public static final int OVERHEAD = Envelope.OVERHEAD + 1;
    private static final int ZSTD_LEVEL = 3;

    private final RepositoryKeys keys;
    private final Envelope envelope;

    public ChunkSealer(RepositoryKeys keys) {
        this(keys, new SecureRandom()::nextBytes);
    }

    /** With a nonce source of the caller's choosing: only the golden-bytes test uses a fixed one. */
    ChunkSealer(RepositoryKeys keys, Consumer<byte[]> nonces) {
        this.keys = keys;
        this.envelope = new Envelope(keys.dataKey(), nonces);
    }

    public ChunkId id(byte[] data, int offset, int length) {
        return keys.id(data, offset, length);
    }

    public byte[] seal(ChunkId id, byte[] data, int offset, int length) {
        byte[] plain = Arrays.copyOfRange(data, offset, offset + length);
        byte[] compressed = Zstd.compress(plain, ZSTD_LEVEL);
        boolean shrinks = compressed.length < length;
        return envelope.seal(id.bytes(), new byte[] {shrinks ? ZSTD : RAW}, shrinks ? compressed : plain);
    }

    /** The chunk's plaintext, verified against its id. */
    public byte[] open(ChunkId id, byte[] blob) throws CorruptBlobException {
        byte[] inner = envelope.open(id.bytes(), blob, "chunk " + id);
        if (inner.length == 0) {
            throw new CorruptBlobException("chunk " + id + ": empty payload");
        }
        byte[] plain = decode(id, inner);
        if (!keys.id(plain, 0, plain.length).equals(id)) {
            throw new CorruptBlobException("chunk " + id + ": content does not match its id");
        }
        return plain;
    }

    private static byte[] decode(ChunkId id, byte[] inner) throws CorruptBlobException {
        byte[] payload = Arrays.copyOfRange(inner, 1, inner.length);
        switch (inner[0]) {
            case RAW:
                return payload;
            case ZSTD:
                try {
                    long size = Zstd.getFrameContentSize(payload);
                    if (size < 0 || size > Integer.MAX_VALUE - 8) {
                        throw new CorruptBlobException("chunk " + id + ": zstd frame without a valid size");
                    }
                    return Zstd.decompress(payload, (int) size);
                } catch (ZstdException e) {
                    throw new CorruptBlobException("chunk " + id + ": zstd frame is damaged", e);
                }
            default:
                throw new CorruptBlobException("chunk " + id + ": unknown encoding " + inner[0]);
        }
    }
}
