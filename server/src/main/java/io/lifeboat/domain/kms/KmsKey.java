package io.lifeboat.domain.kms;

import java.time.Instant;

/**
 * A symmetric KMS key. Its 256-bit material is stored only sealed under the server master key
 * ({@code sealedMaterial}, base64). {@code state} is KMS's KeyState.
 */
public record KmsKey(String keyId, String arn, Instant created, String description, String keyManager,
                     String state, Instant deletionDate, Integer pendingWindowDays, String sealedMaterial) {

    public boolean enabled() {
        return "Enabled".equals(state);
    }

    KmsKey withState(String newState, Instant newDeletionDate, Integer window) {
        return new KmsKey(keyId, arn, created, description, keyManager, newState, newDeletionDate, window,
                sealedMaterial);
    }
}
