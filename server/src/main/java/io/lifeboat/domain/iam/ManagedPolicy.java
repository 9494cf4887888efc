package io.lifeboat.domain.iam;

import java.time.Instant;
import java.util.List;

/**
 * AWS managed policies that exist in every account under their real ARNs. Only their names and
 * whether they grant backup or restore matter to Lifeboat; the documents are not reproduced.
 */
public record ManagedPolicy(String name, String arn, String path, String policyId, Instant created,
                            boolean grantsBackup, boolean grantsRestore) {

    private static final Instant PUBLISHED = Instant.parse("2019-01-15T00:00:00Z");

    public static final List<ManagedPolicy> ALL = List.of(
            aws("AWSBackupServiceRolePolicyForBackup", "/service-role/", "ANPAJZFG7ZXHM4RQ4OCA4", true, false),
            aws("AWSBackupServiceRolePolicyForRestores", "/service-role/", "ANPAJZCLV6OQEXZJ2V4QM", false, true),
            aws("AWSBackupFullAccess", "/", "ANPAJQJ4FZKDQ2AQIY3UK", true, true),
            aws("AWSBackupOperatorAccess", "/", "ANPAJKTQSMQUTRY4EBZKM", true, true),
            aws("AWSBackupServiceRolePolicyForS3Backup", "/", "ANPAZKAPJZG4LYKLU7XEJ", true, false),
            aws("AWSBackupServiceRolePolicyForS3Restore", "/", "ANPAZKAPJZG4BXZNO6B4B", false, true),
            aws("AdministratorAccess", "/", "ANPAIWMBCKSKIEE64ZLYK", true, true));

    private static ManagedPolicy aws(String name, String path, String id, boolean backup, boolean restore) {
        return new ManagedPolicy(name, "arn:aws:iam::aws:policy" + path + name, path, id, PUBLISHED, backup, restore);
    }

    public static ManagedPolicy find(String arn) {
        for (ManagedPolicy p : ALL) {
            if (p.arn().equals(arn)) {
                return p;
            }
        }
        return null;
    }
}
