/**
 * Repository keys, chunk identity and sealing. A chunk's id is HMAC-SHA-256 of its plaintext under
 * the id key; its stored form is zstd (when that shrinks it) then AES-256-GCM under the data key
 * with the id as associated data. Nothing is stored unauthenticated; a wrong key fails loudly.
 */
package io.lifeboat.store.crypto;
