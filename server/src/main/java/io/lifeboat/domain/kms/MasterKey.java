package io.lifeboat.domain.kms;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-256-GCM under one 32-byte key, used both as the server master key (wrapping KMS key
 * material) and as a KMS key (wrapping data keys). Output: 12-byte nonce || ciphertext || 16-byte tag;
 * the associated data binds a blob to what it belongs to.
 */
public final class MasterKey {
    private static final SecureRandom RANDOM = new SecureRandom();
    private final SecretKeySpec key;

    public MasterKey(byte[] material) {
        if (material.length != 32) {
            throw new IllegalArgumentException("a master key is 32 bytes, got " + material.length);
        }
        this.key = new SecretKeySpec(material.clone(), "AES");
    }

    public byte[] seal(byte[] plaintext, String associatedData) {
        byte[] nonce = new byte[12];
        RANDOM.nextBytes(nonce);
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, nonce));
            c.updateAAD(associatedData.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = c.doFinal(plaintext);
            return ByteBuffer.allocate(12 + sealed.length).put(nonce).put(sealed).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM unavailable", e);
        }
    }

    /** The plaintext, or {@link IllegalArgumentException} when the blob is not authentic under this key. */
    public byte[] open(byte[] blob, String associatedData) {
        if (blob.length < 12 + 16) {
            throw new IllegalArgumentException("sealed blob too short");
        }
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, Arrays.copyOf(blob, 12)));
            c.updateAAD(associatedData.getBytes(StandardCharsets.UTF_8));
            return c.doFinal(blob, 12, blob.length - 12);
        } catch (AEADBadTagException e) {
            throw new IllegalArgumentException("sealed blob failed authentication", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM unavailable", e);
        }
    }

    @Override
    public String toString() {
        return "MasterKey[redacted]";
    }
}
