package io.lifeboat.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.lifeboat.testing.AwsCli;
import io.lifeboat.testing.TestServer;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The tutorial's vault, KMS, plan, IAM, selection and update-plan commands, verbatim but for
 * {@code --endpoint-url} and the ids the server created, through the real aws CLI v2. Skipped
 * where no CLI v2 is installed unless LIFEBOAT_REQUIRE_CLI is set (CI sets it).
 */
class TutorialCliTest {
    static final String ACCOUNT = "123456789012";
    static TestServer server;
    static AwsCli aws;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start();
        aws = AwsCli.required(server);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static void assertRecent(JsonNode timestamp) {
        assertThat(OffsetDateTime.parse(timestamp.asText())).isAfter(OffsetDateTime.now().minusMinutes(5));
    }

    @Test
    void tutorialControlPlane() throws Exception {
        // Creating a backup vault
        JsonNode vault = aws.ok("backup", "create-backup-vault", "--backup-vault-name", "ec2-backups",
                "--backup-vault-tags", "Environment=production");
        assertThat(vault.get("BackupVaultName").asText()).isEqualTo("ec2-backups");
        assertThat(vault.get("BackupVaultArn").asText()).isEqualTo("arn:aws:backup:us-east-1:" + ACCOUNT
                + ":backup-vault:ec2-backups");
        assertRecent(vault.get("CreationDate"));
        assertThat(vault.size()).isEqualTo(3);
        AwsCli.Result again = aws.run("backup", "create-backup-vault", "--backup-vault-name", "ec2-backups",
                "--backup-vault-tags", "Environment=production");
        assertThat(again.exitCode()).isNotZero();
        assertThat(again.stderr()).contains("AlreadyExistsException");

        // ... or with a customer KMS key (the tutorial's abc123 replaced by a key made here)
        String keyArn = aws.ok("kms", "create-key").get("KeyMetadata").get("Arn").asText();
        JsonNode encrypted = aws.ok("backup", "create-backup-vault", "--backup-vault-name", "ec2-backups-encrypted",
                "--encryption-key-arn", keyArn);
        assertThat(encrypted.get("BackupVaultName").asText()).isEqualTo("ec2-backups-encrypted");
        assertThat(aws.ok("backup", "describe-backup-vault", "--backup-vault-name", "ec2-backups-encrypted")
                .get("EncryptionKeyArn").asText()).isEqualTo(keyArn);

        JsonNode listed = aws.ok("backup", "list-backup-vaults", "--query",
                "BackupVaultList[].{Name: BackupVaultName, Points: NumberOfRecoveryPoints}");
        assertThat(listed.toString()).isEqualTo(
                "[{\"Name\":\"ec2-backups\",\"Points\":0},{\"Name\":\"ec2-backups-encrypted\",\"Points\":0}]");
        assertThat(aws.ok("backup", "list-tags", "--resource-arn", vault.get("BackupVaultArn").asText())
                .get("Tags").toString()).isEqualTo("{\"Environment\":\"production\"}");

        // Creating a backup plan
        JsonNode plan = aws.ok("backup", "create-backup-plan", "--backup-plan", """
                {
                  "BackupPlanName": "ec2-daily-monthly",
                  "Rules": [
                    {
                      "RuleName": "DailyBackup",
                      "TargetBackupVaultName": "ec2-backups",
                      "ScheduleExpression": "cron(0 5 ? * * *)",
                      "StartWindowMinutes": 60,
                      "CompletionWindowMinutes": 180,
                      "Lifecycle": {
                        "DeleteAfterDays": 35
                      }
                    },
                    {
                      "RuleName": "MonthlyBackup",
                      "TargetBackupVaultName": "ec2-backups",
                      "ScheduleExpression": "cron(0 5 1 * ? *)",
                      "StartWindowMinutes": 60,
                      "CompletionWindowMinutes": 360,
                      "Lifecycle": {
                        "MoveToColdStorageAfterDays": 30,
                        "DeleteAfterDays": 365
                      }
                    }
                  ]
                }""");
        String planId = plan.get("BackupPlanId").asText();
        assertThat(planId).matches("[0-9a-f-]{36}");
        assertThat(plan.get("BackupPlanArn").asText()).isEqualTo("arn:aws:backup:us-east-1:" + ACCOUNT
                + ":backup-plan:" + planId);
        assertThat(plan.get("VersionId").asText()).hasSize(48);
        assertRecent(plan.get("CreationDate"));

        JsonNode stored = aws.ok("backup", "get-backup-plan", "--backup-plan-id", planId).get("BackupPlan");
        assertThat(stored.get("Rules").get(1).get("Lifecycle").toString())
                .isEqualTo("{\"MoveToColdStorageAfterDays\":30,\"DeleteAfterDays\":365}");

        // The IAM role
        JsonNode role = aws.ok("iam", "create-role", "--role-name", "AWSBackupRole", "--assume-role-policy-document", """
                {
                    "Version": "2012-10-17",
                    "Statement": [{
                      "Effect": "Allow",
                      "Principal": {"Service": "backup.amazonaws.com"},
                      "Action": "sts:AssumeRole"
                    }]
                  }""").get("Role");
        assertThat(role.get("Arn").asText()).isEqualTo("arn:aws:iam::" + ACCOUNT + ":role/AWSBackupRole");
        assertThat(role.get("AssumeRolePolicyDocument").get("Statement").get(0).get("Principal").get("Service").asText())
                .isEqualTo("backup.amazonaws.com");
        assertThat(aws.ok("iam", "attach-role-policy", "--role-name", "AWSBackupRole", "--policy-arn",
                "arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup")).isNull();
        assertThat(aws.ok("iam", "attach-role-policy", "--role-name", "AWSBackupRole", "--policy-arn",
                "arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForRestores")).isNull();

        // The tag-based selection
        JsonNode selection = aws.ok("backup", "create-backup-selection", "--backup-plan-id", planId,
                "--backup-selection", """
                {
                    "SelectionName": "tagged-ec2-instances",
                    "IamRoleArn": "arn:aws:iam::123456789012:role/AWSBackupRole",
                    "ListOfTags": [
                      {
                        "ConditionType": "STRINGEQUALS",
                        "ConditionKey": "Backup",
                        "ConditionValue": "true"
                      }
                    ]
                  }""");
        assertThat(selection.get("BackupPlanId").asText()).isEqualTo(planId);
        assertThat(selection.get("SelectionId").asText()).matches("[0-9a-f-]{36}");
        assertRecent(selection.get("CreationDate"));

        // Cross-region copies: the destination vault first, then the plan update
        aws.ok("backup", "create-backup-vault", "--backup-vault-name", "ec2-backups-dr", "--region", "us-west-2");
        JsonNode updated = aws.ok("backup", "update-backup-plan", "--backup-plan-id", planId, "--backup-plan", """
                {
                    "BackupPlanName": "ec2-daily-monthly",
                    "Rules": [
                      {
                        "RuleName": "DailyWithCrossRegionCopy",
                        "TargetBackupVaultName": "ec2-backups",
                        "ScheduleExpression": "cron(0 5 ? * * *)",
                        "StartWindowMinutes": 60,
                        "CompletionWindowMinutes": 180,
                        "Lifecycle": {
                          "DeleteAfterDays": 35
                        },
                        "CopyActions": [
                          {
                            "DestinationBackupVaultArn": "arn:aws:backup:us-west-2:123456789012:backup-vault:ec2-backups-dr",
                            "Lifecycle": {
                              "DeleteAfterDays": 35
                            }
                          }
                        ]
                      }
                    ]
                  }""");
        assertThat(updated.get("BackupPlanId").asText()).isEqualTo(planId);
        assertThat(updated.get("BackupPlanArn").asText()).isEqualTo(plan.get("BackupPlanArn").asText());
        assertThat(updated.get("VersionId").asText()).isNotEqualTo(plan.get("VersionId").asText());
        JsonNode rules = aws.ok("backup", "get-backup-plan", "--backup-plan-id", planId).get("BackupPlan").get("Rules");
        assertThat(rules).hasSize(1);
        assertThat(rules.get(0).get("CopyActions").get(0).get("DestinationBackupVaultArn").asText())
                .isEqualTo("arn:aws:backup:us-west-2:123456789012:backup-vault:ec2-backups-dr");
        List<String> versions = new ArrayList<>();
        aws.ok("backup", "list-backup-plan-versions", "--backup-plan-id", planId).get("BackupPlanVersionsList")
                .forEach(v -> versions.add(v.get("VersionId").asText()));
        assertThat(versions).containsExactly(plan.get("VersionId").asText(), updated.get("VersionId").asText());

        // Errors reach the CLI as AWS errors
        AwsCli.Result missing = aws.run("backup", "describe-backup-vault", "--backup-vault-name", "nope");
        assertThat(missing.exitCode()).isEqualTo(254);
        assertThat(missing.stderr()).contains("(ResourceNotFoundException)");
        AwsCli.Result planInUse = aws.run("backup", "delete-backup-plan", "--backup-plan-id", planId);
        assertThat(planInUse.stderr()).contains("(InvalidRequestException)")
                .contains("Related backup plan selections must be deleted prior to backup plan deletion");
    }
}
