package io.lifeboat.store.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The native (OpenSSL) and JDK paths compute the same AES-GCM and SHA-256 bytes. */
class NativeCryptoTest {
    final Envelope envelope = new Envelope(RepositoryKeys.generate(new SecureRandom()));
    final byte[] aad = "chunk id".getBytes();

    @Test
    void nativeAndJdkPathsAgreeByteForByte() throws Exception {
        assertThat(NativeCrypto.AVAILABLE).as("libcrypto loads on this machine").isTrue();
        for (int size : new int[] {16 << 10, 100_003, 1 << 20, (4 << 20) + 5}) {
            byte[] data = new byte[size];
            new Random(size).nextBytes(data);
            byte[] nonce = new byte[Envelope.NONCE];
            new SecureRandom().nextBytes(nonce);
            Envelope fixed = new Envelope(RepositoryKeys.generate(new SecureRandom()).dataKey(), n -> System.arraycopy(nonce, 0, n, 0, n.length));
            byte[] viaNative = fixed.seal(aad, (byte) 1, data, 0, size);
            byte[] viaJdk = fixed.sealJdk(nonce, aad, (byte) 1, data, 0, size);
            assertThat(viaNative).isEqualTo(viaJdk);
            assertThat(fixed.seal(aad, (byte) 1, direct(data, 0, size))).as("from a direct buffer").isEqualTo(viaJdk);
            assertThat(fixed.seal(aad, null, direct(data, 0, size)))
                    .isEqualTo(fixed.sealJdk(nonce, aad, null, data, 0, size));
            byte[][] onVirtualThread = new byte[1][]; // where the JDK path takes direct buffers too
            Thread.ofVirtual().start(() -> onVirtualThread[0] = fixed.seal(aad, (byte) 1, direct(data, 0, size))).join();
            assertThat(onVirtualThread[0]).isEqualTo(viaJdk);
            byte[] expected = new byte[size + 1];
            expected[0] = 1;
            System.arraycopy(data, 0, expected, 1, size);
            assertThat(fixed.open(aad, viaJdk, "x")).isEqualTo(expected);
            assertThat(fixed.openJdk(aad, viaNative, "x")).isEqualTo(expected);
        }
    }

    @Test
    void nativeAndJdkLeafDigestsAgree() throws Exception {
        for (int size : new int[] {16 << 10, 65_536, 200_001, 1 << 20}) {
            byte[] data = new byte[size + 7];
            new Random(size).nextBytes(data);
            // a whole leaf of zeros (its digest is known, not computed) and a short zero tail (hashed)
            int leaves = RepositoryKeys.leaves(size);
            if (leaves > 2) {
                Arrays.fill(data, 7 + RepositoryKeys.LEAF, 7 + 2 * RepositoryKeys.LEAF, (byte) 0);
                Arrays.fill(data, 7 + (leaves - 1) * RepositoryKeys.LEAF, data.length, (byte) 0);
            }
            byte[] expected = new byte[leaves * 32 + 3];
            for (int i = 0; i < leaves; i++) {
                MessageDigest sha = MessageDigest.getInstance("SHA-256");
                int from = 7 + i * RepositoryKeys.LEAF;
                sha.update(data, from, Math.min(RepositoryKeys.LEAF, 7 + size - from));
                System.arraycopy(sha.digest(), 0, expected, 3 + i * 32, 32);
            }
            byte[] viaNative = new byte[leaves * 32 + 3];
            byte[] viaJdk = new byte[leaves * 32 + 3];
            NativeCrypto.leafDigests(ByteBuffer.wrap(data, 7, size), viaNative, 3);
            RepositoryKeys.leafDigestsJdk(ByteBuffer.wrap(data, 7, size), viaJdk, 3);
            assertThat(viaJdk).isEqualTo(expected);
            assertThat(viaNative).isEqualTo(viaJdk);
            byte[] viaDirect = new byte[leaves * 32 + 3];
            NativeCrypto.leafDigests(direct(data, 7, size), viaDirect, 3);
            assertThat(viaDirect).isEqualTo(viaJdk);
            byte[] viaDirectJdk = new byte[leaves * 32 + 3];
            RepositoryKeys.leafDigestsJdk(direct(data, 7, size), viaDirectJdk, 3);
            assertThat(viaDirectJdk).isEqualTo(viaJdk);
        }
    }

    /** {@code data[offset, offset+length)} in a direct buffer, positioned past a few bytes of other data. */
    static ByteBuffer direct(byte[] data, int offset, int length) {
        ByteBuffer b = ByteBuffer.allocateDirect(length + 5);
        b.position(5);
        b.put(data, offset, length);
        return b.position(5);
    }

    @Test
    void nativePathRefusesTamperingWrongAadAndWrongKey() {
        byte[] data = new byte[1 << 20];
        new Random(1).nextBytes(data);
        byte[] blob = envelope.seal(aad, null, data, 0, data.length);
        for (int at : new int[] {1, 20, blob.length / 2, blob.length - 1}) {
            byte[] flipped = blob.clone();
            flipped[at] ^= 4;
            assertThatThrownBy(() -> envelope.open(aad, flipped, "blob")).isInstanceOf(CorruptBlobException.class)
                    .hasMessageContaining("authentication failed");
        }
        assertThatThrownBy(() -> envelope.open("other".getBytes(), blob, "blob")).isInstanceOf(CorruptBlobException.class);
        Envelope stranger = new Envelope(RepositoryKeys.generate(new SecureRandom()));
        assertThatThrownBy(() -> stranger.open(aad, blob, "blob")).isInstanceOf(CorruptBlobException.class);
        assertThatThrownBy(() -> envelope.open(aad, Arrays.copyOf(blob, blob.length - 1), "blob"))
                .isInstanceOf(CorruptBlobException.class);
    }
}
