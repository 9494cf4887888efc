package io.lifeboat.store.pack;

import io.lifeboat.store.crypto.ChunkId;
import io.lifeboat.store.crypto.CorruptBlobException;
import io.lifeboat.store.crypto.Envelope;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads a pack's header from its tail, and checks it against the pack's name. Every failure is
 * a {@link CorruptBlobException} naming the pack; nothing unauthenticated is returned.
 */
public final class PackReader {
    /** Trailer: header length (4) || magic (8). */
    public static final int TRAILER = 4 + PackWriter.MAGIC.length;

    private PackReader() {
    }

    /** The header's length, from the last {@link #TRAILER} bytes of the pack. */
    public static int headerLength(String pack, byte[] trailer) throws CorruptBlobException {
        if (trailer.length != TRAILER
                || !Arrays.equals(trailer, 4, TRAILER, PackWriter.MAGIC, 0, PackWriter.MAGIC.length)) {
            throw new CorruptBlobException("pack " + pack + ": trailer magic missing (truncated or not a pack)");
        }
        int length = ByteBuffer.wrap(trailer, 0, 4).getInt();
        if (length < Envelope.OVERHEAD + 4) {
            throw new CorruptBlobException("pack " + pack + ": header length " + length + " is impossible");
        }
        return length;
    }

    /** The entries of a pack of {@code packSize} bytes, from its sealed header. */
    public static List<PackEntry> entries(Envelope envelope, String pack, byte[] sealedHeader, long packSize)
            throws CorruptBlobException {
        ByteBuffer h = ByteBuffer.wrap(envelope.open(PackWriter.HEADER_LABEL, sealedHeader));
        return parse(pack, h, packSize - TRAILER - sealedHeader.length);
    }

    private static List<PackEntry> parse(String pack, ByteBuffer h, long bodyLength) throws CorruptBlobException {
        int count = h.getInt();
        if (count < 0 || h.remaining() != (long) count * PackWriter.ENTRY) {
            throw new CorruptBlobException("pack " + pack + ": header lists " + count + " entries but has "
                    + h.remaining() + " bytes");
        }
        List<PackEntry> entries = new ArrayList<>(count);
        byte[] id = new byte[32];
        for (int i = 0; i < count; i++) {
            h.get(id);
            PackEntry e = new PackEntry(ChunkId.of(id), h.getLong(), h.getInt(), h.getInt());
            if (e.offset() < 0 || e.sealedLength() <= 0 || e.offset() + e.sealedLength() > bodyLength) {
                throw new CorruptBlobException("pack " + pack + ": entry " + e.id() + " lies outside the pack body");
            }
            entries.add(e);
        }
        return entries;
    }

    /** Whether a pack's sealed header hashes to the pack's name (the chunks are checked by their tags). */
    public static boolean matchesName(String pack, byte[] sealedHeader) {
        return PackWriter.name(sealedHeader).equals(pack);
    }
}
