package io.lifeboat.wire;

import static io.lifeboat.testing.AwsErrors.assertAwsError;
import static io.lifeboat.testing.Fixtures.unique;
import static io.lifeboat.testing.Fixtures.vault;
import static org.assertj.core.api.Assertions.assertThat;

import io.lifeboat.testing.TestServer;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.backup.BackupClient;
import software.amazon.awssdk.services.backup.model.AlreadyExistsException;
import software.amazon.awssdk.services.backup.model.BackupVaultEvent;
import software.amazon.awssdk.services.backup.model.BackupVaultListMember;
import software.amazon.awssdk.services.backup.model.CreateBackupVaultResponse;
import software.amazon.awssdk.services.backup.model.DescribeBackupVaultResponse;
import software.amazon.awssdk.services.backup.model.ListBackupVaultsResponse;
import software.amazon.awssdk.services.kms.KmsClient;

class VaultWireTest {
    static TestServer server;
    static BackupClient backup;
    static KmsClient kms;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        backup = server.backup();
        kms = server.kms();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void createDescribeAndDeleteAVault() {
        String name = unique("ec2-backups");
        Instant before = Instant.now().minusSeconds(1);
        CreateBackupVaultResponse created = backup.createBackupVault(b -> b.backupVaultName(name)
                .backupVaultTags(Map.of("Environment", "production")));
        assertThat(created.backupVaultName()).isEqualTo(name);
        assertThat(created.backupVaultArn()).isEqualTo("arn:aws:backup:us-east-1:123456789012:backup-vault:" + name);
        assertThat(created.creationDate()).isAfter(before);

        DescribeBackupVaultResponse d = backup.describeBackupVault(b -> b.backupVaultName(name));
        assertThat(d.backupVaultArn()).isEqualTo(created.backupVaultArn());
        assertThat(d.creationDate()).isEqualTo(created.creationDate());
        assertThat(d.numberOfRecoveryPoints()).isZero();
        assertThat(d.locked()).isFalse();
        assertThat(d.vaultTypeAsString()).isEqualTo("BACKUP_VAULT");
        assertThat(d.encryptionKeyArn()).matches("arn:aws:kms:us-east-1:123456789012:key/[0-9a-f-]{36}");
        assertThat(backup.listTags(b -> b.resourceArn(d.backupVaultArn())).tags())
                .containsExactlyEntriesOf(Map.of("Environment", "production"));

        backup.deleteBackupVault(b -> b.backupVaultName(name));
        assertAwsError(() -> backup.describeBackupVault(b -> b.backupVaultName(name)), "ResourceNotFoundException", 400);
        assertAwsError(() -> backup.deleteBackupVault(b -> b.backupVaultName(name)), "ResourceNotFoundException", 400);
    }

    @Test
    void defaultKeyIsTheRegionsAwsBackupKey() {
        String a = vault(backup);
        String b2 = vault(backup);
        String keyA = backup.describeBackupVault(b -> b.backupVaultName(a)).encryptionKeyArn();
        String keyB = backup.describeBackupVault(b -> b.backupVaultName(b2)).encryptionKeyArn();
        assertThat(keyA).isEqualTo(keyB);
        assertThat(kms.describeKey(b -> b.keyId("alias/aws/backup")).keyMetadata().arn()).isEqualTo(keyA);
    }

    @Test
    void customerKeyMustExistAndBeEnabled() {
        String keyArn = kms.createKey(b -> b.description("vault key")).keyMetadata().arn();
        String name = unique("encrypted");
        backup.createBackupVault(b -> b.backupVaultName(name).encryptionKeyArn(keyArn));
        assertThat(backup.describeBackupVault(b -> b.backupVaultName(name)).encryptionKeyArn()).isEqualTo(keyArn);
        assertThat(backup.describeBackupVault(b -> b.backupVaultName(name)).encryptionKeyTypeAsString())
                .isEqualTo("CUSTOMER_MANAGED_KMS_KEY");

        String missing = "arn:aws:kms:us-east-1:123456789012:key/abc123";
        assertAwsError(() -> backup.createBackupVault(b -> b.backupVaultName(unique("v")).encryptionKeyArn(missing)),
                "InvalidParameterValueException", 400);
        kms.disableKey(b -> b.keyId(keyArn));
        assertAwsError(() -> backup.createBackupVault(b -> b.backupVaultName(unique("v")).encryptionKeyArn(keyArn)),
                "InvalidParameterValueException", 400);
        assertAwsError(() -> backup.createBackupVault(b -> b.backupVaultName(unique("v"))
                .encryptionKeyArn("arn:aws:kms:us-east-1:123456789012:alias/aws/backup")),
                "InvalidParameterValueException", 400);
    }

