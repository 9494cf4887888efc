package io.lifeboat.domain.kms;

import io.lifeboat.store.crypto.CorruptBlobException;
import io.lifeboat.store.crypto.Envelope;

/**
 * A 256-bit key that seals small secrets with a context string as associated data: the server
 * master key (sealing KMS key material and repository keys) and each KMS key (sealing data keys).
 * Same sealed layout as the store's metadata ({@link Envelope}).
 */
public final class MasterKey {
    private final Envelope envelope;

    public MasterKey(byte[] material) {
        this.envelope = Envelope.withKey(material);
    }

    public byte[] seal(byte[] plaintext, String associatedData) {
        return envelope.seal(associatedData, plaintext);
    }

    /** The plaintext, or {@link IllegalArgumentException} when the blob is not authentic under this key. */
    public byte[] open(byte[] blob, String associatedData) {
        try {
            return envelope.open(associatedData, blob);
        } catch (CorruptBlobException e) {
            throw new IllegalArgumentException("sealed blob failed authentication", e);
        }
    }

    @Override
    public String toString() {
        return "MasterKey[redacted]";
    }
}
