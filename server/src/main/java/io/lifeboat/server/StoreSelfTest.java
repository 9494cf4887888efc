package io.lifeboat.server;

import static io.lifeboat.server.Cli.Option.value;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

/**
 * {@code lifeboat store selftest}: the store commands end to end on generated data in a scratch
 * directory, each run as an operator would run it (same parsing, same code), and every restore
 * compared byte for byte. It tells an operator that this machine's native libraries, file system
 * and disk do what the store needs, and it is the workload the build records the store tool's
 * ahead-of-time cache from (tools/aot-train.sh), so what it runs is what starts fast.
 */
final class StoreSelfTest {
    static final Cli.Command COMMAND = new Cli.Command("selftest", "Back up, restore, verify and collect generated"
            + " images and directories in a scratch repository, comparing every restore byte for byte.",
            List.of(), List.of(value("--dir", "<dir>", "Scratch directory (default: a new temporary one, removed"
                    + " after).")), StoreSelfTest::run);

    private static final int MIB = 1 << 20;

    private StoreSelfTest() {
    }

    /** A step that did not do what it should. */
    private static final class Failed extends Exception {
        Failed(String message) {
            super(message);
        }
    }

    private static int run(Cli.Parsed p) throws IOException {
        boolean temporary = p.get("--dir") == null;
        Path dir = temporary ? Files.createTempDirectory("lifeboat-selftest") : Files.createDirectories(p.path("--dir"));
        long start = System.nanoTime();
        try {
            steps(dir);
            System.out.printf("selftest passed in %.1f s%n", (System.nanoTime() - start) / 1e9);
            return 0;
        } catch (Failed e) {
            System.out.println("selftest FAILED: " + e.getMessage());
            return 1;
        } finally {
            if (temporary) {
                delete(dir);
            }
        }
    }

    private static void steps(Path dir) throws IOException, Failed {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        Path masterKey = Files.write(dir.resolve("master.key"), key);
        String[] repo = {"--repo", dir.resolve("repo").toString(), "--master-key", masterKey.toString()};
        Path disk = image(dir.resolve("disk.img"));
        Path changed = changedCopy(disk, dir.resolve("disk-changed.img"));
        Path tree = tree(dir.resolve("tree"));

        store(repo, "init");
        store(repo, "backup", disk.toString(), "image-1");
        store(repo, "backup", "--parent", "image-1", changed.toString(), "image-2");
        store(repo, "backup", tree.toString(), "tree-1");
        Files.writeString(tree.resolve("d3/changed.txt"), "a line written after the first backup\n");
        store(repo, "backup", "--parent", "tree-1", tree.toString(), "tree-2");
        store(repo, "ls");
        store(repo, "stats");

        Path out = Files.createDirectories(dir.resolve("out"));
        store(repo, "restore", "image-2", out.resolve("disk.img").toString());
        sameFile(changed, out.resolve("disk.img"));
        store(repo, "restore", "tree-2", out.resolve("tree").toString());
        sameTree(tree, out.resolve("tree"));
        store(repo, "restore", "--path", "d3", "tree-2", out.resolve("d3").toString());
        sameTree(tree.resolve("d3"), out.resolve("d3/d3"));
        store(repo, "verify");

        store(repo, "delete", "image-1");
        store(repo, "gc", "--grace", "PT0S");
        store(repo, "verify");
        store(repo, "restore", "image-2", out.resolve("again.img").toString());
        sameFile(changed, out.resolve("again.img"));
    }

    private static void store(String[] repo, String command, String... args) throws Failed {
        List<String> line = new ArrayList<>(List.of("store", command));
        line.addAll(List.of(repo));
        line.addAll(List.of(args));
        System.out.println("$ lifeboat store " + command + (args.length > 0 ? " " + String.join(" ", args) : ""));
        int status = Main.run(line.toArray(String[]::new));
        if (status != 0) {
            throw new Failed("store " + command + " exited with " + status);
        }
    }

    /** 32 MiB: random, log-like text, written zeros, a hole, random again. */
    private static Path image(Path file) throws IOException {
        Random r = new Random(1);
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            byte[] random = new byte[8 * MIB];
            r.nextBytes(random);
            f.write(random);
            f.write(text(r, 8 * MIB));
            f.write(new byte[4 * MIB]);
            f.seek(28L * MIB); // [20, 28) MiB stays a hole
            r.nextBytes(random);
            f.write(random, 0, 4 * MIB);
        }
        return file;
    }

    /** The image with 64 scattered 4 KiB blocks rewritten, as a day of use leaves it. */
    private static Path changedCopy(Path image, Path copy) throws IOException {
        Files.copy(image, copy);
        Random r = new Random(2);
        byte[] block = new byte[4096];
        try (RandomAccessFile f = new RandomAccessFile(copy.toFile(), "rw")) {
            for (int i = 0; i < 64; i++) {
                r.nextBytes(block);
                f.seek((long) r.nextInt(32 * MIB / block.length) * block.length);
                f.write(block);
            }
        }
        return copy;
    }

    /** A directory of 240 files in 8 subdirectories (text, random, empty, one of 3 MiB) and a symlink. */
    private static Path tree(Path root) throws IOException {
        Random r = new Random(3);
        for (int d = 0; d < 8; d++) {
            Path sub = Files.createDirectories(root.resolve("d" + d));
            for (int i = 0; i < 30; i++) {
                int size = i == 0 ? 0 : r.nextInt(64 << 10);
                byte[] data = i % 3 == 0 ? new byte[size] : text(r, size);
                if (i % 3 == 0) {
                    r.nextBytes(data);
                }
                Files.write(sub.resolve("f" + i + (i % 3 == 0 ? ".bin" : ".txt")), data);
            }
        }
        byte[] big = new byte[3 * MIB];
        r.nextBytes(big);
        Files.write(root.resolve("d0/big.bin"), big);
        Files.createSymbolicLink(root.resolve("link"), Path.of("d0/f1.txt"));
        return root;
    }

    private static byte[] text(Random r, int size) {
        StringBuilder sb = new StringBuilder(size + 100);
        while (sb.length() < size) {
            sb.append("2026-11-26 05:00:").append(r.nextInt(60)).append(" INFO job ").append(r.nextInt(100_000))
                    .append(" state=RUNNING bytes=").append(r.nextInt(1 << 30)).append('\n');
        }
        return sb.substring(0, size).getBytes(StandardCharsets.US_ASCII);
    }

    private static void sameFile(Path expected, Path actual) throws IOException, Failed {
        long at = Files.mismatch(expected, actual);
        if (at >= 0) {
            throw new Failed(actual + " differs from " + expected + " at byte " + at);
        }
    }

    /** Every file, directory and link under {@code expected} is under {@code actual}, the same. */
    private static void sameTree(Path expected, Path actual) throws IOException, Failed {
        List<Path> all;
        try (Stream<Path> walk = Files.walk(expected)) {
            all = walk.toList();
        }
        for (Path e : all) {
            Path a = actual.resolve(expected.relativize(e).toString());
            if (Files.isSymbolicLink(e)) {
                if (!Files.isSymbolicLink(a) || !Files.readSymbolicLink(a).equals(Files.readSymbolicLink(e))) {
                    throw new Failed(a + " is not the link " + e + " was");
                }
            } else if (Files.isDirectory(e)) {
                if (!Files.isDirectory(a)) {
                    throw new Failed(a + " is not a directory");
                }
            } else {
                sameFile(e, a);
            }
        }
    }

    private static void delete(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path f : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(f);
            }
        }
    }
}
