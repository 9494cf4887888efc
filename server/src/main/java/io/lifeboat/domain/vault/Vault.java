package io.lifeboat.domain.vault;

import java.time.Instant;
import java.util.List;

/**
 * A backup vault. {@code lock} is null until a lock configuration is put; {@code lockDate} null in
 * a lock means governance mode (removable), set means compliance mode (immutable after that date).
 */
public record Vault(String name, String arn, Instant created, String creatorRequestId, String encryptionKeyArn,
                    String encryptionKeyType, Lock lock, String accessPolicy, Notifications notifications) {

    public record Lock(Long minRetentionDays, Long maxRetentionDays, Instant lockDate) {
    }

    public record Notifications(String snsTopicArn, List<String> events) {
    }

    Vault withLock(Lock l) {
        return new Vault(name, arn, created, creatorRequestId, encryptionKeyArn, encryptionKeyType, l, accessPolicy,
                notifications);
    }

    Vault withAccessPolicy(String p) {
        return new Vault(name, arn, created, creatorRequestId, encryptionKeyArn, encryptionKeyType, lock, p,
                notifications);
    }

    Vault withNotifications(Notifications n) {
        return new Vault(name, arn, created, creatorRequestId, encryptionKeyArn, encryptionKeyType, lock, accessPolicy,
                n);
    }

    /** True once a compliance-mode lock has passed its cooling-off date. */
    public boolean lockImmutable(Instant now) {
        return lock != null && lock.lockDate() != null && !now.isBefore(lock.lockDate());
    }
}
