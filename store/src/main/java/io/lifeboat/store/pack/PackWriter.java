package io.lifeboat.store.pack;

import io.lifeboat.store.crypto.ChunkId;
import io.lifeboat.store.crypto.Envelope;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Builds one pack in memory: sealed chunks one after another, then the sealed header that lists
 * them, its length and the trailer magic. A pack's name is the SHA-256 of its sealed header: the
 * header names every chunk with its offset and length and each chunk is authenticated under its id,
 * so the name binds the whole pack without hashing the body a second time. Layout in
 * docs/store-format.md, "Pack".
 */
public final class PackWriter {
    static final byte[] MAGIC = {'L', 'B', 'P', 'A', 'C', 'K', '0', '1'};
    static final String HEADER_LABEL = "lifeboat pack header v1";
    static final int ENTRY = 32 + 8 + 4 + 4;

    private final Envelope envelope;
    private final List<byte[]> parts = new ArrayList<>();
    private long size;
    private final List<PackEntry> entries = new ArrayList<>();

    public PackWriter(Envelope envelope) {
        this.envelope = envelope;
    }

    /** Appends a sealed chunk; the array is kept, not copied, until {@link #finish()}. */
    public void add(ChunkId id, byte[] sealed, int plainLength) {
        entries.add(new PackEntry(id, size, sealed.length, plainLength));
        parts.add(sealed);
        size += sealed.length;
    }

    /** Bytes of sealed chunks so far; the caller finishes a pack once it is large enough. */
    public long size() {
        return size;
    }

    public int count() {
        return entries.size();
    }

    /**
     * The finished pack, its name and what it holds, as the parts to store one after another
     * (sealed chunks, then header and trailer): a 16 MiB copy per pack saved where the backend
     * can write them gathered.
     */
    public record Pack(String name, List<byte[]> parts, List<PackEntry> entries) {
        /** The whole pack in one array. */
        public byte[] bytes() {
            ByteBuffer out = ByteBuffer.allocate(parts.stream().mapToInt(p -> p.length).sum());
            parts.forEach(out::put);
            return out.array();
        }
    }

    public Pack finish() {
        ByteBuffer header = ByteBuffer.allocate(4 + entries.size() * ENTRY).putInt(entries.size());
        for (PackEntry e : entries) {
            header.put(e.id().bytes()).putLong(e.offset()).putInt(e.sealedLength()).putInt(e.plainLength());
        }
        byte[] sealedHeader = envelope.seal(HEADER_LABEL, header.array());
        List<byte[]> all = new ArrayList<>(parts.size() + 2);
        all.addAll(parts);
        all.add(sealedHeader);
        all.add(ByteBuffer.allocate(4 + MAGIC.length).putInt(sealedHeader.length).put(MAGIC).array());
        return new Pack(name(sealedHeader), List.copyOf(all), List.copyOf(entries));
    }

    /** Lower-case hex SHA-256: how packs (of their sealed header) and index files are named. */
    public static String name(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }
}
