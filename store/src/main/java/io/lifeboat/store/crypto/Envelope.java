package io.lifeboat.store.crypto;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.function.Consumer;
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

    private final SecretKeySpec key;
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
        this.nonces = nonces;
    }

    public byte[] seal(String label, byte[] plaintext) {
        return seal(label.getBytes(StandardCharsets.UTF_8), plaintext);
    }

    public byte[] open(String label, byte[] blob) throws CorruptBlobException {
        return open(label.getBytes(StandardCharsets.UTF_8), blob, label);
    }

    /** Seals {@code parts} (concatenated) with {@code aad}; a fresh random nonce each time. */
    byte[] seal(byte[] aad, byte[]... parts) {
        byte[] nonce = new byte[NONCE];
        nonces.accept(nonce);
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG * 8, nonce));
            c.updateAAD(aad);
            int length = 0;
            for (byte[] p : parts) {
                length += p.length;
            }
            ByteBuffer out = ByteBuffer.allocate(1 + NONCE + c.getOutputSize(length));
            out.put(VERSION).put(nonce);
            for (int i = 0; i < parts.length - 1; i++) {
                c.update(ByteBuffer.wrap(parts[i]), out);
            }
            c.doFinal(ByteBuffer.wrap(parts.length == 0 ? new byte[0] : parts[parts.length - 1]), out);
            return out.array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM unavailable", e);
        }
    }

    /** The plaintext; {@code what} names the blob in the error when it does not authenticate. */
    byte[] open(byte[] aad, byte[] blob, String what) throws CorruptBlobException {
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