    @Test
    void creatorRequestIdMakesCreateIdempotent() {
        String name = unique("idem");
        CreateBackupVaultResponse first = backup.createBackupVault(b -> b.backupVaultName(name).creatorRequestId("req-1"));
        CreateBackupVaultResponse again = backup.createBackupVault(b -> b.backupVaultName(name).creatorRequestId("req-1"));
        assertThat(again.backupVaultArn()).isEqualTo(first.backupVaultArn());
        assertThat(again.creationDate()).isEqualTo(first.creationDate());
        AlreadyExistsException e = (AlreadyExistsException) assertAwsError(() -> backup.createBackupVault(
                b -> b.backupVaultName(name).creatorRequestId("req-2")), "AlreadyExistsException", 400);
        assertThat(e.arn()).isEqualTo(first.backupVaultArn());
        assertThat(e.creatorRequestId()).isEqualTo("req-1");
    }

    @Test
    void listingPagesThroughEveryVaultOnce() {
        BackupClient other = server.backup(Region.EU_WEST_1);
        Set<String> made = new HashSet<>();
        for (int i = 0; i < 23; i++) {
            String name = unique("page");
            other.createBackupVault(b -> b.backupVaultName(name));
            made.add(name);
        }
        Set<String> seen = new HashSet<>();
        Set<String> tokens = new HashSet<>();
        String token = null;
        int pages = 0;
        do {
            String t = token;
            ListBackupVaultsResponse page = other.listBackupVaults(b -> b.maxResults(10).nextToken(t));
            page.backupVaultList().forEach(v -> assertThat(seen.add(v.backupVaultName())).isTrue());
            assertThat(page.backupVaultList()).hasSizeLessThanOrEqualTo(10);
            token = page.nextToken();
            assertThat(token == null || tokens.add(token)).isTrue();
            pages++;
        } while (token != null);
        assertThat(pages).isEqualTo(3);
        assertThat(seen).isEqualTo(made);
        assertThat(other.listBackupVaultsPaginator(b -> b.maxResults(7)).backupVaultList().stream()
                .map(BackupVaultListMember::backupVaultName).toList()).hasSize(23);
        assertAwsError(() -> other.listBackupVaults(b -> b.nextToken("garbage")), "InvalidParameterValueException", 400);
        assertAwsError(() -> other.listBackupVaults(b -> b.maxResults(0)), "InvalidParameterValueException", 400);
    }

    @Test
    void regionsAreSeparateNamespaces() {
        String name = unique("dr");
        server.backup(Region.US_WEST_2).createBackupVault(b -> b.backupVaultName(name));
        assertThat(server.backup(Region.US_WEST_2).describeBackupVault(b -> b.backupVaultName(name)).backupVaultArn())
                .isEqualTo("arn:aws:backup:us-west-2:123456789012:backup-vault:" + name);
        assertAwsError(() -> backup.describeBackupVault(b -> b.backupVaultName(name)), "ResourceNotFoundException", 400);
    }

    @Test
    void accessPolicyRoundTrip() {
        String name = vault(backup);
        assertAwsError(() -> backup.getBackupVaultAccessPolicy(b -> b.backupVaultName(name)),
                "ResourceNotFoundException", 400);
        String policy = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":"
                + "\"arn:aws:iam::111122223333:root\"},\"Action\":\"backup:CopyIntoBackupVault\",\"Resource\":\"*\"}]}";
        backup.putBackupVaultAccessPolicy(b -> b.backupVaultName(name).policy(policy));
        var got = backup.getBackupVaultAccessPolicy(b -> b.backupVaultName(name));
        assertThat(got.policy()).isEqualTo(policy);
        assertThat(got.backupVaultName()).isEqualTo(name);
        backup.deleteBackupVaultAccessPolicy(b -> b.backupVaultName(name));
        assertAwsError(() -> backup.getBackupVaultAccessPolicy(b -> b.backupVaultName(name)),
                "ResourceNotFoundException", 400);
    }

