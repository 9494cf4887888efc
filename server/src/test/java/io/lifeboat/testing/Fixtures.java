package io.lifeboat.testing;

import java.util.UUID;
import software.amazon.awssdk.services.backup.BackupClient;
import software.amazon.awssdk.services.backup.model.BackupPlanInput;
import software.amazon.awssdk.services.backup.model.BackupRuleInput;
import software.amazon.awssdk.services.backup.model.Lifecycle;
import software.amazon.awssdk.services.iam.IamClient;

/** Small builders shared by the wire tests. */
public final class Fixtures {
    public static final String TRUST_BACKUP = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
            + "\"Principal\":{\"Service\":\"backup.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}";

    private Fixtures() {
    }

    public static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    public static String vault(BackupClient backup) {
        String name = unique("vault");
        backup.createBackupVault(b -> b.backupVaultName(name));
        return name;
    }

    public static BackupRuleInput dailyRule(String vault) {
        return BackupRuleInput.builder().ruleName("DailyBackup").targetBackupVaultName(vault)
                .scheduleExpression("cron(0 5 ? * * *)").startWindowMinutes(60L).completionWindowMinutes(180L)
                .lifecycle(Lifecycle.builder().deleteAfterDays(35L).build()).build();
    }

    public static BackupPlanInput plan(String name, BackupRuleInput... rules) {
        return BackupPlanInput.builder().backupPlanName(name).rules(rules).build();
    }

    /** A role that backup.amazonaws.com may assume; returns its ARN. */
    public static String backupRole(IamClient iam) {
        String name = unique("AWSBackupRole");
        return iam.createRole(b -> b.roleName(name).assumeRolePolicyDocument(TRUST_BACKUP)).role().arn();
    }
}
