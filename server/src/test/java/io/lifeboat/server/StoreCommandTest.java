package io.lifeboat.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.lifeboat.store.backend.S3Backend;
import io.lifeboat.testing.TestInstances;
import io.lifeboat.testing.TestServer;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import software.amazon.awssdk.services.s3.S3Client;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoreCommandTest {
    @TempDir
    Path dir;

    static int run(String... args) {
        return Main.run(args);
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

    /** The self test runs every store command on generated data and compares every restore; it leaves no temporary behind. */
    @Test
    void theSelfTestPassesAndCleansUpAfterItself() throws Exception {
        assertThat(run("store", "selftest", "--dir", dir.resolve("scratch").toString())).isZero();
        assertThat(dir.resolve("scratch/repo/index")).isDirectory();
        try (var before = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            long scratch = before.filter(f -> f.getFileName().toString().startsWith("lifeboat-selftest")).count();
            assertThat(run("store", "selftest")).isZero();
            try (var after = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
                assertThat(after.filter(f -> f.getFileName().toString().startsWith("lifeboat-selftest")).count())
                        .isEqualTo(scratch);
            }
        }
    }

    /** When the server is gone: its vault opened through the catalog and master key of its data directory. */
    @Test
    void aStoppedServersVaultOpensThroughItsDataDirectory() throws Exception {
        Assumptions.assumeFalse(TestServer.usePostgres());
        String vaultData;
        String original;
        String point;
        try (TestServer server = TestServer.startIn(Files.createDirectories(dir.resolve("server")), c -> c)) {
            vaultData = server.dataDir().toString();
            String role = TestInstances.backupRole(server);
            server.backup().createBackupVault(r -> r.backupVaultName("dr"));
            var instance = TestInstances.launch(server, 1);
            Path volume = TestInstances.rootVolume(server, instance.instanceId());
            TestInstances.fill(volume, 5L << 20, 2, 9);
            original = TestInstances.sha256(volume);
            point = TestInstances.awaitBackup(server.backup(), server.backup().startBackupJob(r -> r
                    .backupVaultName("dr").iamRoleArn(role).resourceArn(TestInstances.arn(instance))).backupJobId(),
                    software.amazon.awssdk.services.backup.model.BackupJobState.COMPLETED).recoveryPointArn();
        }
        String manifest = point.substring(point.indexOf("ami-")) + "/xvda";
        assertThat(run("store", "ls", "--vault", "dr", "--data", vaultData)).isZero();
        assertThat(run("store", "verify", "--vault", "dr", "--data", vaultData)).isZero();
        Path out = dir.resolve("xvda.img");
        assertThat(run("store", "restore", "--vault", "dr", "--data", vaultData, manifest, out.toString())).isZero();
        assertThat(TestInstances.sha256(out)).isEqualTo(original);
        assertThat(run("store", "ls", "--vault", "dr", "--data", vaultData, "--cold")).isNotZero(); // none yet
        assertThat(run("store", "ls", "--vault", "other", "--data", vaultData)).isNotZero();
        assertThat(run("store", "init", "--vault", "dr", "--data", vaultData)).isNotZero();
    }

    /** The operator's whole cycle on a local directory and on S3: backup, incremental, verify, delete, gc. */
    @Test
    void incrementalVerifyDeleteGcAndStatsOnLocalAndS3() throws Exception {
        Path masterKey = Files.write(dir.resolve("master.key"), new SecureRandom().generateSeed(32));
        S3Proxy proxy = S3Proxy.builder().blobStore(BlobStores.create("transient", new Properties()))
                .endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, "access", "secret").build();
        proxy.start();
        while (!"STARTED".equals(proxy.getState())) {
            Thread.sleep(10);
        }
        String endpoint = "http://127.0.0.1:" + proxy.getPort();
        try (S3Client s3 = S3Backend.client(URI.create(endpoint), "us-east-1", "access", "secret")) {
            s3.createBucket(b -> b.bucket("vaults"));
            StoreCommand.environment = Map.of("AWS_ACCESS_KEY_ID", "access", "AWS_SECRET_ACCESS_KEY", "secret");
            for (List<String> repo : List.of(List.of("--repo", dir.resolve("repo").toString()),
                    List.of("--repo", "s3://vaults/v1", "--s3-endpoint", endpoint))) {
                cycle(repo, masterKey);
            }
        } finally {
            StoreCommand.environment = System.getenv();
            proxy.stop();
        }
    }

    private void cycle(List<String> repo, Path masterKey) throws Exception {
        byte[] day1 = new byte[4 << 20];
        new Random(7).nextBytes(day1);
        byte[] day2 = day1.clone();
        for (int i = 0; i < 20; i++) {
            day2[i * 200_000] ^= 1;
        }
        Path d1 = Files.write(dir.resolve("d1.img"), day1);
        Path d2 = Files.write(dir.resolve("d2.img"), day2);
        assertThat(store("init", repo, masterKey)).isZero();
        assertThat(store("backup", repo, masterKey, d1.toString(), "day1")).isZero();
        assertThat(store("backup", repo, masterKey, "--parent", "day1", d2.toString(), "day2")).isZero();
        assertThat(store("verify", repo, masterKey)).isZero();
        assertThat(store("stats", repo, masterKey)).isZero();
        assertThat(store("delete", repo, masterKey, "day1")).isZero();
        assertThat(store("delete", repo, masterKey, "day1")).isNotZero();
        assertThat(store("gc", repo, masterKey)).isZero(); // condemns day1's own chunks
        assertThat(store("gc", repo, masterKey, "--grace", "PT0S")).isZero(); // frees them
        assertThat(store("gc", repo, masterKey, "--grace", "soon")).isNotZero();
        assertThat(store("unlock", repo, masterKey)).isZero();
        assertThat(store("verify", repo, masterKey)).isZero();
        Path out = dir.resolve("out.img");
        assertThat(store("restore", repo, masterKey, "day2", out.toString())).isZero();
        assertThat(Files.readAllBytes(out)).isEqualTo(day2);

        Path tree = Files.createDirectories(dir.resolve("tree/sub"));
        Files.write(tree.resolve("a.txt"), "hello".getBytes());
        assertThat(store("backup", repo, masterKey, dir.resolve("tree").toString(), "tree1")).isZero();
        assertThat(store("ls", repo, masterKey)).isZero();
        Path treeOut = dir.resolve("tree-out-" + repo.size() + System.nanoTime());
        assertThat(store("restore", repo, masterKey, "--path", "sub/a.txt", "tree1", treeOut.toString())).isZero();
        assertThat(Files.readString(treeOut.resolve("a.txt"))).isEqualTo("hello");

        Path copyRepo = dir.resolve("copy-" + System.nanoTime());
        assertThat(store("init", List.of("--repo", copyRepo.toString()), masterKey)).isZero();
        assertThat(store("copy", repo, masterKey, "day2", "--to", copyRepo.toString(), "--as", "day2-copy")).isZero();
        Path copyOut = dir.resolve("copy-out.img");
        assertThat(store("restore", List.of("--repo", copyRepo.toString()), masterKey, "day2-copy",
                copyOut.toString())).isZero();
        assertThat(Files.readAllBytes(copyOut)).isEqualTo(day2);
    }

    private static int store(String command, List<String> repo, Path masterKey, String... rest) {
        List<String> args = new java.util.ArrayList<>(List.of("store", command));
        args.addAll(repo);
        args.addAll(List.of("--master-key", masterKey.toString()));
        args.addAll(List.of(rest));
        return run(args.toArray(String[]::new));
    }
}
