package io.lifeboat.store.maintenance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lifeboat.store.backend.Backend;
import io.lifeboat.store.crypto.CorruptBlobException;
import io.lifeboat.store.image.ImageArchiver;
import io.lifeboat.store.image.ImageRestorer;
import io.lifeboat.store.repository.KeyWrapper;
import io.lifeboat.store.repository.Lock;
import io.lifeboat.store.repository.MutableClock;
import io.lifeboat.store.repository.Repository;
import io.lifeboat.store.repository.Sweeper;
import io.lifeboat.store.repository.TestWrappers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Verify, garbage collection, copies and locks: what every backend must support; each backend's
 * test extends this (local directory, S3).
 */
public abstract class MaintenanceContract {
    static final int PACK = 1 << 20;

    @TempDir
    Path dir;
    KeyWrapper wrapper;
    Backend backend;

    /** A fresh, empty backend for a repository (called more than once per test). */
    protected abstract Backend newBackend(Path dir) throws Exception;
    Repository repo;
    byte[] imageA;
    byte[] imageB;

    @BeforeEach
    void twoPointsInTheirOwnPacks() throws Exception {
        wrapper = TestWrappers.random();
        backend = newBackend(dir.resolve("repo"));
        repo = Repository.init(backend, wrapper);
        imageA = random(1, 3 << 20);
        imageB = random(2, 3 << 20);
        backup(repo, "a", imageA);
        backup(repo, "b", imageB);
    }

    static byte[] random(long seed, int size) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    void backup(Repository r, String name, byte[] image) throws IOException {
        Path file = dir.resolve(name + ".img");
        Files.write(file, image);
        new ImageArchiver(r, PACK).backup(file, name);
    }

    byte[] restore(Repository r, String name) throws IOException {
        Path out = dir.resolve(name + ".out");
        new ImageRestorer(r).restore(name, out);
        return Files.readAllBytes(out);
    }

    /** The pack files holding point a's chunks (none of b's: their data differ). */
    List<String> packsOf(String point) throws IOException {
        Repository r = Repository.open(backend, wrapper);
        List<String> packs = new ArrayList<>();
        io.lifeboat.store.image.ImageManifest.decode(point, r.manifest(point)).chunks(r, point, id -> {
            String pack = r.packOf(id);
            String path = "data/" + pack.substring(0, 2) + "/" + pack;
            if (!packs.contains(path)) {
                packs.add(path);
            }
        });
        return packs;
    }

    @Test
    void aCleanRepositoryVerifiesClean() throws Exception {
        Verifier.Report report = new Verifier(Repository.open(backend, wrapper)).verify();
        assertThat(report.problems()).isEmpty();
        assertThat(report.affected()).isEmpty();
        assertThat(report.recoveryPoints()).isEqualTo(2);
        assertThat(report.chunks()).isEqualTo(8); // three windows and a window-stream chunk per point
    }

    @Test
    void everyKindOfPackDamageIsNamedWithTheRecoveryPointsItTouches() throws Exception {
        String pack = packsOf("a").get(0);
        byte[] original = backend.get(pack);
        byte[] other = backend.get(packsOf("b").get(0));
        Map<String, UnaryOperator<byte[]>> damage = new HashMap<>();
        damage.put("truncated", b -> java.util.Arrays.copyOf(b, b.length / 2));
        damage.put("body bit flipped", b -> flip(b, 100));
        damage.put("header bit flipped", b -> flip(b, b.length - 40));
        damage.put("replaced by another pack", b -> other);
        damage.put("emptied", b -> new byte[0]);
        damage.put("deleted", b -> null);
        for (Map.Entry<String, UnaryOperator<byte[]>> d : damage.entrySet()) {
            byte[] damaged = d.getValue().apply(original.clone());
            if (damaged == null) {
                backend.delete(pack);
            } else {
                backend.put(pack, damaged); // a damaging backend, or a damaged disk under it
            }
            Repository r = Repository.open(backend, wrapper);
            Verifier.Report report = new Verifier(r).verify();
            assertThat(report.problems()).as(d.getKey()).isNotEmpty();
            assertThat(String.join("\n", report.problems())).as(d.getKey()).contains(pack.substring(8));
            if (d.getKey().equals("header bit flipped")) {
                // the chunks still authenticate where the index says they are: nothing is lost yet
                assertThat(report.affected()).as(d.getKey()).isEmpty();
                assertThat(restore(r, "a")).isEqualTo(imageA);
            } else {
                assertThat(report.affected()).as(d.getKey()).containsOnlyKeys("a");
                assertThatThrownBy(() -> restore(r, "a")).as(d.getKey()).isInstanceOf(CorruptBlobException.class);
            }
            assertThat(restore(r, "b")).as(d.getKey()).isEqualTo(imageB);
            backend.put(pack, original);
        }
        assertThat(new Verifier(Repository.open(backend, wrapper)).verify().clean()).isTrue();
    }

