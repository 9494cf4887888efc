package io.lifeboat.wire;

import static io.lifeboat.testing.AwsErrors.assertAwsError;
import static io.lifeboat.testing.Fixtures.dailyRule;
import static io.lifeboat.testing.Fixtures.plan;
import static io.lifeboat.testing.Fixtures.unique;
import static io.lifeboat.testing.Fixtures.vault;
import static org.assertj.core.api.Assertions.assertThat;

import io.lifeboat.testing.Fixtures;
import io.lifeboat.testing.TestServer;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.backup.BackupClient;

class AccountWireTest {
    static TestServer server;
    static BackupClient backup;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        backup = server.backup();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void regionSettingsDefaultToEverythingOptedIn() {
        var s = backup.describeRegionSettings(b -> { });
        assertThat(s.resourceTypeOptInPreference()).containsEntry("EC2", true).containsEntry("EBS", true);
        assertThat(s.resourceTypeManagementPreference()).containsEntry("DynamoDB", false);
        backup.updateRegionSettings(b -> b.resourceTypeOptInPreference(Map.of("RDS", false)));
        assertThat(backup.describeRegionSettings(b -> { }).resourceTypeOptInPreference()).containsEntry("RDS", false)
                .containsEntry("EC2", true);
        assertAwsError(() -> backup.updateRegionSettings(b -> b.resourceTypeOptInPreference(Map.of("Floppy", true))),
                "InvalidParameterValueException", 400);
    }

    @Test
    void globalSettings() {
        assertThat(backup.describeGlobalSettings(b -> { }).globalSettings()).containsEntry("isCrossAccountBackupEnabled", "false");
        backup.updateGlobalSettings(b -> b.globalSettings(Map.of("isCrossAccountBackupEnabled", "true")));
        var s = backup.describeGlobalSettings(b -> { });
        assertThat(s.globalSettings()).containsEntry("isCrossAccountBackupEnabled", "true");
        assertThat(s.lastUpdateTime()).isNotNull();
        assertAwsError(() -> backup.updateGlobalSettings(b -> b.globalSettings(Map.of("isCrossAccountBackupEnabled",
                "yes"))), "InvalidParameterValueException", 400);
    }

    @Test
    void supportedResourceTypes() {
        assertThat(backup.getSupportedResourceTypes(b -> { }).resourceTypes()).contains("EC2", "EBS");
    }

    @Test
    void plansSelectionsAndSettingsSurviveARestart() {
        String vault = vault(backup);
        var created = backup.createBackupPlan(b -> b.backupPlan(plan(unique("durable"), dailyRule(vault)))
                .backupPlanTags(Map.of("owner", "ops")));
        String role = Fixtures.backupRole(server.iam());
        String selection = backup.createBackupSelection(b -> b.backupPlanId(created.backupPlanId())
                .backupSelection(s -> s.selectionName("all").iamRoleArn(role).resources("*"))).selectionId();
        var planBefore = backup.getBackupPlan(b -> b.backupPlanId(created.backupPlanId()));
        var selectionBefore = backup.getBackupSelection(b -> b.backupPlanId(created.backupPlanId()).selectionId(selection));
        backup.updateRegionSettings(b -> b.resourceTypeOptInPreference(Map.of("S3", false)));

        server.restart();

        assertThat(backup.getBackupPlan(b -> b.backupPlanId(created.backupPlanId())).equalsBySdkFields(planBefore))
                .isTrue();
        assertThat(backup.getBackupSelection(b -> b.backupPlanId(created.backupPlanId()).selectionId(selection))
                .equalsBySdkFields(selectionBefore)).isTrue();
        assertThat(backup.listTags(b -> b.resourceArn(created.backupPlanArn())).tags()).containsEntry("owner", "ops");
        assertThat(backup.describeRegionSettings(b -> { }).resourceTypeOptInPreference()).containsEntry("S3", false);
        assertThat(server.iam().getRole(b -> b.roleName(role.substring(role.lastIndexOf('/') + 1))).role().arn())
                .isEqualTo(role);
    }

    @Test
    void selectionCreateIsIdempotent() {
        String vault = vault(backup);
        String planId = backup.createBackupPlan(b -> b.backupPlan(plan(unique("p"), dailyRule(vault)))).backupPlanId();
        String role = Fixtures.backupRole(server.iam());
        var first = backup.createBackupSelection(b -> b.backupPlanId(planId).creatorRequestId("sel-1")
                .backupSelection(s -> s.selectionName("s").iamRoleArn(role).resources("*")));
        var again = backup.createBackupSelection(b -> b.backupPlanId(planId).creatorRequestId("sel-1")
                .backupSelection(s -> s.selectionName("s").iamRoleArn(role).resources("*")));
        assertThat(again.selectionId()).isEqualTo(first.selectionId());
        assertAwsError(() -> backup.createBackupSelection(b -> b.backupPlanId(planId).creatorRequestId("sel-2")
                .backupSelection(s -> s.selectionName("s").iamRoleArn(role).resources("*"))), "AlreadyExistsException", 400);
    }
}
