package io.lifeboat.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.lifeboat.testing.AwsCli;
import io.lifeboat.testing.TestInstances;
import io.lifeboat.testing.TestServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The tutorial's promise with real bytes, through the real aws CLI v2: three instances tagged
 * Backup=true are backed up when the clock passes 05:00 UTC, a point restores as a new instance
 * whose volume hashes equal the original's, daily points expire after 35 days (their space freed)
 * and the monthly point goes cold after 30 days and is deleted after 365.
 */
class JobsCliTest {
    static final String ACCOUNT = "123456789012";
    static final long MIB = 1 << 20;
    static TestServer server;
    static AwsCli aws;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start();
        aws = AwsCli.required(server);
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    static long vaultBytes() throws IOException {
        try (Stream<Path> files = Files.walk(server.dataDir().resolve("vaults"))) {
            return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }

    @Test
    void scheduledBackupsRestoreAndLifecycle() throws Exception {
        // A fixed simulated start (not the 1st of a month, where the monthly rule would take the daily run)
        server.clock("{\"set\": \"2030-03-01T06:00:00Z\"}");

        // Three instances with known data in their volumes
        JsonNode run = aws.ok("ec2", "run-instances", "--image-id", "ami-0000000000000b1a0", "--count", "3",
                "--instance-type", "t3.micro", "--block-device-mappings", "DeviceName=/dev/xvda,Ebs={VolumeSize=1}");
        List<String> ids = new ArrayList<>();
        run.get("Instances").forEach(i -> ids.add(i.get("InstanceId").asText()));
        assertThat(ids).hasSize(3);
        List<Path> files = new ArrayList<>();
        for (int n = 0; n < 3; n++) {
            Path f = TestInstances.rootVolume(server, ids.get(n));
            TestInstances.fill(f, 64 * MIB, 4, n);          // replaced after the first backup: only day 1 holds it
            TestInstances.fill(f, 300 * MIB + 12345, 3, 100 + n); // kept throughout
            files.add(f);
        }

        // The tutorial's vault, role, plan and tag-based selection, verbatim
        aws.ok("backup", "create-backup-vault", "--backup-vault-name", "ec2-backups",
                "--backup-vault-tags", "Environment=production");
        aws.ok("iam", "create-role", "--role-name", "AWSBackupRole", "--assume-role-policy-document", """
                {"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
                  "Principal": {"Service": "backup.amazonaws.com"}, "Action": "sts:AssumeRole"}]}""");
        aws.ok("iam", "attach-role-policy", "--role-name", "AWSBackupRole", "--policy-arn",
                "arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup");
        aws.ok("iam", "attach-role-policy", "--role-name", "AWSBackupRole", "--policy-arn",
                "arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForRestores");
        String planId = aws.ok("backup", "create-backup-plan", "--backup-plan", """
                {"BackupPlanName": "ec2-daily-monthly", "Rules": [
                  {"RuleName": "DailyBackup", "TargetBackupVaultName": "ec2-backups",
                   "ScheduleExpression": "cron(0 5 ? * * *)", "StartWindowMinutes": 60,
                   "CompletionWindowMinutes": 180, "Lifecycle": {"DeleteAfterDays": 35}},
                  {"RuleName": "MonthlyBackup", "TargetBackupVaultName": "ec2-backups",
                   "ScheduleExpression": "cron(0 5 1 * ? *)", "StartWindowMinutes": 60,
                   "CompletionWindowMinutes": 360,
                   "Lifecycle": {"MoveToColdStorageAfterDays": 30, "DeleteAfterDays": 365}}]}""")
                .get("BackupPlanId").asText();
        aws.ok("backup", "create-backup-selection", "--backup-plan-id", planId, "--backup-selection", """
                {"SelectionName": "tagged-ec2-instances",
                 "IamRoleArn": "arn:aws:iam::123456789012:role/AWSBackupRole",
                 "ListOfTags": [{"ConditionType": "STRINGEQUALS", "ConditionKey": "Backup", "ConditionValue": "true"}]}""");
        List<String> tag = new ArrayList<>(List.of("ec2", "create-tags", "--resources"));
        tag.addAll(ids);
        tag.addAll(List.of("--tags", "Key=Backup,Value=true"));
        assertThat(aws.ok(tag.toArray(String[]::new))).isNull(); // the CLI prints nothing, as for EC2

        // Past 05:00 UTC: three jobs complete, with real sizes
        server.clock("{\"set\": \"2030-03-02T05:30:00Z\"}");
        AwsCli.Result table = aws.run("backup", "list-backup-jobs", "--by-state", "COMPLETED", "--query",
                "BackupJobs[0:5].{Resource: ResourceArn, Status: State, Created: CreationDate, Size: BackupSizeInBytes}",
                "--output", "table");
        assertThat(table.exitCode()).isZero();
        for (String id : ids) {
            assertThat(table.stdout()).contains("arn:aws:ec2:us-east-1:" + ACCOUNT + ":instance/" + id);
        }
        JsonNode completed = aws.ok("backup", "list-backup-jobs", "--by-state", "COMPLETED").get("BackupJobs");
        assertThat(completed).hasSize(3);
        for (JsonNode j : completed) {
            assertThat(j.get("State").asText()).isEqualTo("COMPLETED");
            assertThat(j.get("BackupSizeInBytes").asLong()).isEqualTo(1L << 30);
            assertThat(j.get("BytesTransferred").asLong()).isGreaterThan(6 * MIB);
            assertThat(j.get("PercentDone").asText()).isEqualTo("100.0");
            assertThat(j.get("CreatedBy").get("BackupPlanId").asText()).isEqualTo(planId);
            assertThat(j.get("RecoveryPointArn").asText()).startsWith("arn:aws:ec2:us-east-1::image/ami-");
            assertThat(j.get("StartBy").asText()).isEqualTo("2030-03-02T06:00:00+00:00");
        }
        assertThat(aws.ok("backup", "list-backup-jobs", "--by-state", "FAILED", "--query",
                "BackupJobs[].{Resource: ResourceArn, Message: StatusMessage}").size()).isZero();
        String[] originals = new String[3];
        for (int n = 0; n < 3; n++) {
            originals[n] = TestInstances.sha256(files.get(n));
            TestInstances.fill(files.get(n), 64 * MIB, 4, 1000 + n); // day 1's data now lives only in day 1's point
        }

        // The tutorial's listing of recovery points, and its restore with its metadata
        String resourceArn = "arn:aws:ec2:us-east-1:" + ACCOUNT + ":instance/" + ids.get(0);
        AwsCli.Result points = aws.run("backup", "list-recovery-points-by-resource", "--resource-arn", resourceArn,
                "--query", "RecoveryPoints[].{Date: CreationDate, ID: RecoveryPointArn, Status: Status}",
                "--output", "table");
        assertThat(points.stdout()).contains("COMPLETED").contains("arn:aws:ec2:us-east-1::image/ami-");
        JsonNode point = aws.ok("backup", "list-recovery-points-by-resource", "--resource-arn", resourceArn)
                .get("RecoveryPoints").get(0);
        assertThat(point.get("BackupSizeBytes").asLong()).isEqualTo(1L << 30);
        assertThat(point.get("BackupVaultName").asText()).isEqualTo("ec2-backups");
        String subnet = aws.ok("ec2", "describe-subnets", "--query", "Subnets[0].SubnetId").asText();
        String group = aws.ok("ec2", "describe-security-groups", "--query", "SecurityGroups[0].GroupId").asText();
        String restoreJobId = aws.ok("backup", "start-restore-job",
                "--recovery-point-arn", point.get("RecoveryPointArn").asText(),
                "--iam-role-arn", "arn:aws:iam::123456789012:role/AWSBackupRole",
                "--metadata", "{\"InstanceType\": \"t3.medium\", \"SubnetId\": \"" + subnet + "\", "
                        + "\"SecurityGroupIds\": \"[\\\"" + group + "\\\"]\"}").get("RestoreJobId").asText();
        JsonNode restore = awaitRestore(restoreJobId);
        assertThat(restore.get("Status").asText()).isEqualTo("COMPLETED");
        assertThat(restore.get("PercentDone").asText()).isEqualTo("100.0");
        String created = restore.get("CreatedResourceArn").asText();
        assertThat(created).startsWith("arn:aws:ec2:us-east-1:" + ACCOUNT + ":instance/i-");
        String newId = created.substring(created.lastIndexOf('/') + 1);
        assertThat(newId).isNotIn(ids);
        JsonNode newInstance = aws.ok("ec2", "describe-instances", "--instance-ids", newId)
                .get("Reservations").get(0).get("Instances").get(0);
        assertThat(newInstance.get("InstanceType").asText()).isEqualTo("t3.medium");
        assertThat(newInstance.get("SubnetId").asText()).isEqualTo(subnet);
        assertThat(newInstance.get("State").get("Name").asText()).isEqualTo("running");
        assertThat(TestInstances.sha256(TestInstances.rootVolume(server, newId))).isEqualTo(originals[0]);
        assertThat(TestInstances.rootVolume(server, newId)).isNotEqualTo(files.get(0));

        // 36 days on: the first days' daily points are gone and their space freed
        server.clock("{\"advance\": \"P1D\"}");
        long peak = vaultBytes();
        server.clock("{\"advance\": \"P35D\"}");
        assertThat(aws.ok("backup", "list-backup-vaults", "--query",
                "BackupVaultList[].{Name: BackupVaultName, Points: NumberOfRecoveryPoints}").toString())
                .isEqualTo("[{\"Name\":\"ec2-backups\",\"Points\":105}]");
        assertThat(aws.ok("backup", "list-recovery-points-by-resource", "--resource-arn", resourceArn,
                "--query", "RecoveryPoints[].RecoveryPointArn").toString())
                .doesNotContain(point.get("RecoveryPointArn").asText());
        // their chunks were condemned when they expired; after the grace period (a day) they are gone
        server.clock("{\"advance\": \"P2D\"}");
        assertThat(vaultBytes()).isLessThan(peak - 10 * MIB);
        // jobs are listed for 30 days, as AWS lists them: now 2030-04-09 05:30, so March 11th on
        JsonNode listed = aws.ok("backup", "list-backup-jobs", "--query", "BackupJobs[].CreationDate");
        assertThat(listed.size()).isEqualTo(90);
        listed.forEach(d -> assertThat(d.asText()).isGreaterThanOrEqualTo("2030-03-11T05:00:00+00:00"));

        // The monthly point of April 1st: cold after 30 days, deleted after 365
        JsonNode monthly = aws.ok("backup", "list-recovery-points-by-backup-vault", "--backup-vault-name",
                "ec2-backups", "--by-resource-arn", resourceArn, "--by-created-after", "2030-04-01T04:00:00Z",
                "--by-created-before", "2030-04-01T06:00:00Z").get("RecoveryPoints").get(0);
        assertThat(monthly.get("Lifecycle").get("DeleteAfterDays").asInt()).isEqualTo(365); // the monthly rule won
        assertThat(monthly.get("CreationDate").asText()).isEqualTo("2030-04-01T05:00:00+00:00");
        String monthlyArn = monthly.get("RecoveryPointArn").asText();
        assertThat(describe(monthlyArn).get("StorageClass").asText()).isEqualTo("WARM");
        // only the monthly rule from here on, so a year passes in few steps
        aws.ok("backup", "update-backup-plan", "--backup-plan-id", planId, "--backup-plan", """
                {"BackupPlanName": "ec2-daily-monthly", "Rules": [
                  {"RuleName": "MonthlyBackup", "TargetBackupVaultName": "ec2-backups",
                   "ScheduleExpression": "cron(0 5 1 * ? *)", "StartWindowMinutes": 60,
                   "CompletionWindowMinutes": 360,
                   "Lifecycle": {"MoveToColdStorageAfterDays": 30, "DeleteAfterDays": 365}}]}""");
        server.clock("{\"set\": \"2030-05-01T05:30:00Z\"}");
        JsonNode cold = describe(monthlyArn);
        assertThat(cold.get("StorageClass").asText()).isEqualTo("COLD");
        assertThat(cold.get("CalculatedLifecycle").get("DeleteAt").asText()).isEqualTo("2031-04-01T05:00:00+00:00");
        // its data moved to the vault's cold tier, and restores from there
        Path vaults = server.dataDir().resolve("vaults").resolve(ACCOUNT).resolve("us-east-1");
        String ami = monthlyArn.substring(monthlyArn.indexOf("ami-"));
        assertThat(vaults.resolve("ec2-backups.cold/manifests").resolve(ami).resolve("xvda")).isRegularFile();
        assertThat(vaults.resolve("ec2-backups/manifests").resolve(ami).resolve("xvda")).doesNotExist();
        String coldRestore = aws.ok("backup", "start-restore-job", "--recovery-point-arn", monthlyArn,
                "--iam-role-arn", "arn:aws:iam::123456789012:role/AWSBackupRole", "--metadata", "{}")
                .get("RestoreJobId").asText();
        String fromCold = awaitRestore(coldRestore).get("CreatedResourceArn").asText();
        String coldInstance = fromCold.substring(fromCold.lastIndexOf('/') + 1);
        assertThat(TestInstances.sha256(TestInstances.rootVolume(server, coldInstance)))
                .isEqualTo(TestInstances.sha256(files.get(0)));
        server.clock("{\"set\": \"2031-04-01T05:30:00Z\"}");
        AwsCli.Result gone = aws.run("backup", "describe-recovery-point", "--backup-vault-name", "ec2-backups",
                "--recovery-point-arn", monthlyArn);
        assertThat(gone.exitCode()).isNotZero();
        assertThat(gone.stderr()).contains("ResourceNotFoundException");
    }

    JsonNode describe(String pointArn) throws Exception {
        return aws.ok("backup", "describe-recovery-point", "--backup-vault-name", "ec2-backups",
                "--recovery-point-arn", pointArn);
    }

    JsonNode awaitRestore(String id) throws Exception {
        for (int i = 0; i < 300; i++) {
            JsonNode r = aws.ok("backup", "describe-restore-job", "--restore-job-id", id);
            String status = r.get("Status").asText();
            if (!status.equals("PENDING") && !status.equals("RUNNING")) {
                return r;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("restore job " + id + " did not finish");
    }
}
