package io.lifeboat.store.pack;

import io.lifeboat.store.crypto.ChunkId;
import io.lifeboat.store.crypto.Envelope;
import io.lifeboat.store.io.DirectIo;
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
 *
 * <p>The pack is assembled in a page-aligned direct buffer from {@link DirectIo}, taken at the
 * first chunk: each sealed chunk is copied once, from its sealer's scratch, and a local backend
 * writes the buffer to disk without the page cache. {@link Pack#release()} returns the buffer.
 */
public final class PackWriter {
    static final byte[] MAGIC = {'L', 'B', 'P', 'A', 'C', 'K', '0', '1'};
    static final String HEADER_LABEL = "lifeboat pack header v1";
    static final int ENTRY = 32 + 8 + 4 + 4;
    /** Room beyond the target size: the chunk that crosses it, the header and the trailer. */
    private static final int SLACK = 2 << 20;

    private final Envelope envelope;
    private final int target;
    private ByteBuffer buffer;
    private final List<PackEntry> entries = new ArrayList<>();

    /** A pack that its owner finishes once {@link #size()} reaches about {@code target} bytes. */
    public PackWriter(Envelope envelope, int target) {
        this.envelope = envelope;
        this.target = target;
    }

    /** Appends a sealed chunk: {@code sealed}'s remaining bytes are copied (its position is left as it was). */
    public void add(ChunkId id, ByteBuffer sealed, int plainLength) {
        int length = sealed.remaining();
        append(sealed, length);
        entries.add(new PackEntry(id, buffer.position() - length, length, plainLength));
    }

    public void add(ChunkId id, byte[] sealed, int plainLength) {
        add(id, ByteBuffer.wrap(sealed), plainLength);
    }

    private void append(ByteBuffer bytes, int length) {
        if (buffer == null) {
            buffer = DirectIo.take(target + SLACK);
        } else if (buffer.remaining() < length) {
            ByteBuffer bigger = DirectIo.take((int) Math.min(Integer.MAX_VALUE - SLACK,
                    Math.max(2L * buffer.capacity(), (long) buffer.position() + length + SLACK)));
            bigger.put(buffer.flip());
            DirectIo.give(buffer);
            buffer = bigger;
        }
        buffer.put(buffer.position(), bytes, bytes.position(), length);
        buffer.position(buffer.position() + length);
    }

    /** Bytes of sealed chunks so far; the caller finishes a pack once it is large enough. */
    public long size() {
        return buffer == null ? 0 : buffer.position();
    }

    public int count() {
        return entries.size();
    }

    /**
     * The finished pack, its name and what it holds: {@code data} is the whole pack from position 0
     * to its limit, in a buffer the uploader hands back with {@link #release()} once stored.
     */
    public record Pack(String name, ByteBuffer data, List<PackEntry> entries) {
        /** The whole pack in one array. */
        public byte[] bytes() {
            byte[] out = new byte[data.remaining()];
            data.get(data.position(), out);
            return out;
        }

        /** Returns the pack's buffer to the pool; the pack must not be used afterwards. */
        public void release() {
            if (data.isDirect()) {
                DirectIo.give(data.clear());
            }
        }
    }

    public Pack finish() {
        ByteBuffer header = ByteBuffer.allocate(4 + entries.size() * ENTRY).putInt(entries.size());
        for (PackEntry e : entries) {
            header.put(e.id().bytes()).putLong(e.offset()).putInt(e.sealedLength()).putInt(e.plainLength());
        }
        byte[] sealedHeader = envelope.seal(HEADER_LABEL, header.array());
        append(ByteBuffer.wrap(sealedHeader), sealedHeader.length);
        byte[] trailer = ByteBuffer.allocate(4 + MAGIC.length).putInt(sealedHeader.length).put(MAGIC).array();
        append(ByteBuffer.wrap(trailer), trailer.length);
        Pack done = new Pack(name(sealedHeader), buffer.flip(), List.copyOf(entries));
        buffer = null;
        entries.clear();
        return done;
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