    @Test
    void aDamagedOrMissingIndexFileIsNamedAndOnlyItsPointsAreAffected() throws Exception {
        List<String> indexes = backend.list("index/");
        assertThat(indexes).hasSize(2);
        for (String index : indexes) {
            byte[] original = backend.get(index);
            backend.put(index, flip(original.clone(), 30));
            Repository r = Repository.open(backend, wrapper);
            Verifier.Report report = new Verifier(r).verify();
            assertThat(report.problems()).anyMatch(p -> p.contains(index));
            assertThat(report.affected()).hasSize(1);
            String lost = report.affected().keySet().iterator().next();
            String kept = lost.equals("a") ? "b" : "a";
            assertThat(restore(r, kept)).isEqualTo(kept.equals("a") ? imageA : imageB);
            assertThatThrownBy(() -> restore(r, lost)).isInstanceOf(CorruptBlobException.class)
                    .hasMessageContaining("not in the index");
            backend.put(index, original);
        }
    }

    @Test
    void aTreeWhoseNodeStreamIsLostIsNamedAndOthersStillRestore() throws Exception {
        Path tree = Files.createDirectories(dir.resolve("tree/d"));
        Files.write(tree.resolve("f"), random(9, 100_000));
        new io.lifeboat.store.tree.TreeArchiver(repo, PACK).backup(dir.resolve("tree"), "t", null);
        List<String> before = new ArrayList<>(packsOf("a"));
        before.addAll(packsOf("b"));
        for (String pack : backend.list("data/")) {
            if (!before.contains(pack)) {
                backend.delete(pack); // the tree's own pack: its node stream and its file
            }
        }
        Repository r = Repository.open(backend, wrapper);
        Verifier.Report report = new Verifier(r).verify();
        assertThat(report.affected()).containsOnlyKeys("t");
        assertThat(report.problems()).anyMatch(p -> p.contains("manifest t") || p.contains("missing"));
        assertThatThrownBy(() -> new io.lifeboat.store.tree.TreeRestorer(r).restore("t", "", dir.resolve("t-out")))
                .isInstanceOf(CorruptBlobException.class);
        assertThat(restore(r, "a")).isEqualTo(imageA);
        assertThatThrownBy(() -> new GarbageCollector(r, PACK).collect()).isInstanceOf(CorruptBlobException.class)
                .hasMessageContaining("t"); // a manifest it cannot read stops gc: its chunks would look dead
    }

    @Test
    void garbageCollectionFreesWhatOnlyDeletedPointsUsedAndKeepsTheRest() throws Exception {
        byte[] shared = imageB.clone();
        System.arraycopy(random(3, 1 << 20), 0, shared, 0, 1 << 20); // shares 2 of b's 3 windows
        backup(repo, "c", shared);
        long before = size();
        repo.deleteManifest("b");
        Sweeper.Result r = new GarbageCollector(Repository.open(backend, wrapper).useGcGrace(Duration.ZERO), PACK)
                .collect();
        assertThat(r.chunksDropped()).isEqualTo(2); // b's own window and b's window stream
        Repository after = Repository.open(backend, wrapper);
        assertThat(restore(after, "a")).isEqualTo(imageA);
        assertThat(restore(after, "c")).isEqualTo(shared);
        assertThat(new Verifier(after).verify().clean()).isTrue();
        repo = after;
        after.deleteManifest("a");
        after.deleteManifest("c");
        new GarbageCollector(after.useGcGrace(Duration.ZERO), PACK).collect();
        assertThat(size()).isLessThan(before / 10);
        assertThat(backend.list("data/")).isEmpty();
    }

    @Test
    void aCollectionMergesManyIndexFilesIntoOne() throws Exception {
        for (int i = 0; i < 70; i++) {
            backup(repo, "small" + i, random(100 + i, 4096));
        }
        assertThat(backend.list("index/").size()).isGreaterThan(64);
        new GarbageCollector(Repository.open(backend, wrapper), PACK).collect();
        assertThat(backend.list("index/")).hasSize(1);
        Repository after = Repository.open(backend, wrapper);
        assertThat(restore(after, "small69")).isEqualTo(random(169, 4096));
        assertThat(new Verifier(after).verify().clean()).isTrue();
    }

    @Test
    void collectionsAndVerifyExcludeEachOtherButBackupsRunBesideThem() throws Exception {
        try (Lock verifying = Lock.exclusive(repo, "verify")) {
            assertThatThrownBy(() -> new GarbageCollector(repo, PACK).collect())
                    .isInstanceOf(Lock.RepositoryLockedException.class).hasMessageContaining("verify");
            backup(repo, "d", imageA); // backups take no lock
        }
        assertThat(backend.list("locks/")).isEmpty();
        new GarbageCollector(repo, PACK).collect();
    }

