package io.lifeboat.store.crypto;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdCompressCtx;
import com.github.luben.zstd.ZstdDecompressCtx;
import com.github.luben.zstd.ZstdException;
import io.lifeboat.store.io.DirectIo;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
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
    /** Level 1: on the benchmark image it stores less than level 3 for less CPU (docs/benchmarks.md). */
    static final int ZSTD_LEVEL = 1;
    /**
     * A 16 KiB match table instead of level 1's 32 KiB: it stays in the L1 cache beside the chunk
     * streaming through, and a 1 MiB chunk has little to gain from more candidates. On the benchmark
     * image 9–13% less zstd CPU for the same stored bytes, on its tree's files 7% less for 0.6% more
     * (bench ZstdHashLog, docs/benchmarks.md). Decompression does not depend on it.
     */
    static final int ZSTD_HASH_LOG = 12;

    /** A thread's zstd contexts and output buffers, reused: a fresh context per chunk costs its tables. */
    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    private static final class Scratch {
        final ZstdCompressCtx compress = new ZstdCompressCtx().setLevel(ZSTD_LEVEL).setHashLog(ZSTD_HASH_LOG)
                .setChecksum(false);
        final ZstdDecompressCtx decompress = new ZstdDecompressCtx();
        byte[] out = new byte[0];
        /** Compressed output of a direct chunk. */
        ByteBuffer directOut = ByteBuffer.allocateDirect(0);
        /** A compressed payload being opened, before it is decompressed. */
        ByteBuffer directIn = ByteBuffer.allocateDirect(0);
        /** A sealed chunk as read from its pack. */
        ByteBuffer blob = ByteBuffer.allocateDirect(0);

        byte[] out(int length) {
            int bound = (int) Zstd.compressBound(length);
            if (out.length < bound) {
                out = new byte[bound];
            }
            return out;
        }

        ByteBuffer directOut(int length) {
            return directOut = DirectIo.atLeast(directOut, (int) Zstd.compressBound(length));
        }

        ByteBuffer directIn(int length) {
            return (directIn = DirectIo.atLeast(directIn, length)).clear();
        }

        ByteBuffer blob(int length) {
            return (blob = DirectIo.atLeast(blob, length)).clear().limit(length);
        }
    }

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
        return seal(id, ByteBuffer.wrap(data, offset, length));
    }

    /** Seals {@code data}'s remaining bytes (its position is left as it was) into a new array. */
    public byte[] seal(ChunkId id, ByteBuffer data) {
        return Envelope.bytes(sealed(id, data));
    }

    /**
     * The sealed chunk of {@code data}'s remaining bytes (its position is left as it was), between
     * the result's position and limit, in this thread's scratch: valid until the thread seals or
     * opens again, so a pack copies it once and no array is made per chunk. A direct buffer is
     * compressed and encrypted where it lies: the image backup reads windows into direct buffers so
     * that a byte is copied once, by the kernel, before it is sealed.
     */
    public ByteBuffer sealed(ChunkId id, ByteBuffer data) {
        Scratch s = SCRATCH.get();
        int length = data.remaining();
        if (data.isDirect()) {
            ByteBuffer out = s.directOut(length);
            int compressed = s.compress.compressDirectByteBuffer(out, 0, out.capacity(), data, data.position(), length);
            return compressed < length ? envelope.sealed(id.bytes(), ZSTD, out.slice(0, compressed))
                    : envelope.sealed(id.bytes(), RAW, data);
        }
        byte[] out = s.out(length);
        int offset = data.arrayOffset() + data.position();
        int compressed = s.compress.compressByteArray(out, 0, out.length, data.array(), offset, length);
        return compressed < length ? envelope.sealed(id.bytes(), ZSTD, ByteBuffer.wrap(out, 0, compressed))
                : envelope.sealed(id.bytes(), RAW, data);
    }

    /** The chunk's plaintext, verified against its id. */
    public byte[] open(ChunkId id, byte[] blob) throws CorruptBlobException {
        byte[] encoding = new byte[1];
        byte[] payload = envelope.open(id.bytes(), blob, "chunk " + id, encoding);
        byte[] plain = decode(id, encoding[0], payload);
        if (!keys.id(plain, 0, plain.length).equals(id)) {
            throw new CorruptBlobException("chunk " + id + ": content does not match its id");
        }
        return plain;
    }

    /** Fills a buffer's remaining bytes with a sealed chunk, as stored: where a chunk is read from. */
    @FunctionalInterface
    public interface Source {
        void readInto(ByteBuffer blob) throws IOException;
    }

    /**
     * Opens a chunk of {@code sealedLength} bytes that {@code source} reads into {@code into}, a
     * direct buffer whose remaining bytes are exactly the chunk's expected length, verified against
     * its id as {@link #open} does; {@code into} is left as it was. The native path reads the blob
     * into this thread's direct buffer and decrypts (and decompresses) straight into {@code into}:
     * no array is made for the chunk and no byte copied twice.
     */
    public void openInto(ChunkId id, int sealedLength, Source source, ByteBuffer into) throws IOException {
        int expected = into.remaining();
        boolean direct = into.isDirect() && NativeCrypto.fits(sealedLength);
        Scratch s = SCRATCH.get();
        ByteBuffer blob = direct ? s.blob(sealedLength) : ByteBuffer.allocate(sealedLength);
        source.readInto(blob);
        if (blob.hasRemaining()) {
            throw new CorruptBlobException("chunk " + id + ": its pack ends " + blob.remaining() + " bytes early");
        }
        blob.flip();
        if (!direct) {
            byte[] plain = open(id, blob.array());
            expectLength(id, plain.length, expected);
            into.put(into.position(), plain);
            return;
        }
        int payload = sealedLength - OVERHEAD;
        int encoding = envelope.openChunk(id.bytes(), blob, "chunk " + id,
                e -> e == ZSTD ? s.directIn(payload) : into.duplicate());
        int length;
        switch (encoding) {
            case RAW -> length = payload;
            case ZSTD -> {
                try {
                    length = s.decompress.decompressDirectByteBuffer(into, into.position(), expected, s.directIn, 0,
                            payload);
                } catch (ZstdException e) {
                    throw new CorruptBlobException("chunk " + id + ": zstd frame is damaged or longer than "
                            + expected + " bytes", e);
                }
            }
            default -> throw new CorruptBlobException("chunk " + id + ": unknown encoding " + encoding);
        }
        expectLength(id, length, expected);
        int leaves = RepositoryKeys.leaves(expected);
        byte[] digests = new byte[leaves * RepositoryKeys.DIGEST];
        RepositoryKeys.leafDigests(into.duplicate(), digests, 0);
        if (!keys.idOfDigests(digests, 0, leaves).equals(id)) {
            throw new CorruptBlobException("chunk " + id + ": content does not match its id");
        }
    }

    private static void expectLength(ChunkId id, int length, int expected) throws CorruptBlobException {
        if (length != expected) {
            throw new CorruptBlobException("chunk " + id + " has " + length + " bytes where " + expected + " belong");
        }
    }

    private static byte[] decode(ChunkId id, byte encoding, byte[] payload) throws CorruptBlobException {
        switch (encoding) {
            case RAW:
                return payload;
            case ZSTD:
                try {
                    long size = Zstd.getFrameContentSize(payload);
                    if (size < 0 || size > Integer.MAX_VALUE - 8) {
                        throw new CorruptBlobException("chunk " + id + ": zstd frame without a valid size");
                    }
                    byte[] plain = new byte[(int) size];
                    int n = SCRATCH.get().decompress.decompressByteArray(plain, 0, plain.length, payload, 0,
                            payload.length);
                    if (n != size) {
                        throw new CorruptBlobException("chunk " + id + ": zstd frame is shorter than it says");
                    }
                    return plain;
                } catch (ZstdException e) {
                    throw new CorruptBlobException("chunk " + id + ": zstd frame is damaged", e);
                }
            default:
                throw new CorruptBlobException("chunk " + id + ": unknown encoding " + encoding);
        }
    }
}
