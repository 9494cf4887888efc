package io.lifeboat.store.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** Buffers from {@link DirectIo}: fresh mappings on Linux, the JDK's direct buffers elsewhere. */
class DirectIoTest {

    @Test
    void allocatesZeroedAlignedBuffersOfExactlyTheSizeAsked() {
        for (int size : new int[] {1, 4095, 4096, 1 << 20, (2 << 20) - 1, 2 << 20, (18 << 20) + 12345}) {
            ByteBuffer b = DirectIo.allocate(size);
            assertThat(b.isDirect()).isTrue();
            assertThat(b.capacity()).isEqualTo(size);
            assertThat(b.alignmentOffset(0, DirectIo.ALIGN)).isZero();
            assertThat(b.order()).isEqualTo(ByteOrder.BIG_ENDIAN);
            for (int i = 0; i < size; i += 997) {
                assertThat(b.get(i)).as("byte %d of %d", i, size).isZero();
            }
            assertThat(b.get(size - 1)).isZero();
            b.put(size - 1, (byte) 7);
            assertThat(b.get(size - 1)).isEqualTo((byte) 7);
        }
    }

    /** What the pool has no room for is unmapped when given back, not left for a collection. */
    @Test
    void thePoolFreesWhatItHasNoRoomFor() {
        Assumptions.assumeTrue(Libc.AVAILABLE, "mappings are Linux-only");
        List<ByteBuffer> taken = new ArrayList<>();
        for (int i = 0; i < DirectIo.IDLE + 3; i++) {
            taken.add(DirectIo.take(5 << 20));
        }
        assertThat(taken).allMatch(DirectIo::mapped);
        int idleBefore = DirectIo.idle();
        taken.forEach(DirectIo::give);
        int kept = Math.max(0, DirectIo.IDLE - idleBefore);
        assertThat(DirectIo.idle()).isEqualTo(idleBefore + kept);
        assertThat(taken.stream().filter(DirectIo::mapped).count()).isEqualTo(kept);
    }

    /** The mapping is freed after the last view of it, never while a slice is still in use. */
    @Test
    void slicesKeepTheirMemoryAfterTheBufferTheyCameFromIsDropped() throws Exception {
        List<ByteBuffer> slices = new ArrayList<>();
        SplittableRandom random = new SplittableRandom(3);
        byte[] expected = new byte[1 << 20];
        random.nextBytes(expected);
        for (int i = 0; i < 8; i++) {
            ByteBuffer slab = DirectIo.allocate(4 << 20);
            slices.add(slab.slice(1 << 20, 1 << 20).put(0, expected));
        }
        for (int round = 0; round < 3; round++) {
            System.gc();
            Thread.sleep(50);
            for (int i = 0; i < 64; i++) {
                DirectIo.allocate(4 << 20).put(0, (byte) 1); // dropped at once: the cleaner has work
            }
        }
        for (ByteBuffer s : slices) {
            byte[] read = new byte[expected.length];
            s.get(0, read);
            assertThat(read).isEqualTo(expected);
        }
    }
}
