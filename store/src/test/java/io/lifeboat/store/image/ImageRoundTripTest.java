package io.lifeboat.store.image;

import io.lifeboat.store.TempDirs;
import io.lifeboat.store.io.Progress;
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
    static final int RUN = 1 << 20; // the scale of the test images' data and zero runs, about a window
    static final int PACK = 1 << 20;

    @TempDir
    Path dir;

    /** An image with data regions and zero regions, like a partly used disk. */
    static byte[] image(long seed, int size) {
        Random r = new Random(seed);
        byte[] b = new byte[size];
        for (int at = 0; at < size; ) {
            int run = Math.min(size - at, 1 + r.nextInt(3 * RUN));
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
        TempDirs.with("img", work -> {
            Repository repo = Repository.init(new LocalBackend(work.resolve("repo")), TestWrappers.random());
            byte[] original = image(seed, size);
            new ImageArchiver(repo, PACK).backup(write(work, "disk.img", original), "p1");
            Path restored = work.resolve("restored.img");
            new ImageRestorer(repo).restore("p1", restored);
            assertThat(Files.readAllBytes(restored)).isEqualTo(original);
        });
    }

    @Test
    void secondBackupStoresOnlyWhatChanged() throws Exception {
        KeyWrapper wrapper = TestWrappers.random();
        Repository repo = Repository.init(new LocalBackend(dir.resolve("repo")), wrapper);
        byte[] day1 = image(1, 8 << 20);
        ImageArchiver archiver = new ImageArchiver(repo, PACK);
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
        assertThat(second.newChunks()).isBetween(1, 5); // whole windows: no parent given

        Repository reopened = Repository.open(new LocalBackend(dir.resolve("repo")), wrapper);
        assertThat(reopened.manifests()).containsExactlyInAnyOrder("day1", "day1-again", "day2");
        for (String name : List.of("day1", "day2")) {
            Path out = dir.resolve(name + ".restored");
            new ImageRestorer(reopened).restore(name, out);
            assertThat(Files.readAllBytes(out)).isEqualTo(name.equals("day1") ? day1 : day2);
        }
    }

    /** Scattered 4 KiB writes, backed up against the previous manifest, day after day. */
    @Property(tries = 8)
    void changedLeavesAgainstTheParentRestoreExactly(@ForAll long seed, @ForAll @IntRange(min = 1, max = 40) int writes)
            throws Exception {
        TempDirs.with("img", work -> {
            Repository repo = Repository.init(new LocalBackend(work.resolve("repo")), TestWrappers.random());
            ImageArchiver archiver = new ImageArchiver(repo, PACK);
            ImageRestorer restorer = new ImageRestorer(repo);
            byte[] day = image(seed, 4 << 20);
            Random r = new Random(seed);
            List<byte[]> days = new java.util.ArrayList<>();
            String parent = null;
            for (int d = 0; d < 6; d++) {
                if (d > 0) {
                    day = day.clone();
                    for (int w = 0; w < writes; w++) {
                        int block = r.nextInt(day.length / 4096);
                        byte[] data = new byte[4096];
                        if (r.nextInt(4) > 0) {
                            r.nextBytes(data); // else zeros: a leaf may become a hole
                        }
                        System.arraycopy(data, 0, day, block * 4096, 4096);
                    }
                }
                days.add(day);
                archiver.backup(write(work, "day.img", day), "day" + d, parent, Progress.NONE);
                parent = "day" + d;
            }
            for (int d = 0; d < days.size(); d++) {
                Path out = work.resolve("out" + d);
                restorer.restore("day" + d, out);
                assertThat(Files.readAllBytes(out)).as("day %d", d).isEqualTo(days.get(d));
            }
        });
    }

    @Test
    void scatteredWritesStoreOnlyTheirLeaves() throws Exception {
        Repository repo = Repository.init(new LocalBackend(dir.resolve("repo")), TestWrappers.random());
        byte[] day1 = new byte[16 << 20];
        new Random(3).nextBytes(day1);
        ImageArchiver archiver = new ImageArchiver(repo, PACK);
        archiver.backup(write(dir, "d1.img", day1), "day1");
        byte[] day2 = day1.clone();
        for (int window = 0; window < 16; window++) {
            day2[(window << 20) + 70_000] ^= 1; // one byte in leaf 1 of every window
        }
        ImageArchiver.Result second = archiver.backup(write(dir, "d2.img", day2), "day2", "day1",
                Progress.NONE);
        assertThat(second.overriddenWindows()).isEqualTo(16);
        assertThat(second.newChunks()).isEqualTo(16); // the leaves (the window stream is not counted)
        assertThat(second.bytesNew()).isLessThan(16 * (64 * 1024 + 100) + 8192); // leaves, and the window stream
        Path out = dir.resolve("out");
        new ImageRestorer(repo).restore("day2", out);
        assertThat(Files.readAllBytes(out)).isEqualTo(day2);
    }

    @Test
    void holesTheFileSystemReportsAreNotRead() throws Exception {
        Path sparse = dir.resolve("sparse.img");
        byte[] data = new byte[1 << 20];
        new Random(5).nextBytes(data);
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(sparse,
                java.nio.file.StandardOpenOption.CREATE_NEW, java.nio.file.StandardOpenOption.WRITE)) {
            ch.write(java.nio.ByteBuffer.wrap(data), 40L << 20);
            ch.write(java.nio.ByteBuffer.wrap(data), (64L << 20) - data.length);
        }
        Repository repo = Repository.init(new LocalBackend(dir.resolve("repo")), TestWrappers.random());
        ImageArchiver.Result r = new ImageArchiver(repo, PACK).backup(sparse, "p");
        assertThat(r.size()).isEqualTo(64L << 20);
        assertThat(r.holes()).isEqualTo(62);
        if (System.getProperty("os.name").equals("Linux")) {
            assertThat(r.bytesRead()).isEqualTo(2L << 20); // only the two data windows
        }
        Path out = dir.resolve("out");
        new ImageRestorer(repo).restore("p", out);
        assertThat(Files.mismatch(sparse, out)).isEqualTo(-1);
    }

    /** On a block device holes are written as zeros (its old bytes must not show through), and a
     * device backs up at its full size. */
    @Test
    void restoreToAndBackupFromABlockDevice() throws Exception {
        Path backing = dir.resolve("device.bin");
        byte[] old = new byte[8 << 20];
        java.util.Arrays.fill(old, (byte) 0xff);
        Files.write(backing, old);
        Process attach = new ProcessBuilder("losetup", "-f", "--show", backing.toString()).start();
        String device = new String(attach.getInputStream().readAllBytes()).trim();
        org.junit.jupiter.api.Assumptions.assumeTrue(attach.waitFor() == 0 && device.startsWith("/dev/"),
                "needs a loop device (root and losetup)");
        try {
            Repository repo = Repository.init(new LocalBackend(dir.resolve("repo")), TestWrappers.random());
            byte[] original = image(11, 8 << 20);
            java.util.Arrays.fill(original, 0, 2 << 20, (byte) 0); // two hole windows at least
            new ImageArchiver(repo, PACK).backup(write(dir, "disk.img", original), "p");
            new ImageRestorer(repo).restore("p", Path.of(device));
            try (java.io.InputStream in = Files.newInputStream(Path.of(device))) {
                assertThat(in.readNBytes(original.length)).isEqualTo(original);
            }
            // and back up from the device: its size comes from the device, not from st_size (0)
            ImageArchiver.Result fromDevice = new ImageArchiver(repo, PACK).backup(Path.of(device), "from-device");
            assertThat(fromDevice.size()).isEqualTo(8 << 20);
            assertThat(fromDevice.newChunks()).isZero();
            Path out = dir.resolve("from-device.img");
            new ImageRestorer(repo).restore("from-device", out);
            assertThat(Files.readAllBytes(out)).isEqualTo(original);
        } finally {
            new ProcessBuilder("losetup", "-d", device).start().waitFor();
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
        new ImageArchiver(repo, PACK).backup(write(dir, "disk.img", original), "p");
        String pack = backend.list("data/").get(0);
        byte[] bytes = backend.get(pack);
        bytes[100] ^= 1;
        Files.write(dir.resolve("repo").resolve(pack), bytes);
        assertThatThrownBy(() -> new ImageRestorer(Repository.open(backend, wrapper)).restore("p", dir.resolve("out")))
                .isInstanceOf(CorruptBlobException.class).hasMessageContaining("chunk ");
    }
}
