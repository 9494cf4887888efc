package io.lifeboat.store.repository;

/** Where a chunk is stored: its pack and its place in the pack. */
public record Location(String pack, long offset, int sealedLength, int plainLength) {
}
