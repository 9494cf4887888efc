package io.lifeboat.store.tree;

import io.lifeboat.store.TempDirs;
import static org.assertj.core.api.Assertions.assertThat;

import io.lifeboat.store.backend.LocalBackend;
import io.lifeboat.store.crypto.ChunkId;
import io.lifeboat.store.repository.KeyWrapper;
import io.lifeboat.store.repository.Repository;
import io.lifeboat.store.repository.TestWrappers;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

public class TreeRoundTripTest {
    static final int PACK = 1 << 20;

    @TempDir
    Path dir;
    Path source;
    KeyWrapper wrapper;
    Repository repo;

    @BeforeEach
    void setUp() throws Exception {
        source = dir.resolve("src");
        wrapper = TestWrappers.random();
        repo = Repository.init(new LocalBackend(dir.resolve("repo")), wrapper);
    }

    /** A tree with every kind of entry and metadata the format keeps. */
    void richTree(Path root) throws Exception {
        Files.createDirectories(root.resolve("etc/conf.d"));
        Files.createDirectories(root.resolve("var/log"));
        Files.createDirectories(root.resolve("empty"));
        Files.write(root.resolve("etc/hosts"), "127.0.0.1 localhost\n".getBytes(StandardCharsets.UTF_8));
        Files.write(root.resolve("etc/conf.d/empty.conf"), new byte[0]);
        byte[] big = new byte[9 << 20];
        new Random(1).nextBytes(big);
        Files.write(root.resolve("var/big.bin"), big);
        Files.write(root.resolve("var/log/app.log"), "line of a log that repeats\n".repeat(100_000).getBytes());
        try (RandomAccessFile sparse = new RandomAccessFile(root.resolve("var/sparse.img").toFile(), "rw")) {
            sparse.setLength(64L << 20);
            sparse.seek(32L << 20);
            sparse.write(big, 0, 1 << 20);
        }
        Files.createSymbolicLink(root.resolve("etc/link-to-hosts"), Path.of("hosts"));
        Files.createSymbolicLink(root.resolve("dangling"), Path.of("/nowhere/at/all"));
        Files.createLink(root.resolve("var/hardlink.bin"), root.resolve("var/big.bin"));
        Files.setPosixFilePermissions(root.resolve("etc/hosts"), PosixFilePermissions.fromString("r--r-----"));
        Files.setPosixFilePermissions(root.resolve("var/log"), PosixFilePermissions.fromString("rwx------"));
        Files.setAttribute(root.resolve("var/big.bin"), "unix:mode", 04755); // setuid survives
        Files.setAttribute(root.resolve("empty"), "unix:mode", 01777); // so does the sticky bit
        UserDefinedFileAttributeView xattrs = Files.getFileAttributeView(root.resolve("var/log/app.log"),
                UserDefinedFileAttributeView.class);
        xattrs.write("lifeboat.test", ByteBuffer.wrap("value".getBytes(StandardCharsets.UTF_8)));
        Files.setLastModifiedTime(root.resolve("var/big.bin"), FileTime.from(1_700_000_000_123_456_789L, TimeUnit.NANOSECONDS));
        Files.setLastModifiedTime(root.resolve("etc"), FileTime.from(1_600_000_000_000_000_001L, TimeUnit.NANOSECONDS));
        new ProcessBuilder("mkfifo", root.resolve("var/fifo").toString()).start().waitFor();
    }

