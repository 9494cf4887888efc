package io.lifeboat.store.crypto;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-256-GCM with associated data, in Lifeboat's one sealed layout:
 * {@code VERSION (1) || nonce (12) || ciphertext || tag (16)}. Sealed chunks bind their chunk id as
 * associated data; metadata (pack headers, index files, manifests) binds a label naming what it is,
 * so one kind cannot be passed off as another. The server's master key uses the same layout.
 */
public final class Envelope {
    static final byte VERSION = 1;
    static final int NONCE = 12;
    static final int TAG = 16;
    public static final int OVERHEAD = 1 + NONCE + TAG;
    private static final int SLICE = 64 * 1024;

    private final SecretKeySpec key;
    private final byte[] rawKey;
    private final Consumer<byte[]> nonces;

    public Envelope(RepositoryKeys keys) {
        this(keys.dataKey(), new SecureRandom()::nextBytes);
    }

    /** An envelope under any 256-bit key (the server's master key, a KMS key's material). */
    public static Envelope withKey(byte[] key) {
        if (key.length != 32) {
            throw new IllegalArgumentException("an AES-256 key is 32 bytes, got " + key.length);
        }
        return new Envelope(key.clone(), new SecureRandom()::nextBytes);
    }

    Envelope(byte[] key, Consumer<byte[]> nonces) {
        this.key = new SecretKeySpec(key, "AES");
        this.rawKey = key.clone();
        this.nonces = nonces;
    }

    public byte[] seal(String label, byte[] plaintext) {
        return seal(label.getBytes(StandardCharsets.UTF_8), null, plaintext, 0, plaintext.length);
    }

    public byte[] open(String label, byte[] blob) throws CorruptBlobException {
        return open(label.getBytes(StandardCharsets.UTF_8), blob, label);
    }

    /** Seals {@code prefix} (when not null) and {@code data[offset, offset+length)} under a fresh random nonce. */
    byte[] seal(byte[] aad, Byte prefix, byte[] data, int offset, int length) {
        return seal(aad, prefix, ByteBuffer.wrap(data, offset, length));
    }

    /** As above, for {@code data}'s remaining bytes; a direct buffer is encrypted from where it lies. */
    byte[] seal(byte[] aad, Byte prefix, ByteBuffer data) {
        return bytes(sealed(aad, prefix, data));
    }

    /** A sealed view's bytes in an array of their own (a scratch view is overwritten by the next seal). */
    static byte[] bytes(ByteBuffer sealed) {
        byte[] out = new byte[sealed.remaining()];
        sealed.get(sealed.position(), out);
        return out;
    }

    /**
     * The sealed blob of {@code prefix} and {@code data}'s remaining bytes, between the result's
     * position and limit. On the native path that is this thread's scratch buffer, valid until the
     * thread seals or opens again: a caller that keeps it copies it (a pack appends it).
     */
    ByteBuffer sealed(byte[] aad, Byte prefix, ByteBuffer data) {
        byte[] nonce = new byte[NONCE];
        nonces.accept(nonce);
        int plainLength = data.remaining() + (prefix == null ? 0 : 1);
        if (NativeCrypto.fits(plainLength)) {
            ByteBuffer out = NativeCrypto.seal(rawKey, nonce, aad, prefix, data, 1 + NONCE);
            return out.put(0, VERSION).put(1, nonce);
        }
        if (data.hasArray()) {
            return ByteBuffer.wrap(sealJdk(nonce, aad, prefix, data.array(), data.arrayOffset() + data.position(),
                    data.remaining()));
        }
        byte[] copy = new byte[data.remaining()];
        data.get(data.position(), copy);
        return ByteBuffer.wrap(sealJdk(nonce, aad, prefix, copy, 0, copy.length));
    }

