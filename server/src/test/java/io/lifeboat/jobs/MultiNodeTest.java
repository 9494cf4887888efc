package io.lifeboat.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.lifeboat.server.Config;
import io.lifeboat.testing.TestInstances;
import io.lifeboat.testing.TestServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.backup.BackupClient;
import software.amazon.awssdk.services.backup.model.BackupJobState;
import software.amazon.awssdk.services.ec2.model.Instance;

/**
 * Two nodes on one PostgreSQL database share the work: every job runs exactly once (one
 * recovery point and one image per job), whichever node was asked and whichever claimed it.
 */
class MultiNodeTest {

    @Test
    void twoNodesNeverRunTheSameJobTwice() throws Exception {
        Assumptions.assumeTrue(TestServer.usePostgres(), "several nodes need a shared PostgreSQL database");
        var jobs = (java.util.function.UnaryOperator<Config>) c -> c.withJobs(new Config.Jobs(2,
                Duration.ofSeconds(30), 0));
        try (TestServer a = TestServer.start(jobs); TestServer b = a.secondNode(jobs)) {
            String role = TestInstances.backupRole(a);
            a.backup().createBackupVault(r -> r.backupVaultName("shared"));
            List<String> ids = new ArrayList<>();
            for (int n = 0; n < 12; n++) {
                TestServer node = n % 2 == 0 ? a : b;
                Instance i = TestInstances.launch(node, 1);
                TestInstances.fill(TestInstances.rootVolume(node, i.instanceId()), 0, 1, n);
                ids.add(node.backup().startBackupJob(r -> r.backupVaultName("shared").iamRoleArn(role)
                        .resourceArn(TestInstances.arn(i))).backupJobId());
            }
            BackupClient backup = a.backup();
            Set<String> points = new HashSet<>();
            for (String id : ids) {
                points.add(TestInstances.awaitBackup(backup, id, BackupJobState.COMPLETED).recoveryPointArn());
            }
            assertThat(points).hasSize(12);
            assertThat(backup.describeBackupVault(r -> r.backupVaultName("shared")).numberOfRecoveryPoints())
                    .isEqualTo(12);
            assertThat(b.ec2().describeImages(r -> r.owners("self")).images()).hasSize(12);
        }
    }
}
