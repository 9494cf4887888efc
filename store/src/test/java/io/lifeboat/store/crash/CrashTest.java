package io.lifeboat.store.crash;

import static org.assertj.core.api.Assertions.assertThat;

import io.lifeboat.store.backend.LocalBackend;
import io.lifeboat.store.image.ImageRestorer;
import io.lifeboat.store.maintenance.GarbageCollector;
import io.lifeboat.store.maintenance.Verifier;
import io.lifeboat.store.repository.ChildJvm;
import io.lifeboat.store.repository.Lock;
import io.lifeboat.store.repository.Repository;
import io.lifeboat.store.repository.TestWrappers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A process killed (SIGKILL) at random moments during backups and garbage collection leaves a
 * repository that verifies clean, in which every listed recovery point restores exactly.
 */
class CrashTest {
    @TempDir
    Path dir;

    @Test
    void killedAtRandomDuringBackupAndGcTheRepositoryVerifiesClean() throws Exception {
        byte[] key = new SecureRandom().generateSeed(32);
        Path repoDir = dir.resolve("repo");
        Repository.init(new LocalBackend(repoDir), TestWrappers.aes(key));
        Random random = new Random();
        int next = 1;
        String logs = "";
        int round = 0;
        // At least six kills, and on until the victims have collected garbage at least twice (a
        // loaded machine starts JVMs slowly); at most twenty.
        for (; round < 6 || logs.split("collected", -1).length < 3 && round < 20; round++) {
            Path log = dir.resolve("victim-" + round + ".log");
            Process victim = new ProcessBuilder(ChildJvm.command(List.of(), CrashVictim.class, repoDir.toString(),
                    HexFormat.of().formatHex(key), Integer.toString(next)))
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            for (int wait = 0; wait < 200 && !Files.readString(log).contains("stored"); wait++) {
                Thread.sleep(50); // started: the first backup is in
            }
            Thread.sleep(random.nextInt(1500));
            victim.destroyForcibly();
            assertThat(victim.waitFor(30, TimeUnit.SECONDS)).isTrue();

            Repository repo = Repository.open(new LocalBackend(repoDir), TestWrappers.aes(key));
            Lock.removeAll(repo); // what an operator does after a crash (`lifeboat store unlock`)
            Verifier.Report report = new Verifier(repo).verify();
            assertThat(report.problems()).as("round %d", round).isEmpty();
            assertThat(report.affected()).as("round %d", round).isEmpty();
            for (String point : repo.manifests()) {
                Path out = dir.resolve("out.img");
                new ImageRestorer(repo).restore(point, out);
                int n = Integer.parseInt(point.substring(1));
                assertThat(Files.readAllBytes(out)).as("round %d, %s", round, point).isEqualTo(CrashVictim.image(n));
                next = Math.max(next, n + 1);
            }
            logs += Files.readString(log);
        }
        assertThat(logs).as("the victims got some work done before they were killed").contains("stored p3", "collected");
        Repository repo = Repository.open(new LocalBackend(repoDir), TestWrappers.aes(key))
                .useGcGrace(java.time.Duration.ZERO);
        new GarbageCollector(repo, 256 << 10).collect(); // sweeps what the killed runs left behind
        assertThat(new Verifier(Repository.open(new LocalBackend(repoDir), TestWrappers.aes(key))).verify().clean())
                .isTrue();
    }
}
