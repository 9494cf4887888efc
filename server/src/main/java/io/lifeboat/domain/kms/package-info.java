/**
 * KMS keys with real AES-256-GCM. Key material exists only sealed under the server master key;
 * ciphertext blobs name their key and bind the encryption context as associated data.
 */
package io.lifeboat.domain.kms;
