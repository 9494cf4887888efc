package io.lifeboat.wire;

import static io.lifeboat.testing.AwsErrors.assertAwsError;
import static io.lifeboat.testing.Fixtures.dailyRule;
import static io.lifeboat.testing.Fixtures.plan;
import static io.lifeboat.testing.Fixtures.unique;
import static io.lifeboat.testing.Fixtures.vault;
import static org.assertj.core.api.Assertions.assertThat;

import io.lifeboat.testing.Fixtures;
import io.lifeboat.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.backup.BackupClient;
import software.amazon.awssdk.services.backup.model.BackupSelection;
import software.amazon.awssdk.services.backup.model.Condition;
import software.amazon.awssdk.services.backup.model.ConditionParameter;
import software.amazon.awssdk.services.backup.model.ConditionType;
import software.amazon.awssdk.services.backup.model.Conditions;

class SelectionWireTest {
    static TestServer server;
    static BackupClient backup;
    static String planId;
    static String role;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        backup = server.backup();
        planId = backup.createBackupPlan(b -> b.backupPlan(plan(unique("p"), dailyRule(vault(backup))))).backupPlanId();
        role = Fixtures.backupRole(server.iam());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static Condition backupTag() {
        return Condition.builder().conditionType(ConditionType.STRINGEQUALS).conditionKey("Backup")
                .conditionValue("true").build();
    }

    @Test
    void tutorialSelectionRoundTrip() {
        var created = backup.createBackupSelection(b -> b.backupPlanId(planId).backupSelection(s -> s
                .selectionName("tagged-ec2-instances").iamRoleArn(role).listOfTags(backupTag())));
        assertThat(created.backupPlanId()).isEqualTo(planId);
        assertThat(created.selectionId()).matches("[0-9a-f-]{36}");
        var got = backup.getBackupSelection(b -> b.backupPlanId(planId).selectionId(created.selectionId()));
        BackupSelection s = got.backupSelection();
        assertThat(s.selectionName()).isEqualTo("tagged-ec2-instances");
        assertThat(s.iamRoleArn()).isEqualTo(role);
        assertThat(s.listOfTags()).containsExactly(backupTag());
        assertThat(s.hasResources()).isFalse();
        assertThat(s.notResources()).isEmpty();
        assertThat(s.conditions().stringEquals()).isEmpty();
        assertThat(s.conditions().stringNotLike()).isEmpty();
        assertThat(got.creationDate()).isEqualTo(created.creationDate());
        assertThat(backup.listBackupSelections(b -> b.backupPlanId(planId)).backupSelectionsList())
                .anyMatch(m -> m.selectionId().equals(created.selectionId()) && m.iamRoleArn().equals(role));
    }

    @Test
    void conditionsAndResourcesAreKept() {
        Conditions conditions = Conditions.builder()
                .stringEquals(ConditionParameter.builder().conditionKey("aws:ResourceTag/env").conditionValue("prod").build())
                .stringLike(ConditionParameter.builder().conditionKey("aws:ResourceTag/app").conditionValue("web*").build())
                .build();
        var id = backup.createBackupSelection(b -> b.backupPlanId(planId).backupSelection(s -> s.selectionName(unique("c"))
                .iamRoleArn(role).resources("arn:aws:ec2:*:*:instance/*")
                .notResources("arn:aws:ec2:us-east-1:123456789012:instance/i-0123456789abcdef0")
                .conditions(conditions))).selectionId();
        BackupSelection s = backup.getBackupSelection(b -> b.backupPlanId(planId).selectionId(id)).backupSelection();
        assertThat(s.resources()).containsExactly("arn:aws:ec2:*:*:instance/*");
        assertThat(s.notResources()).hasSize(1);
        assertThat(s.conditions().stringEquals()).isEqualTo(conditions.stringEquals());
        assertThat(s.conditions().stringLike()).isEqualTo(conditions.stringLike());
        assertThat(s.conditions().stringNotEquals()).isEmpty();
    }

    @Test
    void invalidSelectionsAreRefused() {
        assertAwsError(() -> backup.createBackupSelection(b -> b.backupPlanId(planId).backupSelection(s -> s
                .selectionName("empty").iamRoleArn(role))), "InvalidParameterValueException", 400)
                .awsErrorDetails().errorMessage().contains("Either 'ListOfTags' or 'Resources'");
        String untrusted = server.iam().createRole(b -> b.roleName(unique("NoTrust")).assumeRolePolicyDocument(
                Fixtures.TRUST_BACKUP.replace("backup.amazonaws.com", "ec2.amazonaws.com"))).role().arn();
        assertThat(assertAwsError(() -> backup.createBackupSelection(b -> b.backupPlanId(planId).backupSelection(s -> s
                .selectionName("untrusted").iamRoleArn(untrusted).listOfTags(backupTag()))),
                "InvalidParameterValueException", 400).awsErrorDetails().errorMessage()).contains("cannot be assumed");
        assertAwsError(() -> backup.createBackupSelection(b -> b.backupPlanId(planId).backupSelection(s -> s
                .selectionName("missing-role").iamRoleArn("arn:aws:iam::123456789012:role/Nope")
                .listOfTags(backupTag()))), "InvalidParameterValueException", 400);
        assertAwsError(() -> backup.createBackupSelection(b -> b.backupPlanId("00000000-0000-0000-0000-000000000000")
                .backupSelection(s -> s.selectionName("x").iamRoleArn(role).listOfTags(backupTag()))),
                "ResourceNotFoundException", 400);
        assertAwsError(() -> backup.createBackupSelection(b -> b.backupPlanId(planId).backupSelection(s -> s
                .selectionName("bad name!").iamRoleArn(role).listOfTags(backupTag()))),
                "InvalidParameterValueException", 400);
        assertAwsError(() -> backup.getBackupSelection(b -> b.backupPlanId(planId)
                .selectionId("00000000-0000-0000-0000-000000000000")), "ResourceNotFoundException", 400);
    }

    @Test
    void deleteRemovesTheSelection() {
        String id = backup.createBackupSelection(b -> b.backupPlanId(planId).backupSelection(s -> s
                .selectionName(unique("d")).iamRoleArn(role).resources("*"))).selectionId();
        backup.deleteBackupSelection(b -> b.backupPlanId(planId).selectionId(id));
        assertAwsError(() -> backup.getBackupSelection(b -> b.backupPlanId(planId).selectionId(id)),
                "ResourceNotFoundException", 400);
        assertAwsError(() -> backup.deleteBackupSelection(b -> b.backupPlanId(planId).selectionId(id)),
                "ResourceNotFoundException", 400);
    }
}
