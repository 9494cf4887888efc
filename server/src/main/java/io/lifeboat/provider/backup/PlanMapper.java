package io.lifeboat.provider.backup;

import io.lifeboat.domain.plan.CopyAction;
import io.lifeboat.domain.plan.Lifecycle;
import io.lifeboat.domain.plan.PlanDocument;
import io.lifeboat.domain.plan.Rule;
import io.lifeboat.domain.plan.Selection;
import java.util.List;
import java.util.function.Function;
import software.amazon.awssdk.services.backup.model.AdvancedBackupSetting;
import software.amazon.awssdk.services.backup.model.BackupPlan;
import software.amazon.awssdk.services.backup.model.BackupPlanInput;
import software.amazon.awssdk.services.backup.model.BackupRule;
import software.amazon.awssdk.services.backup.model.BackupRuleInput;
import software.amazon.awssdk.services.backup.model.BackupSelection;
import software.amazon.awssdk.services.backup.model.Condition;
import software.amazon.awssdk.services.backup.model.ConditionParameter;
import software.amazon.awssdk.services.backup.model.Conditions;
import software.amazon.awssdk.services.backup.model.IndexAction;

/**
 * Plan and selection documents between SDK shapes and domain records. What the client did not
 * send maps to null and back to absent, so a plan reads back exactly as written.
 */
final class PlanMapper {
    private PlanMapper() {
    }

    static PlanDocument toDomain(BackupPlanInput in) {
        List<Rule> rules = in.hasRules() ? in.rules().stream().map(PlanMapper::rule).toList() : List.of();
        List<PlanDocument.AdvancedSetting> advanced = in.hasAdvancedBackupSettings()
                ? in.advancedBackupSettings().stream().map(a -> new PlanDocument.AdvancedSetting(a.resourceType(),
                        a.hasBackupOptions() ? a.backupOptions() : null)).toList()
                : null;
        return new PlanDocument(in.backupPlanName(), rules, advanced);
    }

    private static Rule rule(BackupRuleInput r) {
        return new Rule(null, r.ruleName(), r.targetBackupVaultName(), r.scheduleExpression(),
                r.scheduleExpressionTimezone(), r.startWindowMinutes(), r.completionWindowMinutes(),
                lifecycle(r.lifecycle()), r.hasRecoveryPointTags() ? r.recoveryPointTags() : null,
                r.hasCopyActions() ? r.copyActions().stream().map(c -> new CopyAction(c.destinationBackupVaultArn(),
                        lifecycle(c.lifecycle()))).toList() : null,
                r.enableContinuousBackup(),
                r.hasIndexActions() ? r.indexActions().stream().map(IndexAction::resourceTypes).toList() : null);
    }

    static Lifecycle lifecycle(software.amazon.awssdk.services.backup.model.Lifecycle l) {
        return l == null ? null : new Lifecycle(l.moveToColdStorageAfterDays(), l.deleteAfterDays(),
                l.optInToArchiveForSupportedResources(), l.deleteAfterEventAsString());
    }

    static software.amazon.awssdk.services.backup.model.Lifecycle toSdk(Lifecycle l) {
        return l == null ? null : software.amazon.awssdk.services.backup.model.Lifecycle.builder()
                .moveToColdStorageAfterDays(l.moveToColdStorageAfterDays()).deleteAfterDays(l.deleteAfterDays())
                .optInToArchiveForSupportedResources(l.optInToArchiveForSupportedResources())
                .deleteAfterEvent(l.deleteAfterEvent()).build();
    }

    static BackupPlan toSdk(PlanDocument doc) {
        return BackupPlan.builder().backupPlanName(doc.name())
                .rules(doc.rules().stream().map(PlanMapper::toSdk).toList())
                .advancedBackupSettings(advanced(doc))
                .build();
    }

    static List<AdvancedBackupSetting> advanced(PlanDocument doc) {
        return doc.advancedSettings() == null ? null : doc.advancedSettings().stream()
                .map(a -> AdvancedBackupSetting.builder().resourceType(a.resourceType()).backupOptions(a.backupOptions())
                        .build()).toList();
    }

    private static BackupRule toSdk(Rule r) {
        return BackupRule.builder().ruleId(r.ruleId()).ruleName(r.ruleName())
                .targetBackupVaultName(r.targetBackupVaultName())
                .scheduleExpression(r.effectiveSchedule())
                .scheduleExpressionTimezone(r.scheduleExpressionTimezone())
                .startWindowMinutes(r.effectiveStartWindowMinutes())
                .completionWindowMinutes(r.effectiveCompletionWindowMinutes())
                .lifecycle(toSdk(r.lifecycle()))
                .recoveryPointTags(r.recoveryPointTags())
                .copyActions(r.copyActions() == null ? null : r.copyActions().stream()
                        .map(c -> software.amazon.awssdk.services.backup.model.CopyAction.builder()
                                .destinationBackupVaultArn(c.destinationBackupVaultArn())
                                .lifecycle(toSdk(c.lifecycle())).build()).toList())
                .enableContinuousBackup(r.enableContinuousBackup())
                .indexActions(r.indexActions() == null ? null : r.indexActions().stream()
                        .map(t -> IndexAction.builder().resourceTypes(t).build()).toList())
                .build();
    }

    static Selection toDomain(BackupSelection s, String creatorRequestId) {
        Conditions c = s.conditions();
        Selection.Conditions conditions = c == null ? null : new Selection.Conditions(
                params(c.hasStringEquals(), c.stringEquals()), params(c.hasStringNotEquals(), c.stringNotEquals()),
                params(c.hasStringLike(), c.stringLike()), params(c.hasStringNotLike(), c.stringNotLike()));
        return new Selection(null, null, s.selectionName(), s.iamRoleArn(),
                s.hasResources() ? s.resources() : null, s.hasNotResources() ? s.notResources() : null,
                s.hasListOfTags() ? s.listOfTags().stream().map(t -> new Selection.TagCondition(
                        t.conditionTypeAsString(), t.conditionKey(), t.conditionValue())).toList() : null,
                conditions, null, creatorRequestId);
    }

    private static List<Selection.TagCondition> params(boolean present, List<ConditionParameter> list) {
        return present ? list.stream().map(p -> new Selection.TagCondition(null, p.conditionKey(), p.conditionValue()))
                .toList() : null;
    }

    /** As AWS returns it: Conditions always with its four lists, NotResources always a list. */
    static BackupSelection toSdk(Selection s) {
        Selection.Conditions c = s.conditions();
        Function<List<Selection.TagCondition>, List<ConditionParameter>> params = l -> l == null ? List.of()
                : l.stream().map(p -> ConditionParameter.builder().conditionKey(p.key()).conditionValue(p.value())
                        .build()).toList();
        return BackupSelection.builder().selectionName(s.name()).iamRoleArn(s.iamRoleArn())
                .resources(s.resources())
                .notResources(s.notResources() == null ? List.of() : s.notResources())
                .listOfTags(s.listOfTags() == null ? null : s.listOfTags().stream().map(t -> Condition.builder()
                        .conditionType(t.type()).conditionKey(t.key()).conditionValue(t.value()).build()).toList())
                .conditions(Conditions.builder()
                        .stringEquals(params.apply(c == null ? null : c.stringEquals()))
                        .stringNotEquals(params.apply(c == null ? null : c.stringNotEquals()))
                        .stringLike(params.apply(c == null ? null : c.stringLike()))
                        .stringNotLike(params.apply(c == null ? null : c.stringNotLike())).build())
                .build();
    }
}
