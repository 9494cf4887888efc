package io.lifeboat.store.crypto;

import io.lifeboat.store.chunk.Zeros;
import java.nio.ByteBuffer;
import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;

/**
 * A repository's two secrets: the id key (HMAC-SHA-256, so equal plaintext gets equal ids within a
 * repository and ids reveal nothing across repositories) and the data key (AES-256-GCM). Both are
 * stored only wrapped by the caller's key-wrapping function; see docs/store-format.md, "Keys".
 */
public final class RepositoryKeys {
    static final byte FORMAT = 1;
    /** Leaf size of the chunk-id hash tree. */
    public static final int LEAF = 64 * 1024;
    public static final int DIGEST = 32;
    private static final int HMAC_BLOCK = 64;
    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    });
    /** The SHA-256 of a leaf of zeros. */
    private static final byte[] ZERO_LEAF = SHA256.get().digest(new byte[LEAF]);
    public static final int ENCODED_LENGTH = 1 + 32 + 32;

    private final byte[] idKey;
    private final byte[] dataKey;
    /** The id key padded to SHA-256's block and XORed with HMAC's inner and outer pads (RFC 2104). */
    private final byte[] innerPad;
    private final byte[] outerPad;

    private RepositoryKeys(byte[] idKey, byte[] dataKey) {
        this.idKey = idKey;
        this.dataKey = dataKey;
        this.innerPad = pad(idKey, (byte) 0x36);
        this.outerPad = pad(idKey, (byte) 0x5c);
    }

    private static byte[] pad(byte[] key, byte with) {
        byte[] block = new byte[HMAC_BLOCK];
        for (int i = 0; i < block.length; i++) {
            block[i] = (byte) ((i < key.length ? key[i] : 0) ^ with);
        }
        return block;
    }

    public static RepositoryKeys generate(SecureRandom random) {
        byte[] id = new byte[32];
        byte[] data = new byte[32];
        random.nextBytes(id);
        random.nextBytes(data);
        return new RepositoryKeys(id, data);
    }

    /** FORMAT (1) || id key (32) || data key (32): the plaintext the caller wraps. */
    public byte[] encode() {
        return ByteBuffer.allocate(ENCODED_LENGTH).put(FORMAT).put(idKey).put(dataKey).array();
    }

    public static RepositoryKeys decode(byte[] encoded) {
        if (encoded.length != ENCODED_LENGTH || encoded[0] != FORMAT) {
            throw new IllegalArgumentException("not a Lifeboat repository key set (format " + FORMAT + ")");
        }
        ByteBuffer b = ByteBuffer.wrap(encoded, 1, 64);
        byte[] id = new byte[32];
        byte[] data = new byte[32];
        b.get(id).get(data);
        return new RepositoryKeys(id, data);
    }

    /**
     * A chunk's id: HMAC-SHA-256 under the id key of the SHA-256 digests of its {@link #LEAF}-sized
     * pieces (docs/store-format.md, "Chunk id"). One definition for every chunk; the leaf digests are
     * what lets an image backup tell which 64 KiB of a changed chunk changed, at no extra hashing.
     */
    public ChunkId id(byte[] data, int offset, int length) {
        int leaves = leaves(length);
        byte[] digests = new byte[leaves * DIGEST];
        leafDigests(data, offset, length, digests, 0);
        return idOfDigests(digests, 0, leaves);
    }

    /**
     * The id of a chunk whose leaf digests are {@code count} consecutive 32-byte digests at
     * {@code offset}: HMAC-SHA-256 spelled out over {@link MessageDigest}, because the JDK's
     * {@code Mac} costs a one-time initialisation of its provider framework (60–100 ms on the
     * benchmark VM) that stalled the first chunk of every backup.
     */
    public ChunkId idOfDigests(byte[] digests, int offset, int count) {
        MessageDigest sha = SHA256.get();
        sha.update(innerPad);
        sha.update(digests, offset, count * DIGEST);
        byte[] inner = sha.digest();
        sha.update(outerPad);
        sha.update(inner);
        return ChunkId.of(sha.digest());
    }

    /** Writes the SHA-256 of each leaf of {@code data[offset, offset+length)} to {@code out} at {@code at}. */
    public static void leafDigests(byte[] data, int offset, int length, byte[] out, int at) {
        leafDigests(ByteBuffer.wrap(data, offset, length), out, at);
    }

    /** As above, for {@code data}'s remaining bytes; a direct buffer is hashed where it lies. */
    public static void leafDigests(ByteBuffer data, byte[] out, int at) {
        if (NativeCrypto.fits(data.remaining())) {
            NativeCrypto.leafDigests(data, out, at);
            return;
        }
        leafDigestsJdk(data.duplicate(), out, at);
    }

    static void leafDigestsJdk(ByteBuffer data, byte[] out, int at) {
        MessageDigest sha = SHA256.get();
        int end = data.limit();
        while (data.position() < end) {
            if (zeroLeaf(data, data.position(), end - data.position(), out, at)) {
                data.position(data.position() + LEAF);
                at += DIGEST;
                continue;
            }
            sha.update(data.limit(Math.min(end, data.position() + LEAF)));
            data.limit(end);
            try {
                at += sha.digest(out, at, DIGEST);
            } catch (DigestException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /**
     * Whether the leaf at {@code data[from]} ({@code left} bytes to the end) is a whole leaf of zeros,
     * whose digest it then writes to {@code out} at {@code at}: images hold many such leaves inside
     * their data windows (113 MB of the benchmark's 1.5 GB), and the check stops at a leaf's first
     * non-zero byte, so it costs next to nothing where there are none.
     */
    static boolean zeroLeaf(ByteBuffer data, int from, int left, byte[] out, int at) {
        if (left < LEAF || !Zeros.isZero(data, from, LEAF)) {
            return false;
        }
        System.arraycopy(ZERO_LEAF, 0, out, at, DIGEST);
        return true;
    }

    /** How many leaves a chunk of {@code length} bytes has. */
    public static int leaves(int length) {
        return (length + LEAF - 1) / LEAF;
    }

    byte[] dataKey() {
        return dataKey;
    }

    @Override
    public String toString() {
        return "RepositoryKeys[redacted]";
    }
}
