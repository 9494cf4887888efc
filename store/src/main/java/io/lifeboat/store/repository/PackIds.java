package io.lifeboat.store.repository;

import io.lifeboat.store.crypto.ChunkId;

/**
 * The ids of the pack names a walk of the index meets ({@link Location#pack}): entries share few
 * packs, so the last name's id is kept rather than parsed again (a parse per entry was ~3% of a
 * collection). The index names packs only, so every name parses. One per walk; not thread-safe.
 */
final class PackIds {
    private String last = "";
    private ChunkId lastId;

    ChunkId of(String pack) {
        if (!pack.equals(last)) {
            lastId = ChunkId.parse(pack);
            last = pack;
        }
        return lastId;
    }
}
