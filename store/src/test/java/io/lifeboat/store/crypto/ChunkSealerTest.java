package io.lifeboat.store.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class ChunkSealerTest {
    static final RepositoryKeys KEYS = RepositoryKeys.generate(new SecureRandom());
    static final ChunkSealer SEALER = new ChunkSealer(KEYS);

    static byte[] seal(byte[] plain) {
        return SEALER.seal(SEALER.id(plain, 0, plain.length), plain, 0, plain.length);
    }

    @Property(tries = 200)
    void anyChunkRoundTrips(@ForAll @Size(max = 70_000) byte[] plain) throws Exception {
        ChunkId id = SEALER.id(plain, 0, plain.length);
        byte[] blob = SEALER.seal(id, plain, 0, plain.length);
        assertThat(SEALER.open(id, blob)).isEqualTo(plain);
        assertThat(blob.length).isLessThanOrEqualTo(plain.length + ChunkSealer.OVERHEAD);
    }

    /** A chunk sealed from a direct buffer (the image backup's windows) is the same chunk. */
    @Property(tries = 100)
    void directBuffersSealTheSameChunk(@ForAll @Size(max = 70_000) byte[] plain, @ForAll boolean text) throws Exception {
        byte[] data = text ? new String(plain, StandardCharsets.ISO_8859_1).replaceAll("[^a]", "ab").getBytes(
                StandardCharsets.ISO_8859_1) : plain;
        ChunkId id = SEALER.id(data, 0, data.length);
        ByteBuffer direct = NativeCryptoTest.direct(data, 0, data.length);
        byte[] id2 = new byte[RepositoryKeys.leaves(data.length) * RepositoryKeys.DIGEST];
        RepositoryKeys.leafDigests(direct, id2, 0);
        assertThat(KEYS.idOfDigests(id2, 0, RepositoryKeys.leaves(data.length))).isEqualTo(id);
        byte[] blob = SEALER.seal(id, direct);
        assertThat(direct.position()).isEqualTo(5);
        assertThat(SEALER.open(id, blob)).isEqualTo(data);
        assertThat(blob.length).isEqualTo(SEALER.seal(id, data, 0, data.length).length);
    }

    /** Opening into a direct buffer (the image restore's path) verifies as {@link ChunkSealer#open} does. */
    @Test
    void opensIntoDirectBuffersAndRefusesWrongLengthsAndDamage() throws Exception {
        byte[] text = "log line 42 ok\n".repeat(5000).getBytes(StandardCharsets.UTF_8);
        byte[] noise = new byte[70_000];
        new Random(3).nextBytes(noise);
        for (byte[] plain : new byte[][] {text, noise}) {
            ChunkId id = SEALER.id(plain, 0, plain.length);
            byte[] blob = SEALER.seal(id, plain, 0, plain.length);
            ByteBuffer into = ByteBuffer.allocateDirect(plain.length + 9).position(9);
            openInto(id, blob, into);
            assertThat(into.position()).isEqualTo(9);
            byte[] got = new byte[plain.length];
            into.get(9, got);
            assertThat(got).isEqualTo(plain);
            ByteBuffer heap = ByteBuffer.allocate(plain.length); // and the fallback for heap buffers
            openInto(id, blob, heap);
            assertThat(heap.array()).isEqualTo(plain);
            for (int wrong : new int[] {plain.length - 1, plain.length + 1}) {
                assertThatThrownBy(() -> openInto(id, blob, ByteBuffer.allocateDirect(wrong)))
                        .isInstanceOf(CorruptBlobException.class).hasMessageContaining("chunk " + id);
            }
            byte[] flipped = blob.clone();
            flipped[blob.length / 2] ^= 1;
            assertThatThrownBy(() -> openInto(id, flipped, ByteBuffer.allocateDirect(plain.length)))
                    .isInstanceOf(CorruptBlobException.class).hasMessageContaining("authentication failed");
            ChunkId other = SEALER.id(noise, 1, 100);
            assertThatThrownBy(() -> openInto(other, blob, ByteBuffer.allocateDirect(plain.length)))
                    .isInstanceOf(CorruptBlobException.class);
            assertThatThrownBy(() -> SEALER.openInto(id, blob.length, b -> b.put(blob, 0, blob.length - 3),
                    ByteBuffer.allocateDirect(plain.length)))
                    .isInstanceOf(CorruptBlobException.class).hasMessageContaining("ends 3 bytes early");
        }
    }

    /** A chunk opened from a blob in memory, as a restore opens one read from its pack. */
    private static void openInto(ChunkId id, byte[] blob, ByteBuffer into) throws Exception {
        SEALER.openInto(id, blob.length, b -> b.put(blob), into);
    }

    @Test
    void compressesWhenItShrinksAndStoresRawWhenNot() throws Exception {
        byte[] text = "the same line again and again\n".repeat(2000).getBytes(StandardCharsets.UTF_8);
        assertThat(seal(text).length).isLessThan(text.length / 10);
        byte[] noise = new byte[65536];
        new Random(7).nextBytes(noise);
        assertThat(seal(noise).length).isEqualTo(noise.length + ChunkSealer.OVERHEAD);
    }

    /** Chunk ids are HMAC-SHA-256 under the id key of the leaf digests, exactly as the JDK's Mac computes it. */
    @Property(tries = 100)
    void idsAreTheHmacOfTheLeafDigests(@ForAll @Size(min = 1, max = 40) List<@Size(value = 32) byte[]> digests)
            throws Exception {
        RepositoryKeys keys = RepositoryKeys.generate(new SecureRandom());
        byte[] all = new byte[digests.size() * RepositoryKeys.DIGEST + 3];
        for (int i = 0; i < digests.size(); i++) {
            System.arraycopy(digests.get(i), 0, all, 3 + i * RepositoryKeys.DIGEST, RepositoryKeys.DIGEST);
        }
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(Arrays.copyOfRange(keys.encode(), 1, 33), "HmacSHA256"));
        mac.update(all, 3, all.length - 3);
        assertThat(keys.idOfDigests(all, 3, digests.size()).bytes()).isEqualTo(mac.doFinal());
    }

    @Test
    void idsAreDeterministicPerRepositoryAndDifferAcrossRepositories() {
        byte[] data = "hello".getBytes(StandardCharsets.UTF_8);
        RepositoryKeys other = RepositoryKeys.generate(new SecureRandom());
        assertThat(KEYS.id(data, 0, data.length)).isEqualTo(KEYS.id(data.clone(), 0, data.length));
        assertThat(other.id(data, 0, data.length)).isNotEqualTo(KEYS.id(data, 0, data.length));
        assertThat(RepositoryKeys.decode(KEYS.encode()).id(data, 0, data.length)).isEqualTo(KEYS.id(data, 0, 5));
    }

    @Test
    void wrongKeyTamperingAndSwappedIdsFailLoudly() {
        byte[] plain = "important bytes".repeat(100).getBytes(StandardCharsets.UTF_8);
        ChunkId id = SEALER.id(plain, 0, plain.length);
        byte[] blob = SEALER.seal(id, plain, 0, plain.length);
        ChunkSealer stranger = new ChunkSealer(RepositoryKeys.generate(new SecureRandom()));
        assertThatThrownBy(() -> stranger.open(id, blob)).isInstanceOf(CorruptBlobException.class)
                .hasMessageContaining("authentication failed");
        for (int i = 0; i < blob.length; i += 7) {
            byte[] flipped = blob.clone();
            flipped[i] ^= 0x10;
            assertThatThrownBy(() -> SEALER.open(id, flipped)).isInstanceOf(CorruptBlobException.class);
        }
        byte[] other = "other".getBytes(StandardCharsets.UTF_8);
        ChunkId otherId = SEALER.id(other, 0, other.length);
        assertThatThrownBy(() -> SEALER.open(otherId, blob)).isInstanceOf(CorruptBlobException.class);
        assertThatThrownBy(() -> SEALER.open(id, Arrays.copyOf(blob, 10))).isInstanceOf(CorruptBlobException.class);
    }

    /** The sealed-chunk layout is a format: these bytes must read the same in every later version. */
    @Test
    void goldenBytes() throws Exception {
        RepositoryKeys keys = goldenKeys();
        ChunkSealer fixed = new ChunkSealer(keys, nonce -> Arrays.fill(nonce, (byte) 0x5a));
        byte[] plain = "lifeboat".getBytes(StandardCharsets.US_ASCII);
        ChunkId id = keys.id(plain, 0, plain.length);
        byte[] blob = fixed.seal(id, plain, 0, plain.length);
        assertThat(id.toString()).isEqualTo(GOLDEN_ID);
        assertThat(HexFormat.of().formatHex(blob)).isEqualTo(GOLDEN_BLOB);
        assertThat(new ChunkSealer(keys).open(ChunkId.parse(GOLDEN_ID), HexFormat.of().parseHex(GOLDEN_BLOB)))
                .isEqualTo(plain);
    }

    /** A chunk of three leaves (64 KiB, 64 KiB, 18,928 bytes), and the empty chunk: the hash tree's edges. */
    @Test
    void goldenIdsAcrossLeaves() {
        RepositoryKeys keys = goldenKeys();
        byte[] big = new byte[150_000];
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) (i * 31 + 7);
        }
        assertThat(keys.id(big, 0, big.length).toString())
                .isEqualTo("998e6a6b964d99d828fc9950aec281ab97e2c4b938fe464160779e8f27152050");
        assertThat(keys.id(big, 0, 0).toString())
                .isEqualTo("462476a897ddfdbd40d1420e08a5bcfeeb25c3e2ade6a0a9083b327b9ef9fca1");
    }

    static RepositoryKeys goldenKeys() {
        byte[] keyBytes = new byte[RepositoryKeys.ENCODED_LENGTH];
        keyBytes[0] = RepositoryKeys.FORMAT;
        for (int i = 1; i < keyBytes.length; i++) {
            keyBytes[i] = (byte) i;
        }
        return RepositoryKeys.decode(keyBytes);
    }

    static final String GOLDEN_ID = "f2a187fd02b53cd6121528cc24d0d4553c958b82626dffa1931bd4a189c3b29e";
    // Computed independently (Python: hmac + cryptography AESGCM) from docs/store-format.md.
    static final String GOLDEN_BLOB = "015a5a5a5a5a5a5a5a5a5a5a5a76d270b04217e6faeeccade274f507d14889b525d4eee74483";
}
