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
 * Authenticated encryption of a repository's own metadata (pack headers; later index files and
 * manifests) under the data key: {@code VERSION (1) || nonce (12) || AES-256-GCM(plaintext, aad =
 * context label) || tag (16)}. The label names what the bytes are, so a header cannot be passed off
 * as a manifest.
 */
public final class Envelope {
    static final byte VERSION = 1;
    public static final int OVERHEAD = 1 + 12 + 16;

    private final SecretKeySpec key;
    private final Consumer<byte[]> nonces;

    public Envelope(RepositoryKeys keys) {
        this(keys, new SecureRandom()::nextBytes);
    }

    Envelope(RepositoryKeys keys, Consumer<byte[]> nonces) {
        this.key = new SecretKeySpec(keys.dataKey(), "AES");
        this.nonces = nonces;
    }

    public byte[] seal(String label, byte[] plaintext) {
        byte[] nonce = new byte[12];
        nonces.accept(nonce);
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, nonce));
            c.updateAAD(label.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = c.doFinal(plaintext);
            return ByteBuffer.allocate(1 + 12 + sealed.length).put(VERSION).put(nonce).put(sealed).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM unavailable", e);
        }
    }

    public byte[] open(String label, byte[] blob) throws CorruptBlobException {
        if (blob.length < OVERHEAD || blob[0] != VERSION) {
            throw new CorruptBlobException(label + ": not a version " + VERSION + " envelope");
        }
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, blob, 1, 12));
            c.updateAAD(label.getBytes(StandardCharsets.UTF_8));
            return c.doFinal(blob, 13, blob.length - 13);
        } catch (AEADBadTagException e) {
            throw new CorruptBlobException(label + ": authentication failed (wrong key or damaged data)", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM unavailable", e);
        }
    }
}
