package io.lifeboat.store.repository;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/** An AES-GCM key wrapper standing in for KMS or the master key in store tests. */
public final class TestWrappers {
    private TestWrappers() {
    }

    public static KeyWrapper aes(byte[] key) {
        SecretKeySpec spec = new SecretKeySpec(key, "AES");
        return new KeyWrapper() {
            @Override
            public byte[] wrap(byte[] plaintext) throws IOException {
                try {
                    byte[] nonce = new byte[12];
                    new SecureRandom().nextBytes(nonce);
                    Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
                    c.init(Cipher.ENCRYPT_MODE, spec, new GCMParameterSpec(128, nonce));
                    byte[] sealed = c.doFinal(plaintext);
                    byte[] out = Arrays.copyOf(nonce, 12 + sealed.length);
                    System.arraycopy(sealed, 0, out, 12, sealed.length);
                    return out;
                } catch (GeneralSecurityException e) {
                    throw new IOException(e);
                }
            }

            @Override
            public byte[] unwrap(byte[] wrapped) throws IOException {
                try {
                    Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
                    c.init(Cipher.DECRYPT_MODE, spec, new GCMParameterSpec(128, wrapped, 0, 12));
                    return c.doFinal(wrapped, 12, wrapped.length - 12);
                } catch (GeneralSecurityException e) {
                    throw new IOException("key unwrap failed (wrong wrapping key?)", e);
                }
            }
        };
    }

    public static KeyWrapper random() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return aes(key);
    }
}
