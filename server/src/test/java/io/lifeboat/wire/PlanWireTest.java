package io.lifeboat.wire;

import static io.lifeboat.testing.AwsErrors.assertAwsError;
import static io.lifeboat.testing.Fixtures.dailyRule;
import static io.lifeboat.testing.Fixtures.plan;
import static io.lifeboat.testing.Fixtures.unique;
import static io.lifeboat.testing.Fixtures.vault;
import static org.assertj.core.api.Assertions.assertThat;

import io.lifeboat.testing.Fixtures;
import io.lifeboat.testing.TestServer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.backup.BackupClient;
import software.amazon.awssdk.services.backup.model.AdvancedBackupSetting;
import software.amazon.awssdk.services.backup.model.BackupPlanInput;
import software.amazon.awssdk.services.backup.model.BackupPlansListMember;
import software.amazon.awssdk.services.backup.model.BackupRule;
import software.amazon.awssdk.services.backup.model.BackupRuleInput;
import software.amazon.awssdk.services.backup.model.CopyAction;
import software.amazon.awssdk.services.backup.model.CreateBackupPlanResponse;
import software.amazon.awssdk.services.backup.model.GetBackupPlanResponse;
import software.amazon.awssdk.services.backup.model.Lifecycle;

class PlanWireTest {
    static TestServer server;
    static BackupClient backup;
    static String vault;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        backup = server.backup();
        vault = vault(backup);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static BackupRuleInput monthly(String vault) {
        return BackupRuleInput.builder().ruleName("MonthlyBackup").targetBackupVaultName(vault)
                .scheduleExpression("cron(0 5 1 * ? *)").startWindowMinutes(60L).completionWindowMinutes(360L)
                .lifecycle(Lifecycle.builder().moveToColdStorageAfterDays(30L).deleteAfterDays(365L).build()).build();
    }

    @Test
    void tutorialPlanReadsBackExactlyAsWritten() {
        String name = unique("ec2-daily-monthly");
        CreateBackupPlanResponse created = backup.createBackupPlan(b -> b.backupPlan(plan(name, dailyRule(vault),
                monthly(vault))).backupPlanTags(Map.of("team", "ops")));
        assertThat(created.backupPlanId()).matches("[0-9a-f-]{36}");
        assertThat(created.backupPlanArn()).isEqualTo("arn:aws:backup:us-east-1:123456789012:backup-plan:"
                + created.backupPlanId());
        assertThat(created.versionId()).hasSize(48);

        GetBackupPlanResponse got = backup.getBackupPlan(b -> b.backupPlanId(created.backupPlanId()));
        assertThat(got.versionId()).isEqualTo(created.versionId());
        assertThat(got.creationDate()).isEqualTo(created.creationDate());
        assertThat(got.backupPlan().backupPlanName()).isEqualTo(name);
        List<BackupRule> rules = got.backupPlan().rules();
        assertThat(rules).hasSize(2);
        BackupRule daily = rules.get(0);
        assertThat(daily.ruleName()).isEqualTo("DailyBackup");
        assertThat(daily.ruleId()).matches("[0-9a-f-]{36}");
        assertThat(daily.scheduleExpression()).isEqualTo("cron(0 5 ? * * *)");
        assertThat(daily.startWindowMinutes()).isEqualTo(60L);
        assertThat(daily.completionWindowMinutes()).isEqualTo(180L);
        assertThat(daily.lifecycle().deleteAfterDays()).isEqualTo(35L);
        assertThat(daily.lifecycle().moveToColdStorageAfterDays()).isNull();
        assertThat(daily.hasCopyActions()).isFalse();
        assertThat(daily.hasRecoveryPointTags()).isFalse();
        assertThat(rules.get(1).lifecycle().moveToColdStorageAfterDays()).isEqualTo(30L);
        assertThat(backup.listTags(b -> b.resourceArn(created.backupPlanArn())).tags()).isEqualTo(Map.of("team", "ops"));
    }

