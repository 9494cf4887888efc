package io.lifeboat.store.repository;

import io.lifeboat.store.crypto.ChunkId;
import io.lifeboat.store.crypto.CorruptBlobException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * What garbage collection has condemned and since when (epoch milliseconds): chunks no manifest
 * names, and packs no index names. Each is deleted by a later collection once it has stayed so for
 * the grace period; one that is needed again in between is simply dropped from the list. Stored
 * as {@code gc/state}, naming the packs and the parts under {@code gc/chunks/} that name the
 * chunks, at most {@link #PART_ENTRIES} each, so no reader or writer holds the whole list as bytes
 * (docs/store-format.md, "Locks and garbage collection").
 */
public record GcState(IdLongs chunks, Map<String, Long> packs) {
    static final String NAME = "gc/state";
    static final String PARTS = "gc/chunks/";
    static final String LABEL = "lifeboat gc state v2";
    static final String PART_LABEL = "lifeboat gc chunks v1";
    static final int PART_ENTRIES = 32_768;
    private static final int NAME_BYTES = 32;
    private static final int ENTRY = ChunkId.LENGTH + 8;

    /** Nothing condemned: before the first collection. */
    public static GcState empty() {
        return new GcState(new IdLongs(), Map.of());
    }

    /** Whether nothing waits out a grace period. */
    public boolean isEmpty() {
        return chunks.isEmpty() && packs.isEmpty();
    }

    /** What {@code gc/state} holds: the parts' names (without {@link #PARTS}) and the packs. */
    record Root(List<String> parts, Map<String, Long> packs) {
        byte[] encode() {
            ByteBuffer b = ByteBuffer.allocate(8 + parts.size() * NAME_BYTES + packs.size() * (NAME_BYTES + 8));
            b.putInt(parts.size());
            parts.forEach(p -> b.put(HexFormat.of().parseHex(p)));
            b.putInt(packs.size());
            packs.forEach((pack, since) -> b.put(HexFormat.of().parseHex(pack)).putLong(since));
            return b.array();
        }

        static Root decode(byte[] plain) throws CorruptBlobException {
            try {
                ByteBuffer b = ByteBuffer.wrap(plain);
                byte[] name = new byte[NAME_BYTES];
                List<String> parts = new ArrayList<>();
                for (int i = b.getInt(); i > 0; i--) {
                    b.get(name);
                    parts.add(HexFormat.of().formatHex(name));
                }
                Map<String, Long> packs = new HashMap<>();
                for (int i = b.getInt(); i > 0; i--) {
                    b.get(name);
                    packs.put(HexFormat.of().formatHex(name), b.getLong());
                }
                if (b.hasRemaining()) {
                    throw new CorruptBlobException(NAME + ": bytes after the last entry");
                }
                return new Root(parts, packs);
            } catch (BufferUnderflowException | IllegalArgumentException e) {
                throw new CorruptBlobException(NAME + ": truncated");
            }
        }
    }

    /** One part's plaintext: {@code count (4) || (chunk id (32) || since (8))*}. */
    static byte[] encodePart(List<Map.Entry<ChunkId, Long>> entries) {
        ByteBuffer b = ByteBuffer.allocate(4 + entries.size() * ENTRY);
        b.putInt(entries.size());
        entries.forEach(e -> b.put(e.getKey().bytes()).putLong(e.getValue()));
        return b.array();
    }

    static void decodePart(String name, byte[] plain, IdLongs into) throws CorruptBlobException {
        ByteBuffer b = ByteBuffer.wrap(plain);
        if (plain.length < 4 || plain.length != 4 + (long) b.getInt() * ENTRY) {
            throw new CorruptBlobException(name + ": " + plain.length + " bytes do not hold the entries it counts");
        }
        byte[] id = new byte[ChunkId.LENGTH];
        while (b.hasRemaining()) {
            b.get(id);
            into.put(ChunkId.of(id), b.getLong());
        }
    }
}
