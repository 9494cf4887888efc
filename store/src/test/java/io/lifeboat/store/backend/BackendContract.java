package io.lifeboat.store.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lifeboat.store.io.DirectIo;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** What every backend must do; each implementation's test extends this. */
public abstract class BackendContract {

    protected abstract Backend backend() throws Exception;

    /**
     * An upload is invisible until published, then holds exactly its pieces in order, whatever they
     * were: whole aligned segments (O_DIRECT on the local backend), a short aligned last one (padded
     * and truncated), and, after those, pieces off alignment or on the heap (the rest buffered). One
     * abandoned leaves nothing a listing shows; an empty one publishes an empty object.
     */
    @Test
    void uploadsPublishTheirPiecesAtomicallyAndAbandonedOnesLeaveNothing() throws Exception {
        Backend b = backend();
        byte[] data = new byte[5 * (1 << 20) + 777];
        new Random(11).nextBytes(data);
        int[] cuts = {0, 2 << 20, 4 << 20, (4 << 20) + 5000, (4 << 20) + 9000, data.length};
        try (Backend.Upload up = b.upload()) {
            for (int i = 0; i + 1 < cuts.length; i++) {
                int n = cuts[i + 1] - cuts[i];
                ByteBuffer piece = switch (i) {
                    case 0, 1, 2 -> DirectIo.take(n).put(data, cuts[i], n).flip();
                    case 3 -> ByteBuffer.allocateDirect(n + 1).position(1).slice().put(data, cuts[i], n).flip();
                    default -> ByteBuffer.wrap(data, cuts[i], n);
                };
                up.write(piece);
                assertThat(piece.position()).isEqualTo(i == 4 ? cuts[i] : 0);
            }
            assertThat(b.list("")).isEmpty();
            up.publish("data/cc/uploaded");
        }
        assertThat(b.get("data/cc/uploaded")).isEqualTo(data);
        try (Backend.Upload up = b.upload()) {
            up.write(ByteBuffer.wrap(data, 0, 1000));
        }
        try (Backend.Upload up = b.upload()) {
            up.publish("data/cc/empty");
        }
        assertThat(b.list("")).containsExactly("data/cc/empty", "data/cc/uploaded");
        assertThat(b.get("data/cc/empty")).isEmpty();
    }

    @Test
    void putGetSizeExistsDelete() throws Exception {
        Backend b = backend();
        byte[] data = "hello pack".getBytes(StandardCharsets.UTF_8);
        assertThat(b.exists("data/ab/abcd")).isFalse();
        b.put("data/ab/abcd", data);
        assertThat(b.exists("data/ab/abcd")).isTrue();
        assertThat(b.get("data/ab/abcd")).isEqualTo(data);
        assertThat(b.size("data/ab/abcd")).isEqualTo(data.length);
        assertThat(b.get("data/ab/abcd", 6, 4)).isEqualTo("pack".getBytes(StandardCharsets.UTF_8));
        assertThat(b.get("data/ab/abcd", 6, 100)).isEqualTo("pack".getBytes(StandardCharsets.UTF_8));
        b.delete("data/ab/abcd");
        b.delete("data/ab/abcd");
        assertThat(b.exists("data/ab/abcd")).isFalse();
        assertThatThrownBy(() -> b.get("data/ab/abcd")).isInstanceOf(NoSuchFileException.class);
        assertThatThrownBy(() -> b.size("data/ab/abcd")).isInstanceOf(NoSuchFileException.class);
    }

    /**
     * A buffer's remaining bytes are stored exactly, whatever kind of buffer: a page-aligned direct
     * one with spare capacity (which the local backend writes with O_DIRECT, padding the last block
     * and truncating it off), a direct one off alignment, and a heap one; the buffer is left as it was.
     */
    @Test
    void putsBufferRemainingBytesExactly() throws Exception {
        Backend b = backend();
        byte[] data = new byte[3 * (1 << 20) + 123];
        new Random(7).nextBytes(data);
        ByteBuffer aligned = DirectIo.take(data.length);
        aligned.put(data).flip();
        ByteBuffer offAlignment = ByteBuffer.allocateDirect(data.length + 1).position(1).slice().put(data).flip();
        ByteBuffer heap = ByteBuffer.wrap(data, 5, data.length - 5);
        b.put("data/aa/aligned", aligned);
        b.put("data/aa/off", offAlignment);
        b.put("data/aa/heap", heap);
        assertThat(b.get("data/aa/aligned")).isEqualTo(data);
        assertThat(b.get("data/aa/off")).isEqualTo(data);
        assertThat(b.get("data/aa/heap")).isEqualTo(Arrays.copyOfRange(data, 5, data.length));
        assertThat(aligned.position()).isZero();
        assertThat(heap.position()).isEqualTo(5);
        ByteBuffer whole = DirectIo.take(2 << 20).put(data, 0, 2 << 20).flip(); // no last block to pad
        b.put("data/aa/whole", whole);
        assertThat(b.get("data/aa/whole")).isEqualTo(Arrays.copyOf(data, 2 << 20));
        DirectIo.give(aligned);
        b.prefetch("data/aa/aligned"); // a hint: nothing observable but the reads that follow
        b.prefetch("data/aa/missing");
        ByteBuffer into = ByteBuffer.allocateDirect(100);
        b.read("data/aa/aligned", 5, into);
        assertThat(into.position()).isEqualTo(100);
        assertThat(into.get(0)).isEqualTo(data[5]);
        ByteBuffer tail = ByteBuffer.allocate(100);
        b.read("data/aa/aligned", data.length - 10, tail); // stops where the object ends
        assertThat(tail.position()).isEqualTo(10);
        DirectIo.give(whole);
    }

    @Test
    void listsByPrefixSorted() throws Exception {
        Backend b = backend();
        for (String n : List.of("index/2", "data/01/b", "data/00/a", "index/1", "config")) {
            b.put(n, n.getBytes(StandardCharsets.UTF_8));
        }
        assertThat(b.list("data/")).containsExactly("data/00/a", "data/01/b");
        assertThat(b.list("index/")).containsExactly("index/1", "index/2");
        assertThat(b.list("snapshots/")).isEmpty();
    }

    @Test
    void refusesEscapingNames() throws Exception {
        Backend b = backend();
        assertThatThrownBy(() -> b.put("../outside", new byte[1])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.put("/abs", new byte[1])).isInstanceOf(IllegalArgumentException.class);
    }

    /** Readers racing a writer see either nothing or the whole object, never a prefix. */
    @Test
    void publishIsAtomicForConcurrentReaders() throws Exception {
        Backend b = backend();
        byte[] big = new byte[8 << 20];
        new Random(3).nextBytes(big);
        List<Future<Integer>> readers = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(3)) {
            Future<?> writer = pool.submit(() -> {
                b.put("data/big", big);
                return null;
            });
            for (int r = 0; r < 2; r++) {
                readers.add(pool.submit(() -> {
                    int seen = 0;
                    while (!writer.isDone()) {
                        if (b.exists("data/big")) {
                            byte[] got = b.get("data/big");
                            assertThat(got.length).isEqualTo(big.length);
                            seen++;
                        }
                    }
                    return seen;
                }));
            }
            writer.get();
            for (Future<Integer> f : readers) {
                f.get();
            }
        }
        assertThat(b.get("data/big")).isEqualTo(big);
        assertThat(b.list("data/")).containsExactly("data/big");
    }
}