    /** The JDK's AES-GCM: where libcrypto is missing, for small blobs, and to check the two agree. */
    byte[] sealJdk(byte[] nonce, byte[] aad, Byte prefix, byte[] data, int offset, int length) {
        int plainLength = length + (prefix == null ? 0 : 1);
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG * 8, nonce));
            c.updateAAD(aad);
            byte[] out = new byte[1 + NONCE + plainLength + TAG];
            out[0] = VERSION;
            System.arraycopy(nonce, 0, out, 1, NONCE);
            int at = 1 + NONCE;
            if (prefix != null) {
                at += c.update(new byte[] {prefix}, 0, 1, out, at);
            }
            // In slices: the JIT replaces GHASH and AES-CTR with CPU instructions only in compiled
            // callers, and a caller invoked once per MiB stays interpreted (~60 MiB/s) for the first
            // gigabyte or so; 64 KiB slices get it compiled within the first few chunks.
            int end = offset + length;
            for (; end - offset > SLICE; offset += SLICE) {
                at += c.update(data, offset, SLICE, out, at);
            }
            at += c.doFinal(data, offset, end - offset, out, at);
            if (at != out.length) {
                throw new IllegalStateException("AES-GCM wrote " + at + " of " + out.length + " bytes");
            }
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM unavailable", e);
        }
    }

    /** The plaintext; {@code what} names the blob in the error when it does not authenticate. */
    byte[] open(byte[] aad, byte[] blob, String what) throws CorruptBlobException {
        return open(aad, blob, what, new byte[0]);
    }

    /**
     * The plaintext after its first {@code head.length} bytes, which go to {@code head}: a chunk's
     * payload without copying a MiB to drop its encoding byte.
     */
    byte[] open(byte[] aad, byte[] blob, String what, byte[] head) throws CorruptBlobException {
        if (blob.length < OVERHEAD || blob[0] != VERSION) {
            throw new CorruptBlobException(what + ": not a version " + VERSION + " sealed blob");
        }
        if (blob.length - OVERHEAD < head.length) {
            throw new CorruptBlobException(what + ": empty payload");
        }
        if (NativeCrypto.fits(blob.length)) {
            byte[] rest = NativeCrypto.open(rawKey, Arrays.copyOfRange(blob, 1, 1 + NONCE), aad, blob,
                    1 + NONCE, blob.length - 1 - NONCE, head);
            if (rest == null) {
                throw new CorruptBlobException(what + ": authentication failed (wrong key or damaged data)");
            }
            return rest;
        }
        byte[] plain = openJdk(aad, blob, what);
        System.arraycopy(plain, 0, head, 0, head.length);
        return head.length == 0 ? plain : Arrays.copyOfRange(plain, head.length, plain.length);
    }

    /**
     * Decrypts a sealed chunk, {@code ENCODING || payload}, the remaining bytes of the direct buffer
     * {@code blob} (which it may overwrite): the payload goes straight into the direct buffer
     * {@code target} gives for its encoding. Returns the encoding. Only where
     * {@link NativeCrypto#fits} the blob; otherwise callers take {@link #open}.
     */
    int openChunk(byte[] aad, ByteBuffer blob, String what, IntFunction<ByteBuffer> target) throws CorruptBlobException {
        int at = blob.position();
        if (blob.remaining() < OVERHEAD + 1 || blob.get(at) != VERSION) {
            throw new CorruptBlobException(what + ": not a version " + VERSION + " sealed blob");
        }
        byte[] nonce = new byte[NONCE];
        blob.get(at + 1, nonce);
        int encoding = NativeCrypto.openChunk(rawKey, nonce, aad, blob.duplicate().position(at + 1 + NONCE), target);
        if (encoding == NativeCrypto.FAILED) {
            throw new CorruptBlobException(what + ": authentication failed (wrong key or damaged data)");
        }
        if (encoding == NativeCrypto.TOO_LONG) {
            throw new CorruptBlobException(what + ": longer than the room given for it");
        }
        return encoding;
    }

    byte[] openJdk(byte[] aad, byte[] blob, String what) throws CorruptBlobException {
        if (blob.length < OVERHEAD || blob[0] != VERSION) {
            throw new CorruptBlobException(what + ": not a version " + VERSION + " sealed blob");
        }
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG * 8, blob, 1, NONCE));
            c.updateAAD(aad);
            return c.doFinal(blob, 1 + NONCE, blob.length - 1 - NONCE);
        } catch (AEADBadTagException e) {
            throw new CorruptBlobException(what + ": authentication failed (wrong key or damaged data)", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM unavailable", e);
        }
    }
}
