package io.lifeboat.store.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lifeboat.store.backend.LocalBackend;
import io.lifeboat.store.crypto.CorruptBlobException;
import io.lifeboat.store.repository.KeyWrapper;
import io.lifeboat.store.repository.Repository;
import io.lifeboat.store.repository.TestWrappers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageRoundTripTest {
    static final int CHUNK = 64 * 1024;
    static final int PACK = 1 << 20;

    @TempDir
    Path dir;

    /** An image with data regions and zero regions, like a partly used disk. */
    static byte[] image(long seed, int size) {
        Random r = new Random(seed);
        byte[] b = new byte[size];
        for (int at = 0; at < size; ) {
            int run = Math.min(size - at, 1 + r.nextInt(3 * CHUNK));
            if (r.nextBoolean()) {
                byte[] data = new byte[run];
                r.nextBytes(data);
                if (r.nextInt(3) == 0) {
                    java.util.Arrays.fill(data, (byte) 'x'); // compressible
                }
                System.arraycopy(data, 0, b, at, run);
            }
            at += run;
        }
        return b;
    }

    static Path write(Path dir, String name, byte[] bytes) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, bytes);
        return p;
    }

    @Property(tries = 15)
    void anyImageRestoresByteForByte(@ForAll @IntRange(min = 0, max = 2_000_000) int size, @ForAll long seed)
            throws Exception {
        Path work = Files.createTempDirectory("img");
        Repository repo = Repository.init(new LocalBackend(work.resolve("repo")), TestWrappers.random());
        byte[] original = image(seed, size);
        new ImageArchiver(repo, CHUNK, PACK).backup(write(work, "disk.img", original), "p1");
        Path restored = work.resolve("restored.img");
        new ImageRestorer(repo).restore("p1", restored);
        assertThat(Files.readAllBytes(restored)).isEqualTo(original);
    }

    @Test
    void secondBackupStoresOnlyWhatChanged() throws Exception {
        KeyWrapper wrapper = TestWrappers.random();
        Repository repo = Repository.init(new LocalBackend(dir.resolve("repo")), wrapper);
        byte[] day1 = image(1, 8 << 20);
        ImageArchiver archiver = new ImageArchiver(repo, CHUNK, PACK);
        ImageArchiver.Result first = archiver.backup(write(dir, "d1.img", day1), "day1");
        assertThat(first.holes()).isPositive();

        ImageArchiver.Result same = archiver.backup(write(dir, "d1b.img", day1), "day1-again");
        assertThat(same.newChunks()).isZero();
        assertThat(same.bytesNew()).isZero();

        byte[] day2 = day1.clone();
        Random r = new Random(9);
        for (int i = 0; i < 5; i++) {
            day2[r.nextInt(day2.length)] ^= 0x55; // five scattered byte changes
        }
        ImageArchiver.Result second = archiver.backup(write(dir, "d2.img", day2), "day2");
        assertThat(second.newChunks()).isBetween(1, 5);

        Repository reopened = Repository.open(new LocalBackend(dir.resolve("repo")), wrapper);
        assertThat(reopened.manifests()).containsExactlyInAnyOrder("day1", "day1-again", "day2");
        for (String name : List.of("day1", "day2")) {
            Path out = dir.resolve(name + ".restored");
            new ImageRestorer(reopened).restore(name, out);
            assertThat(Files.readAllBytes(out)).isEqualTo(name.equals("day1") ? day1 : day2);
        }
    }

    @Test
    void theWrongWrapperCannotOpenTheRepository() throws Exception {
        Repository.init(new LocalBackend(dir.resolve("repo")), TestWrappers.random());
        assertThatThrownBy(() -> Repository.open(new LocalBackend(dir.resolve("repo")), TestWrappers.random()))
                .isInstanceOf(IOException.class).hasMessageContaining("unwrap");
        assertThatThrownBy(() -> Repository.init(new LocalBackend(dir.resolve("repo")), TestWrappers.random()))
                .isInstanceOf(java.nio.file.FileAlreadyExistsException.class);
    }

    @Test
    void aDamagedPackFailsTheRestoreAndNamesTheChunk() throws Exception {
        KeyWrapper wrapper = TestWrappers.random();
        LocalBackend backend = new LocalBackend(dir.resolve("repo"));
        Repository repo = Repository.init(backend, wrapper);
        byte[] original = image(4, 2 << 20);
        new ImageArchiver(repo, CHUNK, PACK).backup(write(dir, "disk.img", original), "p");
        String pack = backend.list("data/").get(0);
        byte[] bytes = backend.get(pack);
        bytes[100] ^= 1;
        Files.write(dir.resolve("repo").resolve(pack), bytes);
        assertThatThrownBy(() -> new ImageRestorer(Repository.open(backend, wrapper)).restore("p", dir.resolve("out")))
                .isInstanceOf(CorruptBlobException.class).hasMessageContaining("chunk ");
    }
}
