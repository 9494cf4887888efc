package io.lifeboat.wire;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lifeboat.testing.Fixtures;
import io.lifeboat.testing.RawClient;
import io.lifeboat.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The request bodies the Terraform AWS provider sends for aws_backup_plan and aws_backup_selection
 * (every rule field spelled out, empty collections for what is unused), and the read-back it compares.
 */
class TerraformShapesTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static TestServer server;
    static RawClient raw;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        raw = new RawClient(server);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void planAndSelectionRoundTripAsTerraformWritesThem() throws Exception {
        String vault = Fixtures.vault(server.backup());
        RawClient.Response created = raw.signed("backup", "PUT", "/backup/plans/", "application/json", """
                {"BackupPlan":{"BackupPlanName":"tf-plan","Rules":[{"RuleName":"daily",
                 "TargetBackupVaultName":"%s","ScheduleExpression":"cron(0 5 ? * * *)",
                 "ScheduleExpressionTimezone":"Etc/UTC","StartWindowMinutes":60,"CompletionWindowMinutes":180,
                 "EnableContinuousBackup":false,"Lifecycle":{"DeleteAfterDays":35},"RecoveryPointTags":{}}]},
                 "BackupPlanTags":{"env":"test"}}""".formatted(vault));
        assertThat(created.status()).as(created.body()).isEqualTo(200);
        String planId = JSON.readTree(created.body()).get("BackupPlanId").asText();

        JsonNode rule = JSON.readTree(raw.signed("backup", "GET", "/backup/plans/" + planId + "/", null, "").body())
                .get("BackupPlan").get("Rules").get(0);
        assertThat(rule.get("ScheduleExpressionTimezone").asText()).isEqualTo("Etc/UTC");
        assertThat(rule.get("StartWindowMinutes").asLong()).isEqualTo(60);
        assertThat(rule.get("CompletionWindowMinutes").asLong()).isEqualTo(180);
        assertThat(rule.get("EnableContinuousBackup").asBoolean()).isFalse();
        assertThat(rule.get("Lifecycle").toString()).isEqualTo("{\"DeleteAfterDays\":35}");
        assertThat(rule.has("CopyActions")).isFalse();

        String role = Fixtures.backupRole(server.iam());
        RawClient.Response selection = raw.signed("backup", "PUT", "/backup/plans/" + planId + "/selections/",
                "application/json", """
                {"BackupSelection":{"SelectionName":"tf-selection","IamRoleArn":"%s","Conditions":{},
                 "ListOfTags":[{"ConditionType":"STRINGEQUALS","ConditionKey":"Backup","ConditionValue":"true"}],
                 "NotResources":[],"Resources":[]}}""".formatted(role));
        assertThat(selection.status()).as(selection.body()).isEqualTo(200);
        String selectionId = JSON.readTree(selection.body()).get("SelectionId").asText();

        JsonNode got = JSON.readTree(raw.signed("backup", "GET", "/backup/plans/" + planId + "/selections/"
                + selectionId, null, "").body()).get("BackupSelection");
        assertThat(got.get("Conditions")).isEqualTo(JSON.readTree(
                "{\"StringEquals\":[],\"StringLike\":[],\"StringNotEquals\":[],\"StringNotLike\":[]}"));
        assertThat(got.get("NotResources").toString()).isEqualTo("[]");
        assertThat(got.get("ListOfTags").get(0).get("ConditionKey").asText()).isEqualTo("Backup");

        RawClient.Response deleteWhileSelected = raw.signed("backup", "DELETE", "/backup/plans/" + planId, null, "");
        assertThat(deleteWhileSelected.status()).isEqualTo(400);
        assertThat(deleteWhileSelected.body()).contains("Related backup plan selections must be deleted");
    }
}
