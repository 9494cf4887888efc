package io.lifeboat.jobs;

import static io.lifeboat.testing.TestInstances.arn;
import static io.lifeboat.testing.TestInstances.awaitBackup;
import static io.lifeboat.testing.TestInstances.awaitRestore;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lifeboat.server.Config;
import io.lifeboat.testing.TestInstances;
import io.lifeboat.testing.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.backup.BackupClient;
import software.amazon.awssdk.services.backup.model.*;
import software.amazon.awssdk.services.ec2.model.Instance;

/**
 * On-demand backup and restore jobs, recovery points and protected resources through the SDK's
 * Backup client, with real bytes: success paths, idempotency, filters, and the failures AWS reports
 * as job states (roles, unreadable volumes, stop mid-flight). One worker, reading 32 MiB/s, so a
 * job on a large volume is still running when the test acts on it.
 */
class JobWireTest {
    static final int MIB = 1 << 20;
    static TestServer server;
    static BackupClient backup;
    static String role;
    static Path declaredImage;
    static Path declaredTree;

    @BeforeAll
    static void start() throws Exception {
        Path dir = Files.createTempDirectory("lifeboat-machines");
        declaredImage = dir.resolve("db.img");
        TestInstances.fill(declaredImage, 0, 4, 7);
        declaredTree = dir.resolve("www");
        Files.createDirectories(declaredTree.resolve("static"));
        Files.writeString(declaredTree.resolve("index.html"), "<h1>lifeboat</h1>");
        TestInstances.fill(declaredTree.resolve("static/blob.bin"), 0, 2, 8);
        Files.createSymbolicLink(declaredTree.resolve("latest"), Path.of("static/blob.bin"));
        Path machines = dir.resolve("machines.json");
        Files.writeString(machines, """
                {"machines": [{"instanceId": "i-0d0d0d0d0d0d0d0d0", "name": "db", "tags": {"Tier": "data"},
                  "volumes": [{"device": "/dev/xvda", "path": "%s"}, {"device": "/dev/sdf", "path": "%s"}]}]}"""
                .formatted(declaredImage, declaredTree));
        server = TestServer.start(c -> c.withMachines(machines)
                .withJobs(new Config.Jobs(1, Duration.ofSeconds(60), 32L * MIB)));
        backup = server.backup();
        role = TestInstances.backupRole(server);
        backup.createBackupVault(r -> r.backupVaultName("jobs"));
    }

    @AfterAll
    static void stop() {
        server.close();
        TestServer.deleteTree(declaredImage.getParent());
    }

    static String startBackup(Instance i, String roleArn) {
        return backup.startBackupJob(r -> r.backupVaultName("jobs").resourceArn(arn(i)).iamRoleArn(roleArn))
                .backupJobId();
    }