    @Test
    void defaultsAreFilledAsAwsDoes() {
        String name = unique("defaults");
        BackupRuleInput bare = BackupRuleInput.builder().ruleName("r").targetBackupVaultName(vault).build();
        String id = backup.createBackupPlan(b -> b.backupPlan(plan(name, bare))).backupPlanId();
        BackupRule rule = backup.getBackupPlan(b -> b.backupPlanId(id)).backupPlan().rules().get(0);
        assertThat(rule.scheduleExpression()).isEqualTo("cron(0 5 ? * * *)");
        assertThat(rule.startWindowMinutes()).isEqualTo(480L);
        assertThat(rule.completionWindowMinutes()).isEqualTo(10080L);
        assertThat(rule.lifecycle()).isNull();
    }

    @Test
    void updateMakesANewVersionAndKeepsTheOld() {
        String name = unique("versions");
        CreateBackupPlanResponse created = backup.createBackupPlan(b -> b.backupPlan(plan(name, dailyRule(vault),
                monthly(vault))));
        BackupRuleInput withCopy = dailyRule(vault).toBuilder().ruleName("DailyWithCrossRegionCopy")
                .copyActions(CopyAction.builder()
                        .destinationBackupVaultArn("arn:aws:backup:us-west-2:123456789012:backup-vault:ec2-backups-dr")
                        .lifecycle(Lifecycle.builder().deleteAfterDays(35L).build()).build()).build();
        var updated = backup.updateBackupPlan(b -> b.backupPlanId(created.backupPlanId()).backupPlan(plan(name, withCopy)));
        assertThat(updated.backupPlanId()).isEqualTo(created.backupPlanId());
        assertThat(updated.backupPlanArn()).isEqualTo(created.backupPlanArn());
        assertThat(updated.versionId()).isNotEqualTo(created.versionId());

        GetBackupPlanResponse now = backup.getBackupPlan(b -> b.backupPlanId(created.backupPlanId()));
        assertThat(now.backupPlan().rules()).hasSize(1);
        assertThat(now.backupPlan().rules().get(0).copyActions().get(0).destinationBackupVaultArn())
                .isEqualTo("arn:aws:backup:us-west-2:123456789012:backup-vault:ec2-backups-dr");
        GetBackupPlanResponse old = backup.getBackupPlan(b -> b.backupPlanId(created.backupPlanId())
                .versionId(created.versionId()));
        assertThat(old.backupPlan().rules()).hasSize(2);
        assertThat(backup.listBackupPlanVersions(b -> b.backupPlanId(created.backupPlanId())).backupPlanVersionsList())
                .extracting(BackupPlansListMember::versionId).containsExactly(created.versionId(), updated.versionId());
        assertAwsError(() -> backup.getBackupPlan(b -> b.backupPlanId(created.backupPlanId()).versionId("bogus")),
                "ResourceNotFoundException", 400);
    }

    @Test
    void deleteNeedsNoSelectionsAndHidesThePlan() {
        String name = unique("deleted");
        String id = backup.createBackupPlan(b -> b.backupPlan(plan(name, dailyRule(vault)))).backupPlanId();
        String role = Fixtures.backupRole(server.iam());
        String selection = backup.createBackupSelection(b -> b.backupPlanId(id).backupSelection(s -> s
                .selectionName("all").iamRoleArn(role).resources("*"))).selectionId();
        assertThat(assertAwsError(() -> backup.deleteBackupPlan(b -> b.backupPlanId(id)), "InvalidRequestException", 400)
                .awsErrorDetails().errorMessage()).contains("Related backup plan selections must be deleted");
        backup.deleteBackupSelection(b -> b.backupPlanId(id).selectionId(selection));
        var deleted = backup.deleteBackupPlan(b -> b.backupPlanId(id));
        assertThat(deleted.deletionDate()).isNotNull();
        assertAwsError(() -> backup.getBackupPlan(b -> b.backupPlanId(id)), "ResourceNotFoundException", 400);
        assertThat(backup.listBackupPlansPaginator(b -> b.maxResults(50)).backupPlansList())
                .noneMatch(p -> p.backupPlanId().equals(id));
        assertThat(backup.listBackupPlansPaginator(b -> b.includeDeleted(true)).backupPlansList())
                .anyMatch(p -> p.backupPlanId().equals(id) && p.deletionDate() != null);
        assertAwsError(() -> backup.deleteBackupPlan(b -> b.backupPlanId(id)), "ResourceNotFoundException", 400);
    }

