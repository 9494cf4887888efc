package io.lifeboat.store.crypto;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdException;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.function.Consumer;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encodes a chunk for storage and back. Blob layout (docs/store-format.md, "Sealed chunk"):
 * {@code VERSION (1) || nonce (12) || AES-256-GCM(data key, ENCODING (1) || payload, aad = chunk id) || tag (16)}.
 * ENCODING 0 is the raw plaintext, 1 is a zstd frame; zstd is used only when it shrinks the chunk.
 * Opening checks the tag, decompresses, and recomputes the chunk id, so a blob stored under the
 * wrong id, under another repository's key, or damaged in any bit is refused.
 */
public final class ChunkSealer {
    static final byte VERSION = 1;
    static final byte RAW = 0;
    static final byte ZSTD = 1;
    static final int NONCE = 12;
    static final int TAG = 16;
    public static final int OVERHEAD = 1 + NONCE + 1 + TAG;
    private static final int ZSTD_LEVEL = 3;

    private final RepositoryKeys keys;
    private final SecretKeySpec key;
    private final Consumer<byte[]> nonces;

    public ChunkSealer(RepositoryKeys keys) {
        this(keys, new SecureRandom()::nextBytes);
    }

    /** With a nonce source of the caller's choosing: only the golden-bytes test uses a fixed one. */
    ChunkSealer(RepositoryKeys keys, Consumer<byte[]> nonces) {
        this.keys = keys;
        this.key = new SecretKeySpec(keys.dataKey(), "AES");
        this.nonces = nonces;
    }

    public ChunkId id(byte[] data, int offset, int length) {
        return keys.id(data, offset, length);
    }

    public byte[] seal(ChunkId id, byte[] data, int offset, int length) {
        byte[] compressed = Zstd.compress(Arrays.copyOfRange(data, offset, offset + length), ZSTD_LEVEL);
        boolean shrinks = compressed.length < length;
        byte[] payload = shrinks ? compressed : Arrays.copyOfRange(data, offset, offset + length);
        byte[] nonce = new byte[NONCE];
        nonces.accept(nonce);
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG * 8, nonce));
            c.updateAAD(id.bytes());
            ByteBuffer out = ByteBuffer.allocate(1 + NONCE + c.getOutputSize(1 + payload.length));
            out.put(VERSION).put(nonce);
            c.update(ByteBuffer.wrap(new byte[] {shrinks ? ZSTD : RAW}), out);
            c.doFinal(ByteBuffer.wrap(payload), out);
            return out.array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM unavailable", e);
        }
    }

    /** The chunk's plaintext, verified against its id. */
    public byte[] open(ChunkId id, byte[] blob) throws CorruptBlobException {
        if (blob.length < OVERHEAD || blob[0] != VERSION) {
            throw new CorruptBlobException("chunk " + id + ": not a version " + VERSION + " sealed chunk");
        }
        byte[] inner;
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG * 8, blob, 1, NONCE));
            c.updateAAD(id.bytes());
            inner = c.doFinal(blob, 1 + NONCE, blob.length - 1 - NONCE);
        } catch (AEADBadTagException e) {
            throw new CorruptBlobException("chunk " + id + ": authentication failed (wrong key or damaged data)", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM unavailable", e);
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
