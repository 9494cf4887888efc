package io.lifeboat.store.crypto;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A repository's two secrets: the id key (HMAC-SHA-256, so equal plaintext gets equal ids within a
 * repository and ids reveal nothing across repositories) and the data key (AES-256-GCM). Both are
 * stored only wrapped by the caller's key-wrapping function; see docs/store-format.md, "Keys".
 */
public final class RepositoryKeys {
    static final byte FORMAT = 1;
    public static final int ENCODED_LENGTH = 1 + 32 + 32;

    private final byte[] idKey;
    private final byte[] dataKey;
    private final ThreadLocal<Mac> hmac;

    private RepositoryKeys(byte[] idKey, byte[] dataKey) {
        this.idKey = idKey;
        this.dataKey = dataKey;
        this.hmac = ThreadLocal.withInitial(() -> {
            try {
                Mac m = Mac.getInstance("HmacSHA256");
                m.init(new SecretKeySpec(idKey, "HmacSHA256"));
                return m;
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("HmacSHA256 unavailable", e);
            }
        });
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

    public ChunkId id(byte[] data, int offset, int length) {
        Mac m = hmac.get();
        m.update(data, offset, length);
        return ChunkId.of(m.doFinal());
    }

    byte[] dataKey() {
        return dataKey;
    }

    @Override
    public String toString() {
        return "RepositoryKeys[redacted]";
    }
}
