package io.lifeboat.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoreCommandTest {
    @TempDir
    Path dir;

    static int run(String... args) {
        return Main.commandLine().execute(args);
    }

    @Test
    void initBackupListRestoreWithTheMasterKey() throws Exception {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        Path masterKey = Files.write(dir.resolve("master.key"), key);
        byte[] image = new byte[3 << 20];
        new Random(5).nextBytes(image);
        java.util.Arrays.fill(image, 1 << 20, 2 << 20, (byte) 0);
        Path disk = Files.write(dir.resolve("disk.img"), image);
        String repo = dir.resolve("repo").toString();

        assertThat(run("store", "init", "--repo", repo, "--master-key", masterKey.toString())).isZero();
        assertThat(run("store", "backup", "--repo", repo, "--master-key", masterKey.toString(), disk.toString(),
                "rp1")).isZero();
        assertThat(run("store", "ls", "--repo", repo, "--master-key", masterKey.toString())).isZero();
        Path out = dir.resolve("restored.img");
        assertThat(run("store", "restore", "--repo", repo, "--master-key", masterKey.toString(), "rp1",
                out.toString())).isZero();
        assertThat(Files.readAllBytes(out)).isEqualTo(image);

        byte[] other = new byte[32];
        Path wrongKey = Files.write(dir.resolve("other.key"), other);
        assertThat(run("store", "ls", "--repo", repo, "--master-key", wrongKey.toString())).isNotZero();
    }
}