    /** Grace-period collection, with the clock moved by hand (grace one hour). */
    MutableClock graceClock() throws IOException {
        MutableClock clock = new MutableClock(java.time.Instant.parse("2026-11-26T00:00:00Z"));
        repo = Repository.open(backend, wrapper).useClock(clock).useGcGrace(Duration.ofHours(1));
        return clock;
    }

    @Test
    void aDeletedPointIsCondemnedFirstAndFreedOnlyAfterTheGracePeriod() throws Exception {
        MutableClock clock = graceClock();
        repo.deleteManifest("b");
        assertThat(new GarbageCollector(repo, PACK).collect().chunksDropped()).isZero();
        assertThat(repo.gcState().chunks().size()).isEqualTo(4); // b's three windows and its window stream
        clock.advance(Duration.ofMinutes(59));
        assertThat(new GarbageCollector(repo, PACK).collect().chunksDropped()).isZero();
        clock.advance(Duration.ofMinutes(2));
        assertThat(new GarbageCollector(repo, PACK).collect().chunksDropped()).isEqualTo(4);
        assertThat(repo.gcState().chunks().isEmpty()).isTrue();
        Repository reopened = Repository.open(backend, wrapper);
        assertThat(restore(reopened, "a")).isEqualTo(imageA);
        assertThat(new Verifier(reopened).verify().clean()).isTrue();
    }

    /** Something under data/ that cannot be a pack is no collection's business: it stays. */
    @Test
    void aFileThatIsNotAPackIsLeftAlone() throws Exception {
        MutableClock clock = graceClock();
        backend.put("data/no/notes.txt", "an operator's note".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        new GarbageCollector(repo, PACK).collect();
        clock.advance(Duration.ofHours(2));
        new GarbageCollector(repo, PACK).collect();
        assertThat(backend.exists("data/no/notes.txt")).isTrue();
        assertThat(restore(repo, "a")).isEqualTo(imageA);
    }

    @Test
    void aBackupReusingRecentlyCondemnedChunksSavesThem() throws Exception {
        MutableClock clock = graceClock();
        repo.deleteManifest("b");
        new GarbageCollector(repo, PACK).collect(); // condemns b's chunks
        clock.advance(Duration.ofMinutes(10));
        backup(repo, "b2", imageB); // the same content: reused, nothing new stored
        assertThat(repo.manifests()).contains("b2");
        clock.advance(Duration.ofHours(2));
        new GarbageCollector(repo, PACK).collect();
        assertThat(restore(Repository.open(backend, wrapper), "b2")).isEqualTo(imageB);
        assertThat(new Verifier(Repository.open(backend, wrapper)).verify().clean()).isTrue();
    }

    @Test
    void aBackupStoresAgainWhatWasCondemnedLongAgoAndSurvivesItsDeletion() throws Exception {
        MutableClock clock = graceClock();
        repo.deleteManifest("b");
        new GarbageCollector(repo, PACK).collect();
        clock.advance(Duration.ofMinutes(45)); // more than half the grace: b's chunks may go any time
        Path file = dir.resolve("b3.img");
        Files.write(file, imageB);
        ImageArchiver.Result r = new ImageArchiver(repo, PACK).backup(file, "b3");
        assertThat(r.newChunks()).isEqualTo(3); // stored again
        clock.advance(Duration.ofMinutes(30));
        new GarbageCollector(repo, PACK).collect(); // deletes the old copies only
        Repository reopened = Repository.open(backend, wrapper);
        assertThat(restore(reopened, "b3")).isEqualTo(imageB);
        assertThat(new Verifier(reopened).verify().clean()).isTrue();
    }

    @Test
    void aBackupThatOutlivesHalfTheGraceIsNotCommitted() throws Exception {
        MutableClock clock = graceClock();
        repo.deleteManifest("b");
        new GarbageCollector(repo, PACK).collect();
        clock.advance(Duration.ofMinutes(10));
        io.lifeboat.store.repository.ChunkWriter writer = repo.writer(PACK);
        ChunkIdOf ids = new ChunkIdOf(repo);
        assertThat(writer.add(ids.of(imageB, 0, 1 << 20), imageB, 0, 1 << 20)).isFalse(); // reused
        clock.advance(Duration.ofHours(2));
        new GarbageCollector(repo, PACK).collect(); // b's chunks go: nothing committed names them
        assertThatThrownBy(writer::flush).isInstanceOf(IOException.class).hasMessageContaining("grace");
        writer.close();
        assertThat(new Verifier(Repository.open(backend, wrapper)).verify().clean()).isTrue();
    }

    /** Chunk ids as the repository computes them. */
    record ChunkIdOf(Repository repo) {
        io.lifeboat.store.crypto.ChunkId of(byte[] data, int offset, int length) {
            return repo.chunkId(data, offset, length);
        }
    }

    long size() throws IOException {
        long total = 0;
        for (String n : backend.list("")) {
            total += backend.size(n);
        }
        return total;
    }

    static byte[] flip(byte[] b, int at) {
        b[at] ^= 1;
        return b;
    }
}
