package io.lifeboat.domain.job;

/** The plan rule that made a scheduled job (absent for on-demand jobs). */
public record CreatedBy(String backupPlanId, String backupPlanArn, String backupPlanName, String backupPlanVersion,
                        String backupRuleId, String backupRuleName, String backupRuleCron,
                        String backupRuleTimezone) {
}
