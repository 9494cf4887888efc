package io.lifeboat.store.pack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lifeboat.store.crypto.ChunkId;
import io.lifeboat.store.crypto.ChunkSealer;
import io.lifeboat.store.crypto.CorruptBlobException;
import io.lifeboat.store.crypto.Envelope;
import io.lifeboat.store.crypto.RepositoryKeys;
import io.lifeboat.store.io.DirectIo;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PackTest {
    static final RepositoryKeys KEYS = RepositoryKeys.generate(new SecureRandom());
    static final ChunkSealer SEALER = new ChunkSealer(KEYS);
    static final Envelope ENVELOPE = new Envelope(KEYS);

    record Built(PackWriter.Pack pack, byte[] bytes, List<byte[]> chunks, List<Integer> pieces) {
    }

    static Built build(int n) throws IOException {
        return build(n, 50_000);
    }

    static Built build(int n, int maxChunk) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        List<Integer> pieces = new ArrayList<>();
        PackWriter w = new PackWriter(ENVELOPE, piece -> {
            pieces.add(piece.remaining());
            byte[] b = new byte[piece.remaining()];
            piece.get(b);
            out.writeBytes(b);
            DirectIo.give(piece);
        });
        Random r = new Random(n);
        List<byte[]> chunks = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            byte[] c = new byte[1000 + r.nextInt(maxChunk)];
            r.nextBytes(c);
            chunks.add(c);
            ChunkId id = SEALER.id(c, 0, c.length);
            w.add(id, SEALER.seal(id, c, 0, c.length), c.length);
        }
        PackWriter.Pack pack = w.finish();
        assertThat(pack.length()).isEqualTo(out.size());
        return new Built(pack, out.toByteArray(), chunks, pieces);
    }

    static byte[] sealedHeader(String name, byte[] pack) throws CorruptBlobException {
        byte[] trailer = Arrays.copyOfRange(pack, pack.length - PackReader.TRAILER, pack.length);
        int headerLength = PackReader.headerLength(name, trailer);
        if (headerLength > pack.length - PackReader.TRAILER) {
            throw new CorruptBlobException("pack " + name + ": header longer than the pack");
        }
        return Arrays.copyOfRange(pack, pack.length - PackReader.TRAILER - headerLength, pack.length - PackReader.TRAILER);
    }

    static List<PackEntry> readHeader(String name, byte[] pack) throws CorruptBlobException {
        return PackReader.entries(ENVELOPE, name, sealedHeader(name, pack), pack.length);
    }

    private static byte[] uncheckedHeader(byte[] pack) throws CorruptBlobException {
        return sealedHeader("under test", pack);
    }

    @Test
    void everyChunkReadsBackThroughTheHeader() throws Exception {
        readsBack(build(20));
    }

    /**
     * A pack leaves in whole segments and one shorter last piece; chunks straddle segments, and a
     * pack built from segments given back to the pool is just as readable.
     */
    @Test
    void aPackGoesOutInSegmentsWithChunksAcrossThem() throws Exception {
        Built big = build(6, 1_500_000);
        assertThat(big.bytes().length).isGreaterThan(3 << 20);
        List<Integer> pieces = big.pieces();
        assertThat(pieces.subList(0, pieces.size() - 1)).containsOnly(PackWriter.SEGMENT);
        assertThat(pieces.get(pieces.size() - 1)).isBetween(1, PackWriter.SEGMENT);
        readsBack(big);
        readsBack(build(20));
    }

    private static void readsBack(Built b) throws Exception {
        assertThat(PackReader.matchesName(b.pack().name(), sealedHeader(b.pack().name(), b.bytes()))).isTrue();
        List<PackEntry> entries = readHeader(b.pack().name(), b.bytes());
        assertThat(entries).isEqualTo(b.pack().entries());
        for (int i = 0; i < entries.size(); i++) {
            PackEntry e = entries.get(i);
            byte[] sealed = Arrays.copyOfRange(b.bytes(), (int) e.offset(), (int) e.offset() + e.sealedLength());
            assertThat(SEALER.open(e.id(), sealed)).isEqualTo(b.chunks().get(i));
            assertThat(e.plainLength()).isEqualTo(b.chunks().get(i).length);
        }
    }

    @Test
    void emptyPackIsValid() throws Exception {
        Built b = build(0);
        assertThat(readHeader(b.pack().name(), b.bytes())).isEmpty();
    }

    @Test
    void truncationAndBitFlipsAreDetected() throws Exception {
        Built b = build(5);
        byte[] bytes = b.bytes();
        String name = b.pack().name();
        assertThatThrownBy(() -> readHeader(name, Arrays.copyOf(bytes, bytes.length - 3)))
                .isInstanceOf(CorruptBlobException.class);
        for (int at : new int[] {bytes.length - 20, bytes.length - PackReader.TRAILER - 30}) {
            byte[] flipped = bytes.clone();
            flipped[at] ^= 1;
            assertThatThrownBy(() -> readHeader(name, flipped)).isInstanceOf(CorruptBlobException.class);
        }
        byte[] flippedHeader = bytes.clone();
        flippedHeader[bytes.length - PackReader.TRAILER - 30] ^= 1;
        assertThat(PackReader.matchesName(name, uncheckedHeader(flippedHeader))).isFalse();
        byte[] flippedBody = bytes.clone();
        flippedBody[10] ^= 1;
        PackEntry first = b.pack().entries().get(0);
        assertThatThrownBy(() -> SEALER.open(first.id(), Arrays.copyOfRange(flippedBody, 0, first.sealedLength())))
                .isInstanceOf(CorruptBlobException.class);
        Envelope stranger = new Envelope(RepositoryKeys.generate(new SecureRandom()));
        assertThatThrownBy(() -> {
            int len = PackReader.headerLength(name, Arrays.copyOfRange(bytes, bytes.length - PackReader.TRAILER,
                    bytes.length));
            PackReader.entries(stranger, name, Arrays.copyOfRange(bytes, bytes.length - PackReader.TRAILER - len,
                    bytes.length - PackReader.TRAILER), bytes.length);
        }).isInstanceOf(CorruptBlobException.class).hasMessageContaining("authentication failed");
    }
}