    @Test
    void onDemandBackupMakesARestorablePoint() throws Exception {
        Instance i = TestInstances.launch(server, 1, "Name", "app");
        Path volume = TestInstances.rootVolume(server, i.instanceId());
        TestInstances.fill(volume, 100 * MIB, 3, 1);
        StartBackupJobResponse started = backup.startBackupJob(r -> r.backupVaultName("jobs").resourceArn(arn(i))
                .iamRoleArn(role).idempotencyToken("token-1").recoveryPointTags(Map.of("Kind", "manual")));
        assertThat(backup.startBackupJob(r -> r.backupVaultName("jobs").resourceArn(arn(i)).iamRoleArn(role)
                .idempotencyToken("token-1")).backupJobId()).isEqualTo(started.backupJobId());
        DescribeBackupJobResponse job = awaitBackup(backup, started.backupJobId(), BackupJobState.COMPLETED);
        assertThat(job.percentDone()).isEqualTo("100.0");
        assertThat(job.backupSizeInBytes()).isEqualTo(1L << 30);
        assertThat(job.bytesTransferred()).isBetween(3L * MIB, 4L * MIB);
        assertThat(job.resourceName()).isEqualTo("app");
        assertThat(job.resourceType()).isEqualTo("EC2");
        assertThat(job.messageCategory()).isEqualTo("SUCCESS");
        assertThat(job.createdBy()).isNull();
        assertThat(job.startBy()).isEqualTo(job.creationDate().plus(Duration.ofHours(8)));
        String point = job.recoveryPointArn();
        assertThat(point).matches("arn:aws:ec2:us-east-1::image/ami-[0-9a-f]{17}");

        assertThat(backup.listBackupJobs(r -> r.byResourceArn(arn(i)).byState(BackupJobState.COMPLETED))
                .backupJobs()).extracting(BackupJob::backupJobId).containsExactly(job.backupJobId());
        assertThat(backup.listBackupJobs(r -> r.byBackupVaultName("elsewhere")).backupJobs()).isEmpty();
        assertThat(backup.listBackupJobs(r -> r.byParentJobId(job.backupJobId())).backupJobs()).isEmpty();
        assertThat(backup.listBackupJobs(r -> r.byResourceArn(arn(i)).byMessageCategory("SUCCESS")).backupJobs())
                .hasSize(1);
        DescribeRecoveryPointResponse rp = backup.describeRecoveryPoint(r -> r.backupVaultName("jobs")
                .recoveryPointArn(point));
        assertThat(rp.status()).isEqualTo(RecoveryPointStatus.COMPLETED);
        assertThat(rp.storageClass()).isEqualTo(StorageClass.WARM);
        assertThat(rp.calculatedLifecycle()).isNull();
        assertThat(backup.listRecoveryPointsByBackupVault(r -> r.backupVaultName("jobs").byResourceArn(arn(i)))
                .recoveryPoints()).extracting(RecoveryPointByBackupVault::recoveryPointArn).containsExactly(point);
        assertThat(server.ec2().describeImages(r -> r.imageIds(point.substring(point.indexOf("ami-")))).images()
                .get(0).description()).isEqualTo("This image is created by the AWS Backup service.");
        assertThat(server.ec2().describeTags(r -> r.filters(f -> f.name("resource-id")
                .values(point.substring(point.indexOf("ami-"))))).tags()).extracting(t -> t.key() + "=" + t.value())
                .containsExactly("Kind=manual");
        Map<String, String> metadata = backup.getRecoveryPointRestoreMetadata(r -> r.backupVaultName("jobs")
                .recoveryPointArn(point)).restoreMetadata();
        assertThat(metadata).containsEntry("InstanceType", "t3.micro").containsKey("SubnetId");
        assertThat(metadata.get("SecurityGroupIds")).startsWith("[\"sg-");

        UpdateRecoveryPointLifecycleResponse updated = backup.updateRecoveryPointLifecycle(r -> r
                .backupVaultName("jobs").recoveryPointArn(point).lifecycle(l -> l.deleteAfterDays(10L)));
        assertThat(updated.calculatedLifecycle().deleteAt()).isEqualTo(rp.creationDate().plus(Duration.ofDays(10)));
        assertThat(backup.listProtectedResources().results()).extracting(ProtectedResource::resourceArn)
                .contains(arn(i));
        assertThat(backup.describeProtectedResource(r -> r.resourceArn(arn(i))).lastRecoveryPointArn())
                .isEqualTo(point);
        assertThat(backup.describeBackupVault(r -> r.backupVaultName("jobs")).numberOfRecoveryPoints())
                .isPositive();
        assertThatThrownBy(() -> backup.deleteBackupVault(r -> r.backupVaultName("jobs")))
                .isInstanceOf(InvalidRequestException.class);
        assertThatThrownBy(() -> backup.stopBackupJob(r -> r.backupJobId(job.backupJobId())))
                .isInstanceOf(InvalidRequestException.class);

        // restore into a new instance, bytes equal
        String restoreId = backup.startRestoreJob(r -> r.recoveryPointArn(point).iamRoleArn(role)
                .metadata(Map.of("InstanceType", "t3.large"))).restoreJobId();
        DescribeRestoreJobResponse restored = awaitRestore(backup, restoreId);
        assertThat(restored.status()).isEqualTo(RestoreJobStatus.COMPLETED);
        assertThat(restored.sourceResourceArn()).isEqualTo(arn(i));
        String newId = restored.createdResourceArn().substring(restored.createdResourceArn().lastIndexOf('/') + 1);
        assertThat(TestInstances.sha256(TestInstances.rootVolume(server, newId)))
                .isEqualTo(TestInstances.sha256(volume));
        assertThat(backup.getRestoreJobMetadata(r -> r.restoreJobId(restoreId)).metadata())
                .isEqualTo(Map.of("InstanceType", "t3.large"));
        assertThat(backup.listRestoreJobsByProtectedResource(r -> r.resourceArn(arn(i))).restoreJobs())
                .extracting(RestoreJobsListMember::restoreJobId).containsExactly(restoreId);
        assertThat(backup.describeRecoveryPoint(r -> r.backupVaultName("jobs").recoveryPointArn(point))
                .lastRestoreTime()).isNotNull();

        // the point is an AMI: EC2 launches from it too, with a bigger root volume if asked
        String launched = server.ec2().runInstances(r -> r.imageId(point.substring(point.indexOf("ami-")))
                .minCount(1).maxCount(1).blockDeviceMappings(b -> b.deviceName("/dev/xvda")
                        .ebs(e -> e.volumeSize(2)))).instances().get(0).instanceId();
        Path grown = TestInstances.rootVolume(server, launched);
        assertThat(Files.size(grown)).isEqualTo(2L << 30);
        assertThat(TestInstances.sha256(grown, 1L << 30)).isEqualTo(TestInstances.sha256(volume));

        // deletion: DELETING, then gone
        backup.deleteRecoveryPoint(r -> r.backupVaultName("jobs").recoveryPointArn(point));
        for (int n = 0; n < 100; n++) {
            try {
                backup.describeRecoveryPoint(r -> r.backupVaultName("jobs").recoveryPointArn(point));
                Thread.sleep(50);
            } catch (ResourceNotFoundException gone) {
                return;
            }
        }
        throw new AssertionError("recovery point was not deleted");
    }