    /** Everything restore promises to keep, per relative path. */
    public static Map<String, String> describe(Path root) throws IOException {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : all.toList()) {
                String rel = root.relativize(p).toString();
                Map<String, Object> a = Files.readAttributes(p, "unix:*", LinkOption.NOFOLLOW_LINKS);
                StringBuilder d = new StringBuilder();
                d.append("mode=").append(Integer.toOctalString((Integer) a.get("mode")));
                d.append(" uid=").append(a.get("uid")).append(" gid=").append(a.get("gid"));
                if ((Boolean) a.get("isSymbolicLink")) {
                    d.append(" -> ").append(Files.readSymbolicLink(p));
                } else {
                    d.append(" mtime=").append(a.get("lastModifiedTime"));
                }
                if ((Boolean) a.get("isRegularFile")) {
                    d.append(" nlink=").append(a.get("nlink")).append(" size=").append(a.get("size"));
                    d.append(" sha=").append(java.util.HexFormat.of().formatHex(java.security.MessageDigest
                            .getInstance("SHA-256").digest(Files.readAllBytes(p))));
                    UserDefinedFileAttributeView x = Files.getFileAttributeView(p, UserDefinedFileAttributeView.class);
                    for (String name : x.list()) {
                        ByteBuffer v = ByteBuffer.allocate(x.size(name));
                        x.read(name, v);
                        d.append(" xattr ").append(name).append('=').append(new String(v.array(), StandardCharsets.UTF_8));
                    }
                }
                out.put(rel, d.toString());
            }
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }

    @Test
    void everyKindOfEntryAndItsMetadataRoundTrips() throws Exception {
        richTree(source);
        long[] last = new long[3];
        TreeArchiver.Result r = new TreeArchiver(repo, PACK).backup(source, "t1", null,
                (done, total, read, stored) -> {
                    synchronized (last) {
                        last[0] = Math.max(last[0], done);
                        last[1] = Math.max(last[1], total);
                    }
                });
        assertThat(last[0]).isEqualTo(last[1]).isEqualTo((9 << 20) * 1L + 20 + 2_700_000 + (64L << 20));
        assertThat(r.files()).isEqualTo(6); // the second name of the hard link counts, the fifo does not
        Path out = dir.resolve("out");
        TreeRestorer.Result restored = new TreeRestorer(Repository.open(new LocalBackend(dir.resolve("repo")), wrapper))
                .restore("t1", "", out);
        assertThat(restored.skipped()).isEqualTo(1); // the fifo
        Map<String, String> expected = describe(source);
        expected.remove("var/fifo");
        assertThat(describe(out)).isEqualTo(expected);
        assertThat(Files.readAttributes(out.resolve("var/hardlink.bin"), "unix:ino"))
                .isEqualTo(Files.readAttributes(out.resolve("var/big.bin"), "unix:ino"));
        long allocated = (Long) Files.readAttributes(out.resolve("var/sparse.img"), "unix:size").get("size");
        assertThat(allocated).isEqualTo(64L << 20);
        assertThat(blocks(out.resolve("var/sparse.img"))).isLessThan(4L << 20); // holes stayed holes
    }

    static long blocks(Path p) throws Exception {
        Process stat = new ProcessBuilder("stat", "-c", "%b %B", p.toString()).start();
        String[] f = new String(stat.getInputStream().readAllBytes()).trim().split(" ");
        stat.waitFor();
        return Long.parseLong(f[0]) * Long.parseLong(f[1]);
    }

    /** Files are restored a directory's batch at a time; a crowded directory is split across batches. */
    @Test
    void crowdedDirectoriesRoundTrip() throws Exception {
        Files.createDirectories(source.resolve("many/inner"));
        for (int i = 0; i < 150; i++) {
            Files.write(source.resolve("many/f" + i), ("file " + i + "\n").repeat(i).getBytes(StandardCharsets.UTF_8));
        }
        byte[] big = new byte[17 << 20];
        new Random(2).nextBytes(big);
        Files.write(source.resolve("many/inner/big"), big);
        Files.write(source.resolve("many/inner/small"), new byte[] {1, 2, 3});
        Files.write(source.resolve("many/zlast"), new byte[] {4});
        new TreeArchiver(repo, PACK).backup(source, "t1", null);
        Path out = dir.resolve("out");
        TreeRestorer.Result restored = new TreeRestorer(repo).restore("t1", "", out);
        assertThat(restored.files()).isEqualTo(153);
        assertThat(describe(out)).isEqualTo(describe(source));
    }

    @Test
    void aSubtreeOrOneFileRestoresAlone() throws Exception {
        richTree(source);
        new TreeArchiver(repo, PACK).backup(source, "t1", null);
        Path sub = dir.resolve("sub");
        new TreeRestorer(repo).restore("t1", "var/log", sub);
        assertThat(describe(sub.resolve("log"))).isEqualTo(describe(source.resolve("var/log")));
        assertThat(Files.exists(sub.resolve("big.bin"))).isFalse();
        Path one = dir.resolve("one");
        new TreeRestorer(repo).restore("t1", "etc/hosts", one);
        assertThat(Files.readAllBytes(one.resolve("hosts"))).isEqualTo(Files.readAllBytes(source.resolve("etc/hosts")));
        Path linkAlone = dir.resolve("link");
        new TreeRestorer(repo).restore("t1", "var/hardlink.bin", linkAlone);
        assertThat(Files.readAllBytes(linkAlone.resolve("hardlink.bin")))
                .isEqualTo(Files.readAllBytes(source.resolve("var/big.bin")));
    }

    private List<ChunkId> stream(String manifest) throws Exception {
        return TreeManifest.decode(manifest, repo.manifest(manifest)).stream().chunks();
    }

    @Test
    void anUnchangedTreeIsNotReadAgainAndOneChangedFileIsReadAlone() throws Exception {
        richTree(source);
        TreeArchiver archiver = new TreeArchiver(repo, PACK);
        TreeArchiver.Result first = archiver.backup(source, "t1", null);
        TreeArchiver.Result again = archiver.backup(source, "t2", "t1");
        assertThat(again.unchangedFiles()).isEqualTo(first.files() - 1); // all but the hard link's second name
        assertThat(again.bytesRead()).isZero();
        assertThat(again.newChunks()).isZero();
        // t1's listing of each directory moved its atime, which t2 records; from then on nothing moves.
        archiver.backup(source, "t2b", "t2");
        assertThat(stream("t2b")).as("an unchanged tree keeps its parent's node stream").isEqualTo(stream("t2"));
        Files.write(source.resolve("etc/hosts"), "10.0.0.1 gateway\n".getBytes(StandardCharsets.UTF_8));
        Files.getFileAttributeView(source.resolve("etc/conf.d/empty.conf"), UserDefinedFileAttributeView.class)
                .write("added", ByteBuffer.wrap(new byte[] {1})); // only its ctime tells
        TreeArchiver.Result third = archiver.backup(source, "t3", "t2");
        assertThat(third.bytesRead()).isEqualTo(17);
        Path out = dir.resolve("out3");
        new TreeRestorer(repo).restore("t3", "", out);
        Map<String, String> expected = describe(source);
        expected.remove("var/fifo");
        assertThat(describe(out)).isEqualTo(expected);
    }

    @Test
    void nodePathsThatWouldLeaveTheTargetAreRefused() {
        for (String bad : new String[] {"/etc/passwd", "../x", "a/../../x", "a//b", "./a", "a/", "a/.", "..", "a/b/..",
                "a\0b", "/"}) {
            assertThat(TreeManifest.safe(bad)).as(bad).isFalse();
        }
        for (String good : new String[] {"", "a", "a/b.c", "a/..b", "...", "a b/c"}) {
            assertThat(TreeManifest.safe(good)).as(good).isTrue();
        }
    }

    /** Random trees of random files restore byte for byte, alone and after a changed re-backup. */
    @Property(tries = 10)
    void randomTreesRoundTrip(@ForAll long seed, @ForAll @IntRange(min = 1, max = 40) int count) throws Exception {
        TempDirs.with("tree", work -> {
            Repository r = Repository.init(new LocalBackend(work.resolve("repo")), TestWrappers.random());
            Path src = work.resolve("src");
            Random random = new Random(seed);
            List<Path> files = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                Path f = src.resolve("d" + random.nextInt(4)).resolve("f" + i);
                Files.createDirectories(f.getParent());
                byte[] data = new byte[random.nextInt(3) == 0 ? random.nextInt(6 << 20) : random.nextInt(5000)];
                random.nextBytes(data);
                Files.write(f, data);
                files.add(f);
            }
            new TreeArchiver(r, PACK).backup(src, "a", null);
            Files.write(files.get(0), new byte[] {1, 2, 3});
            new TreeArchiver(r, PACK).backup(src, "b", "a");
            Path out = work.resolve("out");
            new TreeRestorer(r).restore("b", "", out);
            assertThat(describe(out)).isEqualTo(describe(src));
        });
    }
}
