package io.lifeboat.store.crash;

import io.lifeboat.store.io.Progress;
import io.lifeboat.store.backend.LocalBackend;
import io.lifeboat.store.image.ImageArchiver;
import io.lifeboat.store.maintenance.GarbageCollector;
import io.lifeboat.store.repository.Repository;
import io.lifeboat.store.repository.TestWrappers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

/**
 * The child JVM of {@link CrashTest}: backs up image after image into a repository, deletes old
 * points and collects garbage (with no grace, so deletions happen), until it is killed. Point {@code pN}'s content is {@link #image}(N),
 * so the parent knows what every listed point must restore to.
 */
public final class CrashVictim {
    public static void main(String[] args) throws Exception {
        Path repoDir = Path.of(args[0]);
        byte[] key = HexFormat.of().parseHex(args[1]);
        int next = Integer.parseInt(args[2]);
        Repository repo = Repository.open(new LocalBackend(repoDir), TestWrappers.aes(key));
        Path scratch = Files.createDirectories(repoDir.resolveSibling("scratch")); // in the test's own directory
        for (int n = next; ; n++) {
            Path file = scratch.resolve("disk.img");
            Files.write(file, image(n));
            List<String> points = repo.manifests();
            String parent = points.contains("p" + (n - 1)) ? "p" + (n - 1) : null;
            new ImageArchiver(repo, 256 << 10).backup(file, "p" + n, parent, Progress.NONE);
            System.out.println("stored p" + n);
            if (points.size() > 2) {
                repo.deleteManifest(points.get(0));
            }
            new GarbageCollector(repo.useGcGrace(Duration.ZERO), 256 << 10).collect();
            repo.useGcGrace(Repository.DEFAULT_GC_GRACE);
            System.out.println("collected");
        }
    }

    /** Four MiB: a fixed base with a few windows rewritten per generation, plus some zeros. */
    static byte[] image(int n) {
        byte[] b = new byte[4 << 20];
        new Random(42).nextBytes(b);
        Random r = new Random(n);
        for (int i = 0; i < 3; i++) {
            int at = r.nextInt(b.length - 70_000);
            byte[] fresh = new byte[70_000];
            r.nextBytes(fresh);
            System.arraycopy(fresh, 0, b, at, fresh.length);
        }
        java.util.Arrays.fill(b, 1 << 20, (1 << 20) + 300_000, (byte) 0);
        return b;
    }
}