    @Test
    void startBackupJobRefusesBadInput() {
        Instance i = TestInstances.launch(server, 1);
        assertThatThrownBy(() -> backup.startBackupJob(r -> r.backupVaultName("nope").resourceArn(arn(i))
                .iamRoleArn(role))).isInstanceOf(ResourceNotFoundException.class);
        assertThatThrownBy(() -> backup.startBackupJob(r -> r.backupVaultName("jobs")
                .resourceArn("arn:aws:ec2:us-east-1:123456789012:instance/i-0123456789abcdef0").iamRoleArn(role)))
                .isInstanceOf(ResourceNotFoundException.class);
        assertThatThrownBy(() -> backup.startBackupJob(r -> r.backupVaultName("jobs").resourceArn(arn(i))
                .iamRoleArn(role).startWindowMinutes(30L))).isInstanceOf(InvalidParameterValueException.class)
                .hasMessageContaining("StartWindowMinutes");
        assertThatThrownBy(() -> backup.startBackupJob(r -> r.backupVaultName("jobs").resourceArn(arn(i))
                .iamRoleArn("not-a-role"))).isInstanceOf(InvalidParameterValueException.class);
        assertThatThrownBy(() -> backup.startBackupJob(r -> r.backupVaultName("jobs").resourceArn(arn(i))
                .iamRoleArn(role).lifecycle(l -> l.moveToColdStorageAfterDays(30L).deleteAfterDays(60L))))
                .isInstanceOf(InvalidParameterValueException.class);
        assertThatThrownBy(() -> backup.describeBackupJob(r -> r.backupJobId("no-such-job")))
                .isInstanceOf(ResourceNotFoundException.class);
        assertThatThrownBy(() -> backup.startRestoreJob(r -> r.recoveryPointArn(
                "arn:aws:ec2:us-east-1::image/ami-0123456789abcdef0").metadata(Map.of())))
                .isInstanceOf(ResourceNotFoundException.class);
    }

