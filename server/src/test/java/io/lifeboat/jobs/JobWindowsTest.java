package io.lifeboat.jobs;

import static io.lifeboat.testing.TestInstances.arn;
import static io.lifeboat.testing.TestInstances.awaitBackup;
import static org.assertj.core.api.Assertions.assertThat;

import io.lifeboat.server.Config;
import io.lifeboat.testing.RawClient;
import io.lifeboat.testing.TestInstances;
import io.lifeboat.testing.TestServer;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.backup.BackupClient;
import software.amazon.awssdk.services.backup.model.BackupJobState;
import software.amazon.awssdk.services.backup.model.DescribeBackupJobResponse;
import software.amazon.awssdk.services.ec2.model.Instance;

/**
 * Windows on a simulated clock: a job that cannot start within its start window (the one worker
 * is busy) expires, one that overruns its completion window expires, and a scheduled job whose
 * vault was deleted after the plan named it fails. Each test has its own server and clock.
 */
class JobWindowsTest {
    static final int MIB = 1 << 20;
    TestServer server;
    BackupClient backup;
    String role;

    @BeforeEach
    void start() {
        server = TestServer.start(c -> c.withJobs(new Config.Jobs(1, Duration.ofSeconds(60), 32L * MIB)));
        backup = server.backup();
        role = TestInstances.backupRole(server);
        backup.createBackupVault(r -> r.backupVaultName("vault"));
        server.clock("{\"set\": \"2030-06-10T12:00:00Z\"}");
    }

    @AfterEach
    void stop() {
        server.close();
    }

    Instance bigInstance(long seed) throws Exception {
        Instance i = TestInstances.launch(server, 1);
        TestInstances.fill(TestInstances.rootVolume(server, i.instanceId()), 0, 160, seed);
        return i;
    }

    @Test
    void aJobThatCannotStartInItsWindowExpires() throws Exception {
        Instance busy = bigInstance(1);
        Instance waiting = TestInstances.launch(server, 1);
        String first = backup.startBackupJob(r -> r.backupVaultName("vault").resourceArn(arn(busy)).iamRoleArn(role))
                .backupJobId();
        awaitBackup(backup, first, BackupJobState.RUNNING);
        String second = backup.startBackupJob(r -> r.backupVaultName("vault").resourceArn(arn(waiting)).iamRoleArn(role)
                .startWindowMinutes(60L)).backupJobId();
        awaitBackup(backup, second, BackupJobState.PENDING);
        server.clock("{\"advance\": \"PT2H\", \"settle\": false}");
        DescribeBackupJobResponse expired = awaitBackup(backup, second, BackupJobState.EXPIRED);
        assertThat(expired.statusMessage()).startsWith("Backup job failed to start before the end of its start "
                + "window");
        assertThat(expired.recoveryPointArn()).isNull();
        assertThat(awaitBackup(backup, first, BackupJobState.COMPLETED).percentDone()).isEqualTo("100.0");
    }

    @Test
    void aJobThatOverrunsItsCompletionWindowExpires() throws Exception {
        Instance big = bigInstance(2);
        String id = backup.startBackupJob(r -> r.backupVaultName("vault").resourceArn(arn(big)).iamRoleArn(role)
                .startWindowMinutes(60L).completeWindowMinutes(120L)).backupJobId();
        awaitBackup(backup, id, BackupJobState.RUNNING);
        server.clock("{\"advance\": \"PT3H\", \"settle\": false}");
        DescribeBackupJobResponse expired = awaitBackup(backup, id, BackupJobState.EXPIRED);
        assertThat(expired.statusMessage()).isEqualTo("Backup job expired before completion.");
        assertThat(backup.listRecoveryPointsByResource(r -> r.resourceArn(arn(big))).recoveryPoints()).isEmpty();
        assertThat(backup.describeBackupVault(r -> r.backupVaultName("vault")).numberOfRecoveryPoints()).isZero();
    }

    @Test
    void onlySignedRequestsMoveTheClock() {
        RawClient raw = new RawClient(server);
        RawClient.Response unsigned = raw.unsigned("POST", "/_lifeboat/clock", "application/json",
                "{\"advance\": \"P1D\"}");
        assertThat(unsigned.status()).isEqualTo(403);
        RawClient.Response forged = raw.signed("lifeboat", "POST", "/_lifeboat/clock", "application/json",
                "{\"advance\": \"P1D\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8),
                server.key().accessKeyId(), "not-the-secret", java.time.Clock.systemUTC());
        assertThat(forged.status()).isEqualTo(403);
        assertThat(raw.signed("lifeboat", "GET", "/_lifeboat/clock", null, "").body())
                .isEqualTo("{\"now\":\"2030-06-10T12:00:00Z\",\"simulated\":true}");
        RawClient.Response back = raw.signed("lifeboat", "POST", "/_lifeboat/clock", "application/json",
                "{\"set\": \"2020-01-01T00:00:00Z\"}");
        assertThat(back.status()).isEqualTo(400);
        assertThat(back.body()).contains("cannot go back");
        assertThat(raw.signed("lifeboat", "POST", "/_lifeboat/clock", "application/json", "{\"advance\": 5}")
                .status()).isEqualTo(400);
    }

    @Test
    void aScheduledJobWhoseVaultWasDeletedFails() throws Exception {
        Instance i = TestInstances.launch(server, 1, "Backup", "true");
        backup.createBackupVault(r -> r.backupVaultName("doomed"));
        String plan = backup.createBackupPlan(r -> r.backupPlan(p -> p.backupPlanName("p").rules(rule -> rule
                .ruleName("daily").targetBackupVaultName("doomed").scheduleExpression("cron(0 5 ? * * *)"))))
                .backupPlanId();
        backup.createBackupSelection(r -> r.backupPlanId(plan).backupSelection(s -> s.selectionName("all")
                .iamRoleArn(role).listOfTags(t -> t.conditionType("STRINGEQUALS").conditionKey("Backup")
                        .conditionValue("true"))));
        backup.deleteBackupVault(r -> r.backupVaultName("doomed"));
        server.clock("{\"set\": \"2030-06-11T05:10:00Z\"}");
        var jobs = backup.listBackupJobs(r -> r.byResourceArn(arn(i))).backupJobs();
        assertThat(jobs).hasSize(1);
        assertThat(jobs.get(0).state()).isEqualTo(BackupJobState.FAILED);
        assertThat(jobs.get(0).statusMessage()).isEqualTo("Backup vault doomed does not exist.");
        assertThat(jobs.get(0).createdBy().backupPlanId()).isEqualTo(plan);
        assertThat(backup.getBackupPlan(r -> r.backupPlanId(plan)).lastExecutionDate())
                .isEqualTo(java.time.Instant.parse("2030-06-11T05:00:00Z"));
    }
}
