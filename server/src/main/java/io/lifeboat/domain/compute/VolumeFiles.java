package io.lifeboat.domain.compute;

import io.lifeboat.domain.Scope;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.BiPredicate;
import java.util.stream.Stream;

/**
 * Where managed volumes keep their bytes, {@code ROOT/ACCOUNT/REGION/vol-....img} (a directory
 * for a restored directory volume), and the file work on them. Only what lies under the root is
 * ever deleted: declared machines and restore targets a user chose are left alone.
 */
final class VolumeFiles {
    private final Path root;

    VolumeFiles(Path root) {
        this.root = root;
    }

    Path managedPath(Scope scope, String volumeId, Backing backing) {
        Path dir = root.resolve(scope.accountId()).resolve(scope.region());
        return dir.resolve(backing.isTree() ? volumeId : volumeId + ".img");
    }

    /** A volume's file name under a restore target: {@code xvda.img}, or {@code sdf} for a directory. */
    static String deviceFileName(String device, Backing backing) {
        String base = device.replaceFirst("^/dev/", "").replace('/', '_');
        return backing.isTree() ? base : base + ".img";
    }

    /** Grows a file to {@code size} without allocating blocks (sparse). */
    static void extend(Path file, long size) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            if (f.length() < size) {
                f.setLength(size);
            }
        }
    }

    /**
     * Managed volume files (or directories) that no volume record names and that are older than
     * {@code minAge}: what a launch or restore cut short by a crash left behind.
     */
    List<Path> orphans(BiPredicate<Scope, String> known, Duration minAge)
            throws IOException {
        List<Path> out = new ArrayList<>();
        if (!Files.isDirectory(root)) {
            return out;
        }
        long before = System.currentTimeMillis() - minAge.toMillis();
        try (Stream<Path> accounts = Files.list(root)) {
            for (Path account : accounts.toList()) {
                if (!Files.isDirectory(account)) {
                    continue;
                }
                try (Stream<Path> regions = Files.list(account)) {
                    for (Path region : regions.toList()) {
                        Scope scope = new Scope(account.getFileName().toString(), region.getFileName().toString());
                        try (Stream<Path> volumes = Files.list(region)) {
                            for (Path v : volumes.toList()) {
                                String id = v.getFileName().toString().replaceFirst("\\.img$", "");
                                if (id.startsWith("vol-") && !known.test(scope, id)
                                        && Files.getLastModifiedTime(v).toMillis() < before) {
                                    out.add(v);
                                }
                            }
                        }
                    }
                }
            }
        }
        return out;
    }

    void delete(Path path) throws IOException {
        if (!path.startsWith(root)) {
            return;
        }
        if (Files.isDirectory(path)) {
            try (Stream<Path> walk = Files.walk(path)) {
                for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        } else {
            Files.deleteIfExists(path);
        }
    }

    void delete(Volume v) {
        Path path = Path.of(v.path());
        if (v.declared()) {
            return;
        }
        try {
            delete(path);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete volume data " + path, e);
        }
    }
}