    @Test
    void duplicateNamesAndIdempotentRetries() {
        String name = unique("dup");
        BackupPlanInput input = plan(name, dailyRule(vault));
        var first = backup.createBackupPlan(b -> b.backupPlan(input).creatorRequestId("plan-req"));
        var retry = backup.createBackupPlan(b -> b.backupPlan(input).creatorRequestId("plan-req"));
        assertThat(retry.backupPlanId()).isEqualTo(first.backupPlanId());
        assertAwsError(() -> backup.createBackupPlan(b -> b.backupPlan(input)), "AlreadyExistsException", 400);
    }

    @Test
    void invalidPlansAreRefusedWithAwsErrors() {
        String p = unique("bad");
        assertAwsError(() -> backup.createBackupPlan(b -> b.backupPlan(plan(p, dailyRule(vault).toBuilder()
                .scheduleExpression("cron(0/30 * * * ? *)").build()))), "InvalidParameterValueException", 400);
        for (String cron : List.of("cron(0 5 * * *)", "cron(0 5 1 * MON *)", "cron(0 5 * * * *)", "0 5 ? * * *",
                "cron(60 5 ? * * *)", "cron(0 24 ? * * *)", "cron(0 5 ? * 0 *)", "rate(1 day)")) {
            assertAwsError(() -> backup.createBackupPlan(b -> b.backupPlan(plan(p, dailyRule(vault).toBuilder()
                    .scheduleExpression(cron).build()))), "InvalidParameterValueException", 400);
        }
        assertAwsError(() -> backup.createBackupPlan(b -> b.backupPlan(plan(p, dailyRule(vault).toBuilder()
                .lifecycle(Lifecycle.builder().moveToColdStorageAfterDays(30L).deleteAfterDays(100L).build()).build()))),
                "InvalidParameterValueException", 400);
        assertAwsError(() -> backup.createBackupPlan(b -> b.backupPlan(plan(p, dailyRule(vault).toBuilder()
                .lifecycle(Lifecycle.builder().deleteAfterDays(0L).build()).build()))),
                "InvalidParameterValueException", 400);
        assertAwsError(() -> backup.createBackupPlan(b -> b.backupPlan(plan(p, dailyRule(vault).toBuilder()
                .startWindowMinutes(30L).build()))), "InvalidParameterValueException", 400);
        assertAwsError(() -> backup.createBackupPlan(b -> b.backupPlan(plan(p, dailyRule("no-such-vault")))),
                "InvalidParameterValueException", 400);
        assertAwsError(() -> backup.createBackupPlan(b -> b.backupPlan(plan(p, dailyRule(vault), dailyRule(vault)))),
                "InvalidParameterValueException", 400);
        assertAwsError(() -> backup.createBackupPlan(b -> b.backupPlan(plan(p, dailyRule(vault).toBuilder()
                .copyActions(CopyAction.builder().destinationBackupVaultArn("arn:aws:s3:::bucket").build()).build()))),
                "InvalidParameterValueException", 400);
        assertAwsError(() -> backup.createBackupPlan(b -> b.backupPlan(BackupPlanInput.builder().backupPlanName(p)
                .rules(dailyRule(vault)).advancedBackupSettings(AdvancedBackupSetting.builder().resourceType("EC2")
                        .backupOptions(Map.of("WindowsVSS", "maybe")).build()).build())),
                "InvalidParameterValueException", 400);
        assertAwsError(() -> backup.getBackupPlan(b -> b.backupPlanId("00000000-0000-0000-0000-000000000000")),
                "ResourceNotFoundException", 400);
        assertThat(backup.listBackupPlansPaginator(b -> b.maxResults(50)).backupPlansList())
                .noneMatch(x -> x.backupPlanName().equals(p));
    }

