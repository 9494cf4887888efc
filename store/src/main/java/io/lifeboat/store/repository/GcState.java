package io.lifeboat.store.repository;

import io.lifeboat.store.crypto.ChunkId;
import io.lifeboat.store.crypto.CorruptBlobException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * What garbage collection has condemned and since when (epoch milliseconds): chunks no manifest
 * names, and packs no index names. Each is deleted by a later collection once it has stayed so for
 * the grace period; one that is needed again in between is simply dropped from the list. Stored
 * as {@code gc/state} (docs/store-format.md, "Locks and garbage collection").
 */
public record GcState(Map<ChunkId, Long> chunks, Map<String, Long> packs) {
    static final String NAME = "gc/state";
    static final String LABEL = "lifeboat gc state v1";
    public static final GcState EMPTY = new GcState(Map.of(), Map.of());

    /** Whether nothing waits out a grace period. */
    public boolean isEmpty() {
        return chunks.isEmpty() && packs.isEmpty();
    }

    byte[] encode() {
        ByteBuffer b = ByteBuffer.allocate(8 + chunks.size() * (32 + 8) + packs.size() * (64 + 8));
        b.putInt(chunks.size());
        chunks.forEach((id, at) -> b.put(id.bytes()).putLong(at));
        b.putInt(packs.size());
        packs.forEach((pack, at) -> b.put(pack.getBytes(StandardCharsets.US_ASCII)).putLong(at));
        return b.array();
    }

    static GcState decode(byte[] plain) throws CorruptBlobException {
        try {
            ByteBuffer b = ByteBuffer.wrap(plain);
            Map<ChunkId, Long> chunks = new HashMap<>();
            byte[] id = new byte[32];
            for (int i = b.getInt(); i > 0; i--) {
                b.get(id);
                chunks.put(ChunkId.of(id), b.getLong());
            }
            Map<String, Long> packs = new HashMap<>();
            byte[] pack = new byte[64];
            for (int i = b.getInt(); i > 0; i--) {
                b.get(pack);
                packs.put(new String(pack, StandardCharsets.US_ASCII), b.getLong());
            }
            if (b.hasRemaining()) {
                throw new CorruptBlobException(NAME + ": bytes after the last entry");
            }
            return new GcState(chunks, packs);
        } catch (BufferUnderflowException e) {
            throw new CorruptBlobException(NAME + ": truncated");
        }
    }
}
