package io.lifeboat.store.pack;

import io.lifeboat.store.crypto.ChunkId;

/** Where a sealed chunk sits in a pack: byte offset and length of the sealed form, and its plaintext length. */
public record PackEntry(ChunkId id, long offset, int sealedLength, int plainLength) {
}
