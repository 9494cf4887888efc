package io.lifeboat.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.lifeboat.server.Config;
import io.lifeboat.server.Main;
import io.lifeboat.testing.TestInstances;
import io.lifeboat.testing.TestServer;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.backup.BackupClient;
import software.amazon.awssdk.services.backup.model.BackupJobState;
import software.amazon.awssdk.services.backup.model.DescribeBackupJobResponse;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.iam.IamClient;

/**
 * A server in a child JVM is killed (SIGKILL) while a backup job runs. After a restart on the same
 * data, the job ends FAILED with the reason, no half-made recovery point is listed, a job that was
 * still waiting runs to completion, and the vault's store verifies clean.
 */
class JobCrashTest {

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    static <B extends software.amazon.awssdk.awscore.client.builder.AwsClientBuilder<B, C>, C> C client(B builder,
            int port, Region region) {
        return builder.endpointOverride(URI.create("http://127.0.0.1:" + port)).region(region)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("crash", "test")))
                .build();
    }

    @Test
    void aKilledNodesRunningJobEndsFailedAndNothingHalfMadeIsListed() throws Exception {
        Path data = Files.createTempDirectory("lifeboat-crash");
        int port = freePort();
        Process child = new ProcessBuilder(ProcessHandle.current().info().command().orElseThrow(),
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "serve", "--data", data.toString(), "--port", Integer.toString(port),
                "--insecure-accept-any-credentials", "--job-workers", "1", "--job-read-limit", "16",
                "--job-lease", "PT2S")
                .redirectErrorStream(true).redirectOutput(data.resolve("child.log").toFile()).start();
        String running;
        String waiting;
        String bigId;
        try {
            BackupClient backup = client(BackupClient.builder().httpClient(UrlConnectionHttpClient.create()), port,
                    Region.US_EAST_1);
            awaitUp(backup);
            IamClient iam = client(IamClient.builder().httpClient(UrlConnectionHttpClient.create()), port,
                    Region.AWS_GLOBAL);
            Ec2Client ec2 = client(Ec2Client.builder().httpClient(UrlConnectionHttpClient.create()), port,
                    Region.US_EAST_1);
            String role = iam.createRole(r -> r.roleName("AWSBackupRole")
                    .assumeRolePolicyDocument(TestInstances.TRUST_BACKUP)).role().arn();
            iam.attachRolePolicy(r -> r.roleName("AWSBackupRole")
                    .policyArn("arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup"));
            backup.createBackupVault(r -> r.backupVaultName("crash"));
            List<Instance> instances = ec2.runInstances(r -> r.imageId("ami-0000000000000b1a0").minCount(2)
                    .maxCount(2).blockDeviceMappings(b -> b.deviceName("/dev/xvda").ebs(e -> e.volumeSize(1))))
                    .instances();
            bigId = instances.get(0).instanceId();
            Path bigVolume = volume(data, ec2, bigId);
            TestInstances.fill(bigVolume, 0, 200, 5);
            TestInstances.fill(volume(data, ec2, instances.get(1).instanceId()), 0, 2, 6);
            running = backup.startBackupJob(r -> r.backupVaultName("crash").iamRoleArn(role)
                    .resourceArn(TestInstances.arn(instances.get(0)))).backupJobId();
            TestInstances.awaitBackup(backup, running, BackupJobState.RUNNING);
            waiting = backup.startBackupJob(r -> r.backupVaultName("crash").iamRoleArn(role)
                    .resourceArn(TestInstances.arn(instances.get(1)))).backupJobId();
            Thread.sleep(1500); // a few packs of the running job reach the store
        } finally {
            child.destroyForcibly().waitFor();
        }

        try (TestServer server = TestServer.startIn(data, c -> c.withJobs(new Config.Jobs(1, Duration.ofSeconds(2),
                0)))) {
            BackupClient backup = server.backup();
            DescribeBackupJobResponse failed = TestInstances.awaitBackup(backup, running, BackupJobState.FAILED);
            assertThat(failed.statusMessage()).isEqualTo("The Lifeboat node running this job stopped before the job "
                    + "finished; its partial recovery point was discarded.");
            assertThat(failed.completionDate()).isNotNull();
            assertThat(TestInstances.awaitBackup(backup, waiting, BackupJobState.COMPLETED).percentDone())
                    .isEqualTo("100.0");
            assertThat(backup.listRecoveryPointsByResource(r -> r.resourceArn("arn:aws:ec2:us-east-1:123456789012:"
                    + "instance/" + bigId)).recoveryPoints()).isEmpty();
            assertThat(backup.describeBackupVault(r -> r.backupVaultName("crash")).numberOfRecoveryPoints())
                    .isEqualTo(1);
            String good = backup.listRecoveryPointsByBackupVault(r -> r.backupVaultName("crash")).recoveryPoints()
                    .get(0).recoveryPointArn();
            assertThat(server.ec2().describeImages(r -> r.owners("self")).images()).extracting(i -> i.imageId())
                    .containsExactly(good.substring(good.indexOf("ami-")));
            // the discarded point left no manifest behind (its packs are garbage for the collector)
            Path manifests = data.resolve("vaults/123456789012/us-east-1/crash/manifests");
            try (Stream<Path> m = Files.walk(manifests)) {
                assertThat(m.filter(Files::isRegularFile).map(p -> manifests.relativize(p).toString()))
                        .allMatch(name -> name.startsWith(good.substring(good.indexOf("ami-"))));
            }
            // and the completed point restores
            String restore = backup.startRestoreJob(r -> r.recoveryPointArn(good).metadata(Map.of()))
                    .restoreJobId();
            assertThat(TestInstances.awaitRestore(backup, restore).statusAsString()).isEqualTo("COMPLETED");
        }
        TestServer.deleteTree(data);
    }

    static Path volume(Path data, Ec2Client ec2, String instanceId) {
        String volumeId = ec2.describeInstances(r -> r.instanceIds(instanceId)).reservations().get(0).instances()
                .get(0).blockDeviceMappings().get(0).ebs().volumeId();
        return data.resolve("volumes/123456789012/us-east-1/" + volumeId + ".img");
    }

    static void awaitUp(BackupClient backup) throws InterruptedException {
        for (int i = 0; i < 300; i++) {
            try {
                backup.listBackupVaults();
                return;
            } catch (RuntimeException notYet) {
                Thread.sleep(100);
            }
        }
        throw new AssertionError("the child server did not come up");
    }
}
