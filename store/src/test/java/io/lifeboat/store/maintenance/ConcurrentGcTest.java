package io.lifeboat.store.maintenance;

import static org.assertj.core.api.Assertions.assertThat;

import io.lifeboat.store.backend.LocalBackend;
import io.lifeboat.store.image.ImageArchiver;
import io.lifeboat.store.image.ImageRestorer;
import io.lifeboat.store.io.Progress;
import io.lifeboat.store.repository.KeyWrapper;
import io.lifeboat.store.repository.MutableClock;
import io.lifeboat.store.repository.Repository;
import io.lifeboat.store.repository.TestWrappers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Garbage collection running in a loop, on the real clock with a short grace period, beside a
 * stream of backups against their parents and deletions of old points: every point left restores.
 */
class ConcurrentGcTest {
    static final int PACK = 256 << 10;

    @TempDir
    Path dir;

    /** A running backup's packs, stored but not yet indexed, are condemned, not deleted. */
    @Test
    void packsOfARunningBackupOutliveACollection() throws Exception {
        MutableClock clock = new MutableClock(java.time.Instant.parse("2026-11-26T00:00:00Z"));
        KeyWrapper keys = TestWrappers.random();
        LocalBackend backend = new LocalBackend(dir.resolve("running"));
        Repository repo = Repository.init(backend, keys).useClock(clock).useGcGrace(Duration.ofHours(1));
        io.lifeboat.store.repository.ChunkWriter writer = repo.writer(64 << 10); // small packs: uploaded early
        byte[] fresh = new byte[3 << 20];
        new Random(77).nextBytes(fresh);
        for (int at = 0; at < fresh.length; at += 1 << 20) {
            writer.add(repo.chunkId(fresh, at, 1 << 20), fresh, at, 1 << 20);
        }
        for (int wait = 0; wait < 500 && backend.list("data/").isEmpty(); wait++) {
            Thread.sleep(20); // until the uploader has stored full packs, not yet indexed
        }
        clock.advance(Duration.ofMinutes(5));
        new GarbageCollector(repo, PACK).collect();
        assertThat(repo.gcState().packs()).isNotEmpty(); // condemned, not deleted
        writer.flush();
        Repository reopened = Repository.open(backend, keys);
        for (int at = 0; at < fresh.length; at += 1 << 20) {
            assertThat(reopened.read(repo.chunkId(fresh, at, 1 << 20)))
                    .isEqualTo(java.util.Arrays.copyOfRange(fresh, at, at + (1 << 20)));
        }
        clock.advance(Duration.ofHours(2));
        new GarbageCollector(repo, PACK).collect(); // indexed now: off the list of packs
        assertThat(repo.gcState().packs()).isEmpty();
    }

    @Test
    void collectionsBesideBackupsAndDeletionsLoseNothing() throws Exception {
        LocalBackend backend = new LocalBackend(dir.resolve("repo"));
        KeyWrapper keys = TestWrappers.random();
        Duration grace = Duration.ofSeconds(2);
        Repository writer = Repository.init(backend, keys).useGcGrace(grace);
        Repository collector = Repository.open(backend, keys).useGcGrace(grace);
        AtomicBoolean done = new AtomicBoolean();
        AtomicInteger collections = new AtomicInteger();
        AtomicInteger dropped = new AtomicInteger();
        Thread gc = Thread.ofPlatform().start(() -> {
            try {
                while (!done.get()) {
                    dropped.addAndGet(new GarbageCollector(collector, PACK).collect().chunksDropped());
                    collections.incrementAndGet();
                    Thread.sleep(20);
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        Map<String, byte[]> kept = new ConcurrentHashMap<>();
        Random random = new Random(1);
        byte[] image = new byte[3 << 20];
        random.nextBytes(image);
        String parent = null;
        long end = System.nanoTime() + Duration.ofSeconds(6).toNanos(); // three grace periods
        for (int i = 0; System.nanoTime() < end; i++) {
            image = image.clone();
            byte[] change = new byte[100_000];
            random.nextBytes(change);
            System.arraycopy(change, 0, image, random.nextInt(image.length - change.length), change.length);
            Path file = dir.resolve("disk.img");
            Files.write(file, image);
            new ImageArchiver(writer, PACK).backup(file, "p" + i, parent, Progress.NONE);
            kept.put("p" + i, image);
            parent = "p" + i;
            if (i >= 3) {
                writer.deleteManifest("p" + (i - 3)); // the rest of it lives on only through its children
                kept.remove("p" + (i - 3));
            }
            Thread.sleep(random.nextInt(150));
        }
        done.set(true);
        gc.join();
        assertThat(collections.get()).isGreaterThan(10);
        assertThat(dropped.get()).as("deleted points' chunks were freed while backups ran").isPositive();
        Thread.sleep(grace.toMillis() + 100);
        new GarbageCollector(collector, PACK).collect();
        Repository reopened = Repository.open(backend, keys);
        assertThat(reopened.manifests()).containsExactlyInAnyOrderElementsOf(kept.keySet());
        for (Map.Entry<String, byte[]> p : kept.entrySet()) {
            Path out = dir.resolve(p.getKey() + ".out");
            new ImageRestorer(reopened).restore(p.getKey(), out);
            assertThat(Files.readAllBytes(out)).as(p.getKey()).isEqualTo(p.getValue());
        }
        assertThat(new Verifier(reopened).verify().clean()).isTrue();
    }
}
