package io.lifeboat.domain.kms;

/** A data key: its plaintext for immediate use and its ciphertext blob to store. */
public record DataKey(String keyArn, byte[] plaintext, byte[] ciphertext) {
}
