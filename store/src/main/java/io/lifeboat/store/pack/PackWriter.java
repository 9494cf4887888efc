package io.lifeboat.store.pack;

import io.lifeboat.store.crypto.ChunkId;
import io.lifeboat.store.crypto.Envelope;
import io.lifeboat.store.io.DirectIo;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Writes one pack: sealed chunks one after another, then the sealed header that lists them, its
 * length and the trailer magic. A pack's name is the SHA-256 of its sealed header: the header names
 * every chunk with its offset and length and each chunk is authenticated under its id, so the name
 * binds the whole pack without hashing the body a second time. Layout in docs/store-format.md,
 * "Pack".
 *
 * <p>The pack is not held whole in memory: its bytes go to a {@link Sink} in page-aligned
 * {@link #SEGMENT}-sized pieces from {@link DirectIo}'s pool as each fills, the last one shorter.
 * Each sealed chunk is copied once, from its sealer's scratch into a segment, and a local backend
 * writes full segments to disk without the page cache. A backup's uploads in flight then hold a few
 * segments rather than several whole packs: memory a short-lived process pays for on first touch
 * (docs/benchmarks.md).
 */
public final class PackWriter {
    static final byte[] MAGIC = {'L', 'B', 'P', 'A', 'C', 'K', '0', '1'};
    static final String HEADER_LABEL = "lifeboat pack header v1";
    static final int ENTRY = 32 + 8 + 4 + 4;
    /** A pack's bytes go out in pieces of this size: one huge page, where there are any. */
    public static final int SEGMENT = 2 << 20;

    /** Where a pack's bytes go, in order. */
    @FunctionalInterface
    public interface Sink {
        /**
         * Takes the next piece of the pack, {@code piece}'s remaining bytes (position 0): a full
         * {@link #SEGMENT}, or the pack's last and shorter one. The sink owns the buffer from here
         * and hands it back with {@link DirectIo#give} once the bytes are written.
         */
        void write(ByteBuffer piece) throws IOException;
    }

    private final Envelope envelope;
    private final Sink sink;
    private ByteBuffer segment;
    private long size;
    private final List<PackEntry> entries = new ArrayList<>();

    /** A pack whose bytes go to {@code sink}; its owner finishes it once {@link #size()} is large enough. */
    public PackWriter(Envelope envelope, Sink sink) {
        this.envelope = envelope;
        this.sink = sink;
    }

    /** Appends a sealed chunk: {@code sealed}'s remaining bytes are copied (its position is left as it was). */
    public void add(ChunkId id, ByteBuffer sealed, int plainLength) throws IOException {
        long at = size;
        append(sealed);
        entries.add(new PackEntry(id, at, sealed.remaining(), plainLength));
    }

    public void add(ChunkId id, byte[] sealed, int plainLength) throws IOException {
        add(id, ByteBuffer.wrap(sealed), plainLength);
    }

    private void append(ByteBuffer bytes) throws IOException {
        for (int from = bytes.position(), end = bytes.limit(); from < end; ) {
            if (segment == null) {
                segment = DirectIo.take(SEGMENT).limit(SEGMENT);
            }
            int n = Math.min(end - from, segment.remaining());
            segment.put(segment.position(), bytes, from, n);
            segment.position(segment.position() + n);
            from += n;
            size += n;
            if (!segment.hasRemaining()) {
                emit();
            }
        }
    }

    private void emit() throws IOException {
        ByteBuffer piece = segment.flip();
        segment = null;
        sink.write(piece);
    }

    /** Bytes of sealed chunks so far; the caller finishes a pack once it is large enough. */
    public long size() {
        return size;
    }

    public int count() {
        return entries.size();
    }

    /** A finished pack: its name, its length and what it holds, in order. */
    public record Pack(String name, long length, List<PackEntry> entries) {
    }

    /** Writes the header and trailer and hands the last piece to the sink. */
    public Pack finish() throws IOException {
        ByteBuffer header = ByteBuffer.allocate(4 + entries.size() * ENTRY).putInt(entries.size());
        for (PackEntry e : entries) {
            header.put(e.id().bytes()).putLong(e.offset()).putInt(e.sealedLength()).putInt(e.plainLength());
        }
        byte[] sealedHeader = envelope.seal(HEADER_LABEL, header.array());
        append(ByteBuffer.wrap(sealedHeader));
        append(ByteBuffer.allocate(4 + MAGIC.length).putInt(sealedHeader.length).put(MAGIC).flip());
        if (segment != null) {
            emit();
        }
        return new Pack(name(sealedHeader), size, List.copyOf(entries));
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