    @Test
    void rolesAreCheckedWhenTheJobRuns() throws Exception {
        Instance i = TestInstances.launch(server, 1);
        String missing = "arn:aws:iam::123456789012:role/NoSuchRole";
        String untrusted = TestInstances.role(server, "Ec2OnlyRole", TestInstances.TRUST_BACKUP
                .replace("backup.amazonaws.com", "ec2.amazonaws.com"), "AWSBackupServiceRolePolicyForBackup");
        String powerless = TestInstances.role(server, "PowerlessRole", TestInstances.TRUST_BACKUP);
        for (String r : new String[] {missing, untrusted}) {
            DescribeBackupJobResponse failed = awaitBackup(backup, startBackup(i, r), BackupJobState.FAILED);
            assertThat(failed.statusMessage()).isEqualTo("IAM Role " + r + " cannot be assumed by AWS Backup");
            assertThat(failed.messageCategory()).isEqualTo("AccessDenied");
        }
        assertThat(awaitBackup(backup, startBackup(i, powerless), BackupJobState.FAILED).statusMessage())
                .startsWith("You are not authorized to perform this operation.");
        assertThat(backup.listBackupJobs(r -> r.byResourceArn(arn(i)).byState(BackupJobState.FAILED)).backupJobs())
                .hasSize(3);
        assertThat(backup.listBackupJobSummaries(r -> r.state(BackupJobStatus.FAILED)).backupJobSummaries())
                .allMatch(sum -> sum.stateAsString().equals("FAILED") && sum.resourceType().equals("EC2"))
                .extracting(BackupJobSummary::count).first().satisfies(n -> assertThat(n).isGreaterThanOrEqualTo(3));
        assertThat(backup.listRecoveryPointsByResource(r -> r.resourceArn(arn(i))).recoveryPoints()).isEmpty();
    }

    @Test
    void configuredMachinesAreBackedUpAndAnUnreadableVolumeFailsTheJob() throws Exception {
        Instance db = server.ec2().describeInstances(r -> r.filters(f -> f.name("tag:Name").values("db")))
                .reservations().get(0).instances().get(0);
        assertThat(db.instanceId()).isEqualTo("i-0d0d0d0d0d0d0d0d0");
        DescribeBackupJobResponse ok = awaitBackup(backup, startBackup(db, role), BackupJobState.COMPLETED);
        assertThat(ok.backupSizeInBytes()).isEqualTo(4L * MIB + 2L * MIB + "<h1>lifeboat</h1>".length());

        // restored to a chosen place: the image as a file, the directory as a directory, both equal
        Path target = Files.createDirectories(declaredImage.resolveSibling("restored"));
        String restoreId = backup.startRestoreJob(r -> r.recoveryPointArn(ok.recoveryPointArn()).iamRoleArn(role)
                .metadata(Map.of("lifeboat:TargetPath", target.toString()))).restoreJobId();
        DescribeRestoreJobResponse restored = awaitRestore(backup, restoreId);
        assertThat(restored.status()).isEqualTo(RestoreJobStatus.COMPLETED);
        String newId = restored.createdResourceArn().substring(restored.createdResourceArn().lastIndexOf('/') + 1);
        assertThat(TestInstances.sha256(target.resolve(newId).resolve("xvda.img")))
                .isEqualTo(TestInstances.sha256(declaredImage));
        Path tree = target.resolve(newId).resolve("sdf");
        assertThat(Files.readString(tree.resolve("index.html"))).isEqualTo("<h1>lifeboat</h1>");
        assertThat(TestInstances.sha256(tree.resolve("static/blob.bin")))
                .isEqualTo(TestInstances.sha256(declaredTree.resolve("static/blob.bin")));
        assertThat(Files.readSymbolicLink(tree.resolve("latest"))).isEqualTo(Path.of("static/blob.bin"));
        assertThat(server.ec2().describeInstances(r -> r.instanceIds(newId)).reservations().get(0).instances()
                .get(0).blockDeviceMappings()).hasSize(2);
        Files.move(declaredImage, declaredImage.resolveSibling("moved.img"));
        try {
            DescribeBackupJobResponse failed = awaitBackup(backup, startBackup(db, role), BackupJobState.FAILED);
            assertThat(failed.statusMessage()).contains("cannot be read").contains(declaredImage.toString());
            assertThat(backup.listRecoveryPointsByResource(r -> r.resourceArn(arn(db))).recoveryPoints())
                    .extracting(RecoveryPointByResource::recoveryPointArn).containsExactly(ok.recoveryPointArn());
        } finally {
            Files.move(declaredImage.resolveSibling("moved.img"), declaredImage);
        }
    }