    @Test
    void advancedSettingsComeBackAtTheTopLevel() {
        String name = unique("vss");
        AdvancedBackupSetting vss = AdvancedBackupSetting.builder().resourceType("EC2")
                .backupOptions(Map.of("WindowsVSS", "enabled")).build();
        var created = backup.createBackupPlan(b -> b.backupPlan(BackupPlanInput.builder().backupPlanName(name)
                .rules(dailyRule(vault)).advancedBackupSettings(vss).build()));
        assertThat(created.advancedBackupSettings()).containsExactly(vss);
        assertThat(backup.getBackupPlan(b -> b.backupPlanId(created.backupPlanId())).advancedBackupSettings())
                .containsExactly(vss);
    }

    @Test
    void scheduledRunsPreviewFollowsTheCron() {
        String id = backup.createBackupPlan(b -> b.backupPlan(plan(unique("preview"), dailyRule(vault))))
                .backupPlanId();
        var runs = backup.getBackupPlan(b -> b.backupPlanId(id).maxScheduledRunsPreview(3)).scheduledRunsPreview();
        assertThat(runs).hasSize(3);
        runs.forEach(r -> assertThat(r.executionTime().toString()).endsWith("T05:00:00Z"));
        assertThat(runs.get(0).ruleExecutionTypeAsString()).isEqualTo("SNAPSHOTS");
    }

    @Test
    void exportedTemplateJsonReadsBackAsTheSamePlan() {
        String name = unique("export");
        String id = backup.createBackupPlan(b -> b.backupPlan(plan(name, dailyRule(vault), monthly(vault)))).backupPlanId();
        String json = backup.exportBackupPlanTemplate(b -> b.backupPlanId(id)).backupPlanTemplateJson();
        assertThat(json).contains("\"BackupPlanName\":\"" + name + "\"").contains("\"DeleteAfterDays\":365");
        var fromJson = backup.getBackupPlanFromJSON(b -> b.backupPlanTemplateJson(json)).backupPlan();
        var stored = backup.getBackupPlan(b -> b.backupPlanId(id)).backupPlan();
        assertThat(fromJson.backupPlanName()).isEqualTo(name);
        assertThat(fromJson.rules()).hasSize(2);
        for (int i = 0; i < 2; i++) {
            assertThat(fromJson.rules().get(i).toBuilder().ruleId(null).build())
                    .isEqualTo(stored.rules().get(i).toBuilder().ruleId(null).build());
        }
        assertAwsError(() -> backup.getBackupPlanFromJSON(b -> b.backupPlanTemplateJson("{not json")),
                "InvalidParameterValueException", 400);
        assertAwsError(() -> backup.getBackupPlanFromJSON(b -> b.backupPlanTemplateJson(
                "{\"BackupPlanName\":\"x\",\"Rules\":[{\"RuleName\":\"r\",\"TargetBackupVaultName\":\"" + vault
                        + "\",\"ScheduleExpression\":\"cron(0 5 * * *)\"}]}")), "InvalidParameterValueException", 400);
        assertAwsError(() -> backup.exportBackupPlanTemplate(b -> b.backupPlanId("00000000-0000-0000-0000-000000000000")),
                "ResourceNotFoundException", 400);
    }

    @Test
    void builtInTemplates() {
        var templates = backup.listBackupPlanTemplates().backupPlanTemplatesList();
        assertThat(templates).extracting(t -> t.backupPlanTemplateName()).contains("Daily-35day-Retention");
        String id = templates.stream().filter(t -> t.backupPlanTemplateName().equals("Daily-35day-Retention"))
                .findFirst().orElseThrow().backupPlanTemplateId();
        var doc = backup.getBackupPlanFromTemplate(b -> b.backupPlanTemplateId(id)).backupPlanDocument();
        assertThat(doc.rules().get(0).scheduleExpression()).isEqualTo("cron(0 5 ? * * *)");
        assertThat(doc.rules().get(0).startWindowMinutes()).isEqualTo(480L);
        assertThat(doc.rules().get(0).lifecycle().deleteAfterDays()).isEqualTo(35L);
        assertAwsError(() -> backup.getBackupPlanFromTemplate(b -> b.backupPlanTemplateId("nope")),
                "ResourceNotFoundException", 400);
    }
}
