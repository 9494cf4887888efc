package io.lifeboat.store.crash;

import static org.assertj.core.api.Assertions.assertThat;

import io.lifeboat.store.backend.LocalBackend;
import io.lifeboat.store.image.ImageArchiver;
import io.lifeboat.store.image.ImageRestorer;
import io.lifeboat.store.io.Progress;
import io.lifeboat.store.maintenance.Verifier;
import io.lifeboat.store.repository.ChildJvm;
import io.lifeboat.store.repository.Repository;
import io.lifeboat.store.repository.TestWrappers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A backup that runs out of room (a child JVM whose files may not grow past 1 MiB, so its 4 MiB
 * pack cannot be written, through the same O_DIRECT path as any pack) fails with the error and
 * leaves the repository as it was: the earlier point restores, verify is clean, no temporary stays.
 */
class FullDiskTest {
    @TempDir
    Path dir;

    @Test
    void aBackupThatRunsOutOfRoomFailsAndLeavesTheRepositoryAsItWas() throws Exception {
        Path prlimit = Path.of("/usr/bin/prlimit");
        Assumptions.assumeTrue(Files.isExecutable(prlimit), "needs prlimit (util-linux) to limit file sizes");
        byte[] key = new SecureRandom().generateSeed(32);
        Path repoDir = dir.resolve("repo");
        Repository repo = Repository.init(new LocalBackend(repoDir), TestWrappers.aes(key));
        Path disk = Files.write(dir.resolve("disk.img"), CrashVictim.image(1));
        new ImageArchiver(repo, 16 << 20).backup(disk, "p1", null, Progress.NONE);

        byte[] fresh = new byte[4 << 20];
        new Random(7).nextBytes(fresh);
        Path other = Files.write(dir.resolve("other.img"), fresh);
        Path log = dir.resolve("victim.log");
        List<String> command = new ArrayList<>(List.of(prlimit.toString(), "--fsize=" + (1 << 20), "--"));
        command.addAll(ChildJvm.command(List.of(), FullDiskVictim.class, repoDir.toString(),
                HexFormat.of().formatHex(key), other.toString(), "p2"));
        Process victim = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertThat(victim.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(victim.exitValue()).as(Files.readString(log)).isNotZero();
        assertThat(Files.readString(log)).as("failed writing its pack, for want of room")
                .contains("pack upload failed: File too large").doesNotContain("stored p2");

        Repository after = Repository.open(new LocalBackend(repoDir), TestWrappers.aes(key));
        assertThat(after.manifests()).containsExactly("p1");
        Verifier.Report report = new Verifier(after).verify();
        assertThat(report.problems()).isEmpty();
        assertThat(report.affected()).isEmpty();
        Path out = dir.resolve("out.img");
        new ImageRestorer(after).restore("p1", out);
        assertThat(Files.readAllBytes(out)).isEqualTo(CrashVictim.image(1));
        try (Stream<Path> files = Files.walk(repoDir)) {
            List<Path> temporaries = files.filter(p -> p.getFileName().toString().contains(".tmp-")).toList();
            assertThat(temporaries).isEmpty();
        }
    }
}
