package io.lifeboat.store.chunk;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class FastCdcTest {
    static final FastCdc SMALL = new FastCdc(2048, 8192, 32768);

    static List<Integer> cuts(FastCdc cdc, byte[] data) {
        List<Integer> lengths = new ArrayList<>();
        for (int at = 0; at < data.length; ) {
            int n = cdc.next(data, at, data.length - at);
            lengths.add(n);
            at += n;
        }
        return lengths;
    }

    static byte[] random(long seed, int size) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    @Property(tries = 30)
    void chunksCoverTheInputWithinBounds(@ForAll @IntRange(min = 0, max = 400_000) int size, @ForAll long seed) {
        byte[] data = random(seed, size);
        List<Integer> lengths = cuts(SMALL, data);
        assertThat(lengths.stream().mapToInt(Integer::intValue).sum()).isEqualTo(size);
        for (int i = 0; i < lengths.size() - 1; i++) {
            assertThat(lengths.get(i)).isBetween(2049, 32768);
        }
    }

    @Test
    void averageIsNearTheTarget() {
        List<Integer> lengths = cuts(SMALL, random(1, 8 << 20));
        double mean = lengths.stream().mapToInt(Integer::intValue).average().orElseThrow();
        assertThat(mean).isBetween(8192 * 0.75, 8192 * 1.35);
    }

    /** An insertion near the start moves only the cuts near it; the rest of the file dedupes. */
    @Test
    void insertionsShiftOnlyNearbyChunks() {
        byte[] original = random(2, 4 << 20);
        byte[] edited = new byte[original.length + 100];
        System.arraycopy(original, 0, edited, 0, 5000);
        System.arraycopy(original, 5000, edited, 5100, original.length - 5000);
        Set<String> before = chunkSet(original);
        Set<String> after = chunkSet(edited);
        Set<String> common = new HashSet<>(after);
        common.retainAll(before);
        assertThat(common.size()).isGreaterThanOrEqualTo(after.size() - 3);
    }

    static Set<String> chunkSet(byte[] data) {
        Set<String> set = new HashSet<>();
        int at = 0;
        for (int n : cuts(SMALL, data)) {
            set.add(java.util.Arrays.hashCode(java.util.Arrays.copyOfRange(data, at, at + n)) + ":" + n);
            at += n;
        }
        return set;
    }

    /** The gear table is part of the format. */
    @Test
    void gearTableIsFixed() {
        assertThat(Long.toHexString(FastCdc.gearValue(0))).isEqualTo("eb866298e4cc950e");
        assertThat(Long.toHexString(FastCdc.gearValue(255))).isEqualTo("f0363d6a86f2280d");
    }

    @Test
    void zeroDetection() {
        byte[] zeros = new byte[1 << 20];
        assertThat(Zeros.isZero(ByteBuffer.wrap(zeros), 0, zeros.length)).isTrue();
        zeros[(1 << 20) - 1] = 1;
        assertThat(Zeros.isZero(ByteBuffer.wrap(zeros), 0, zeros.length)).isFalse();
        assertThat(Zeros.isZero(ByteBuffer.wrap(zeros), 0, zeros.length - 1)).isTrue();
    }
}