    @Test
    void stopBackupJobMidFlightAbortsAndKeepsNothing() throws Exception {
        Instance big = TestInstances.launch(server, 1);
        TestInstances.fill(TestInstances.rootVolume(server, big.instanceId()), 0, 160, 42);
        String id = startBackup(big, role);
        awaitBackup(backup, id, BackupJobState.RUNNING);
        backup.stopBackupJob(r -> r.backupJobId(id));
        DescribeBackupJobResponse aborted = awaitBackup(backup, id, BackupJobState.ABORTED);
        assertThat(aborted.statusMessage()).isEqualTo("Backup job was stopped by user.");
        assertThat(aborted.completionDate()).isNotNull();
        assertThat(backup.listRecoveryPointsByResource(r -> r.resourceArn(arn(big))).recoveryPoints()).isEmpty();
        assertThat(server.ec2().describeImages(r -> r.owners("self")).images())
                .noneMatch(img -> img.stateAsString().equals("pending"));
    }

    @Test
    void restoreFailuresAreReportedOnTheJob() throws Exception {
        Instance i = TestInstances.launch(server, 1);
        String point = awaitBackup(backup, startBackup(i, role), BackupJobState.COMPLETED).recoveryPointArn();
        String backupOnly = TestInstances.role(server, "BackupOnlyRole", TestInstances.TRUST_BACKUP,
                "AWSBackupServiceRolePolicyForBackup");
        DescribeRestoreJobResponse denied = awaitRestore(backup, backup.startRestoreJob(r -> r.recoveryPointArn(point)
                .iamRoleArn(backupOnly).metadata(Map.of())).restoreJobId());
        assertThat(denied.status()).isEqualTo(RestoreJobStatus.FAILED);
        assertThat(denied.statusMessage()).startsWith("You are not authorized to perform this operation.");
        DescribeRestoreJobResponse profile = awaitRestore(backup, backup.startRestoreJob(r -> r.recoveryPointArn(point)
                .iamRoleArn(role).metadata(Map.of("IamInstanceProfileName", "other"))).restoreJobId());
        assertThat(profile.statusMessage()).startsWith("AWS Backup does not permit attaching a new instance profile");
        assertThatThrownBy(() -> backup.startRestoreJob(r -> r.recoveryPointArn(point).iamRoleArn(role)
                .metadata(Map.of("Colour", "blue")))).isInstanceOf(InvalidParameterValueException.class);
        assertThat(backup.listRestoreJobs(r -> r.byStatus(RestoreJobStatus.FAILED)).restoreJobs()).hasSize(2);
        assertThat(backup.listRestoreJobSummaries(r -> r.state(RestoreJobState.FAILED)).restoreJobSummaries())
                .extracting(RestoreJobSummary::count).containsExactly(2);
    }

    @Test
    void jobsAndPointsSurviveARestartAndOrphanedVolumeFilesGo() throws Exception {
        Instance i = TestInstances.launch(server, 1);
        String id = awaitBackup(backup, startBackup(i, role), BackupJobState.COMPLETED).backupJobId();
        // what a restore that died with its node leaves: volume files no volume names
        Path dir = TestInstances.rootVolume(server, i.instanceId()).getParent();
        Path orphan = Files.writeString(dir.resolve("vol-0123456789abcdef0.img"), "half a volume");
        Path fresh = Files.writeString(dir.resolve("vol-0fedcba9876543210.img"), "a launch in progress");
        Files.setLastModifiedTime(orphan, java.nio.file.attribute.FileTime.from(
                java.time.Instant.now().minus(Duration.ofDays(2))));
        server.restart();
        assertThat(orphan).doesNotExist();
        assertThat(fresh).exists();
        assertThat(TestInstances.rootVolume(server, i.instanceId())).exists();
        backup = server.backup();
        DescribeBackupJobResponse again = backup.describeBackupJob(r -> r.backupJobId(id));
        assertThat(again.state()).isEqualTo(BackupJobState.COMPLETED);
        assertThat(backup.describeRecoveryPoint(r -> r.backupVaultName("jobs").recoveryPointArn(
                again.recoveryPointArn())).status()).isEqualTo(RecoveryPointStatus.COMPLETED);
    }
}
