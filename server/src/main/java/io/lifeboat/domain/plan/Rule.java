package io.lifeboat.domain.plan;

import java.util.List;
import java.util.Map;

/**
 * One rule of a plan. Members the client did not send stay null so the plan reads back exactly
 * as written (Terraform compares); {@link #effectiveStartWindowMinutes()} and friends give AWS's defaults.
 */
public record Rule(String ruleId, String ruleName, String targetBackupVaultName, String scheduleExpression,
                   String scheduleExpressionTimezone, Long startWindowMinutes, Long completionWindowMinutes,
                   Lifecycle lifecycle, Map<String, String> recoveryPointTags, List<CopyAction> copyActions,
                   Boolean enableContinuousBackup, List<List<String>> indexActions) {

    public static final String DEFAULT_SCHEDULE = "cron(0 5 ? * * *)";
    public static final long DEFAULT_START_WINDOW = 480;
    public static final long DEFAULT_COMPLETION_WINDOW = 10080;

    public String effectiveSchedule() {
        return scheduleExpression == null ? DEFAULT_SCHEDULE : scheduleExpression;
    }

    public String effectiveTimezone() {
        return scheduleExpressionTimezone == null ? "Etc/UTC" : scheduleExpressionTimezone;
    }

    public long effectiveStartWindowMinutes() {
        return startWindowMinutes == null ? DEFAULT_START_WINDOW : startWindowMinutes;
    }

    public long effectiveCompletionWindowMinutes() {
        return completionWindowMinutes == null ? DEFAULT_COMPLETION_WINDOW : completionWindowMinutes;
    }
}