    @Test
    void notificationsAreStoredAndReported() {
        String name = vault(backup);
        String topic = "arn:aws:sns:us-east-1:123456789012:backup-alerts";
        backup.putBackupVaultNotifications(b -> b.backupVaultName(name).snsTopicArn(topic)
                .backupVaultEvents(BackupVaultEvent.BACKUP_JOB_FAILED, BackupVaultEvent.RESTORE_JOB_COMPLETED));
        var got = backup.getBackupVaultNotifications(b -> b.backupVaultName(name));
        assertThat(got.snsTopicArn()).isEqualTo(topic);
        assertThat(got.backupVaultEvents()).containsExactly(BackupVaultEvent.BACKUP_JOB_FAILED,
                BackupVaultEvent.RESTORE_JOB_COMPLETED);
        assertAwsError(() -> backup.putBackupVaultNotifications(b -> b.backupVaultName(name).snsTopicArn(topic)
                .backupVaultEventsWithStrings("NOT_AN_EVENT")), "InvalidParameterValueException", 400);
        backup.deleteBackupVaultNotifications(b -> b.backupVaultName(name));
        assertAwsError(() -> backup.getBackupVaultNotifications(b -> b.backupVaultName(name)),
                "ResourceNotFoundException", 400);
    }

    @Test
    void lockConfigurationIsReportedAndComplianceModeFixesADate() {
        String governance = vault(backup);
        backup.putBackupVaultLockConfiguration(b -> b.backupVaultName(governance).minRetentionDays(7L)
                .maxRetentionDays(400L));
        DescribeBackupVaultResponse g = backup.describeBackupVault(b -> b.backupVaultName(governance));
        assertThat(g.locked()).isTrue();
        assertThat(g.minRetentionDays()).isEqualTo(7L);
        assertThat(g.maxRetentionDays()).isEqualTo(400L);
        assertThat(g.lockDate()).isNull();
        backup.deleteBackupVaultLockConfiguration(b -> b.backupVaultName(governance));
        assertThat(backup.describeBackupVault(b -> b.backupVaultName(governance)).locked()).isFalse();

        String compliance = vault(backup);
        backup.putBackupVaultLockConfiguration(b -> b.backupVaultName(compliance).minRetentionDays(1L)
                .changeableForDays(3L));
        Instant lockDate = backup.describeBackupVault(b -> b.backupVaultName(compliance)).lockDate();
        assertThat(Duration.between(Instant.now(), lockDate).toHours()).isBetween(71L, 72L);

        assertAwsError(() -> backup.putBackupVaultLockConfiguration(b -> b.backupVaultName(compliance)
                .minRetentionDays(10L).maxRetentionDays(5L)), "InvalidParameterValueException", 400);
        assertAwsError(() -> backup.putBackupVaultLockConfiguration(b -> b.backupVaultName(compliance)
                .changeableForDays(2L)), "InvalidParameterValueException", 400);
    }

    @Test
    void tagAndUntagAVault() {
        String name = vault(backup);
        String arn = backup.describeBackupVault(b -> b.backupVaultName(name)).backupVaultArn();
        assertThat(backup.listTags(b -> b.resourceArn(arn)).tags()).isEmpty();
        backup.tagResource(b -> b.resourceArn(arn).tags(Map.of("a", "1", "b", "2")));
        backup.tagResource(b -> b.resourceArn(arn).tags(Map.of("a", "3")));
        assertThat(backup.listTags(b -> b.resourceArn(arn)).tags()).isEqualTo(Map.of("a", "3", "b", "2"));
        backup.untagResource(b -> b.resourceArn(arn).tagKeyList(List.of("a")));
        assertThat(backup.listTags(b -> b.resourceArn(arn)).tags()).isEqualTo(Map.of("b", "2"));
        assertAwsError(() -> backup.tagResource(b -> b.resourceArn(arn).tags(Map.of("aws:x", "1"))),
                "InvalidParameterValueException", 400);
        assertAwsError(() -> backup.listTags(b -> b.resourceArn(arn + "-missing")), "ResourceNotFoundException", 400);
    }

    @Test
    void stateSurvivesARestart() {
        String name = unique("durable");
        String keyArn = kms.createKey().keyMetadata().arn();
        backup.createBackupVault(b -> b.backupVaultName(name).encryptionKeyArn(keyArn)
                .backupVaultTags(Map.of("k", "v")));
        DescribeBackupVaultResponse before = backup.describeBackupVault(b -> b.backupVaultName(name));
        server.restart();
        DescribeBackupVaultResponse after = backup.describeBackupVault(b -> b.backupVaultName(name));
        assertThat(after.equalsBySdkFields(before)).as("%s vs %s", after, before).isTrue();
        assertThat(backup.listTags(b -> b.resourceArn(after.backupVaultArn())).tags()).containsEntry("k", "v");
        assertThat(kms.describeKey(b -> b.keyId(keyArn)).keyMetadata().enabled()).isTrue();
    }
}
