package io.lifeboat.wire;

import static io.lifeboat.testing.AwsErrors.assertAwsError;
import static org.assertj.core.api.Assertions.assertThat;

import io.lifeboat.edge.sigv4.AccessKey;
import io.lifeboat.testing.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.backup.BackupClient;
import software.amazon.awssdk.services.sts.StsClient;

/** Accounts and credentials: keys from the data directory, per-account isolation, the opt-in open mode. */
class AccountsWireTest {
    static final AccessKey ALICE = new AccessKey("LKIAALICE00000000001", "alice-secret-0000000000000000000000000000",
            "111111111111");
    static final AccessKey BOB = new AccessKey("LKIABOB0000000000002", "bob-secret-00000000000000000000000000000000",
            "222222222222");

    @Test
    void eachAccountSeesOnlyItsOwnResources() throws Exception {
        Path dir = Files.createTempDirectory("lifeboat-accounts");
        Files.writeString(dir.resolve("credentials.json"), """
                {"accessKeys": [
                  {"accountId": "111111111111", "accessKeyId": "%s", "secretAccessKey": "%s"},
                  {"accountId": "222222222222", "accessKeyId": "%s", "secretAccessKey": "%s"}]}"""
                .formatted(ALICE.accessKeyId(), ALICE.secretAccessKey(), BOB.accessKeyId(), BOB.secretAccessKey()));
        try (TestServer server = TestServer.startIn(dir, c -> c)) {
            BackupClient alice = server.backup(ALICE);
            BackupClient bob = server.backup(BOB);
            assertThat(alice.createBackupVault(b -> b.backupVaultName("shared-name")).backupVaultArn())
                    .isEqualTo("arn:aws:backup:us-east-1:111111111111:backup-vault:shared-name");
            assertThat(bob.createBackupVault(b -> b.backupVaultName("shared-name")).backupVaultArn())
                    .isEqualTo("arn:aws:backup:us-east-1:222222222222:backup-vault:shared-name");
            alice.createBackupVault(b -> b.backupVaultName("alice-only"));
            assertAwsError(() -> bob.describeBackupVault(b -> b.backupVaultName("alice-only")),
                    "ResourceNotFoundException", 400);
            assertThat(bob.listBackupVaults(b -> { }).backupVaultList()).hasSize(1);
            assertThat(server.client(StsClient.builder().httpClient(UrlConnectionHttpClient.create()),
                    Region.US_EAST_1, BOB).getCallerIdentity().account()).isEqualTo("222222222222");
        } finally {
            TestServer.deleteTree(dir);
        }
    }

    @Test
    void firstStartCreatesPrivateSecrets() throws Exception {
        try (TestServer server = TestServer.start()) {
            for (String file : new String[] {"credentials.json", "master.key"}) {
                assertThat(Files.getPosixFilePermissions(server.dataDir().resolve(file)))
                        .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
            }
            assertThat(Files.size(server.dataDir().resolve("master.key"))).isEqualTo(32);
            assertThat(server.key().accessKeyId()).hasSize(20);
            assertThat(server.key().toString()).doesNotContain(server.key().secretAccessKey());
        }
    }

    @Test
    void openModeAcceptsAnyCredentialsOnlyWhenAskedFor() {
        AccessKey stranger = new AccessKey("AKIAWHATEVER", "anything", "999999999999");
        try (TestServer open = TestServer.start(c -> c.withAnyCredentials(true))) {
            assertThat(open.backup(stranger).createBackupVault(b -> b.backupVaultName("open")).backupVaultArn())
                    .isEqualTo("arn:aws:backup:us-east-1:123456789012:backup-vault:open");
        }
        try (TestServer closed = TestServer.start()) {
            assertAwsError(() -> closed.backup(stranger).listBackupVaults(b -> { }), "UnrecognizedClientException", 403);
        }
    }
}
