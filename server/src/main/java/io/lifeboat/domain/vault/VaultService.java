package io.lifeboat.domain.vault;

import io.lifeboat.domain.Arns;
import io.lifeboat.domain.DomainException;
import io.lifeboat.domain.Paging;
import io.lifeboat.domain.Quotas;
import io.lifeboat.domain.Scope;
import io.lifeboat.domain.catalog.Catalog;
import io.lifeboat.domain.catalog.Kind;
import io.lifeboat.domain.catalog.Page;
import io.lifeboat.domain.kms.KmsService;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Backup vaults: creation with idempotency, encryption keys (the region's aws/backup key unless a
 * customer key is named), access policies, notifications and vault lock. A vault is deleted only
 * when it holds no recovery points.
 */
public final class VaultService {
    public static final Kind<Vault> VAULT = new Kind<>("backup-vault", Vault.class);
    /** Recovery points are listed under their vault name; the kind is shared with the job engine. */
    public static final String RECOVERY_POINT_KIND = "recovery-point";
    private static final Kind<Object> RECOVERY_POINT = new Kind<>(RECOVERY_POINT_KIND, Object.class);

    private final Catalog catalog;
    private final KmsService kms;
    private final Clock clock;
    private final int maxVaults;

    public VaultService(Catalog catalog, KmsService kms, Clock clock, Quotas quotas) {
        this.catalog = catalog;
        this.kms = kms;
        this.clock = clock;
        this.maxVaults = quotas.vaultsPerRegion();
    }

    public Vault create(Scope scope, String name, Map<String, String> tags, String encryptionKeyArn,
                        String creatorRequestId) {
        Optional<Vault> existing = catalog.get(VAULT, scope.key(), name);
        if (existing.isPresent()) {
            return sameRequestOrConflict(existing.get(), creatorRequestId);
        }
        String keyArn;
        String keyType;
        if (encryptionKeyArn == null) {
            keyArn = kms.backupDefaultKeyArn(scope);
            keyType = "AWS_OWNED_KMS_KEY";
        } else {
            keyArn = kms.requireUsableKeyArn(scope, encryptionKeyArn);
            keyType = "CUSTOMER_MANAGED_KMS_KEY";
        }
        Vault vault = new Vault(name, Arns.backupVault(scope, name), clock.instant(), creatorRequestId, keyArn, keyType,
                null, null, null);
        try {
            catalog.transaction(() -> {
                catalog.insert(VAULT, scope.key(), name, "", name, vault.created(), vault);
                if (tags != null && !tags.isEmpty()) {
                    catalog.putTags(vault.arn(), tags);
                }
                // last, so the region's counter row stays locked only until the commit
                if (!catalog.reserve(VAULT, scope.key(), maxVaults)) {
                    throw new DomainException(DomainException.Kind.LIMIT_EXCEEDED,
                            "Maximum number of backup vaults (" + maxVaults + ") reached in this region.");
                }
                return null;
            });
        } catch (Catalog.Duplicate raced) {
            return sameRequestOrConflict(catalog.get(VAULT, scope.key(), name).orElseThrow(() -> raced),
                    creatorRequestId);
        }
        return vault;
    }

    private static Vault sameRequestOrConflict(Vault existing, String creatorRequestId) {
        if (creatorRequestId != null && creatorRequestId.equals(existing.creatorRequestId())) {
            return existing;
        }
        Map<String, String> fields = existing.creatorRequestId() == null ? Map.of("Arn", existing.arn())
                : Map.of("Arn", existing.arn(), "CreatorRequestId", existing.creatorRequestId());
        throw new DomainException(DomainException.Kind.ALREADY_EXISTS,
                "Backup vault with the same name already exists", fields);
    }

    public Vault get(Scope scope, String name) {
        return catalog.get(VAULT, scope.key(), name).orElseThrow(() -> notFound(name));
    }

    public Optional<Vault> find(Scope scope, String name) {
        return catalog.get(VAULT, scope.key(), name);
    }

    static DomainException notFound(String name) {
        return DomainException.notFound("Backup vault " + name + " does not exist.");
    }

    public Page<Vault> list(Scope scope, String nextToken, Integer maxResults) {
        Page<Vault> page = catalog.list(VAULT, scope.key(), "", Paging.after("vaults", nextToken),
                Paging.limit(maxResults, 1000));
        return new Page<>(page.items(), Paging.token("vaults", page.nextSortKey()));
    }

    /** Recovery points per vault name, in one query, for listings. */
    public Map<String, Long> recoveryPointCounts(Scope scope) {
        return catalog.countByParent(RECOVERY_POINT, scope.key());
    }

    public long recoveryPointCount(Scope scope, String vaultName) {
        return catalog.count(RECOVERY_POINT, scope.key(), vaultName);
    }

    public void delete(Scope scope, String name) {
        catalog.transaction(() -> {
            Vault vault = get(scope, name);
            if (recoveryPointCount(scope, name) > 0) {
                throw DomainException.invalidRequest(
                        "Backup vault cannot be deleted because it contains recovery points.");
            }
            if (vault.lockImmutable(clock.instant())) {
                throw DomainException.invalidRequest("Backup vault " + name
                        + " is locked in compliance mode and cannot be deleted.");
            }
            catalog.delete(VAULT, scope.key(), name);
            catalog.release(VAULT, scope.key());
            catalog.dropTags(vault.arn());
            return null;
        });
    }

    public Vault putAccessPolicy(Scope scope, String name, String policy) {
        return update(scope, name, v -> v.withAccessPolicy(policy));
    }

    public String accessPolicy(Scope scope, String name) {
        Vault v = get(scope, name);
        if (v.accessPolicy() == null) {
            throw DomainException.notFound("Backup vault " + name + " has no access policy.");
        }
        return v.accessPolicy();
    }

    public Vault deleteAccessPolicy(Scope scope, String name) {
        return update(scope, name, v -> v.withAccessPolicy(null));
    }

    public Vault putNotifications(Scope scope, String name, String topicArn, List<String> events) {
        if (Arns.parse(topicArn) == null || !"sns".equals(Arns.parse(topicArn).service())) {
            throw DomainException.invalid("SNSTopicArn " + topicArn + " is not a valid SNS topic ARN.");
        }
        return update(scope, name, v -> v.withNotifications(new Vault.Notifications(topicArn, List.copyOf(events))));
    }

    public Vault.Notifications notifications(Scope scope, String name) {
        Vault v = get(scope, name);
        if (v.notifications() == null) {
            throw DomainException.notFound("Backup vault " + name + " has no notification configuration.");
        }
        return v.notifications();
    }

    public Vault deleteNotifications(Scope scope, String name) {
        return update(scope, name, v -> v.withNotifications(null));
    }

    /**
     * Puts a lock. Governance mode without {@code changeableForDays}; compliance mode with it, which
     * fixes the lock date. Once that date passes, the lock can be neither changed nor removed.
     */
    public Vault putLock(Scope scope, String name, Long minDays, Long maxDays, Long changeableForDays) {
        if (minDays != null && (minDays < 1 || minDays > 36500)) {
            throw DomainException.invalid("MinRetentionDays must be between 1 and 36500.");
        }
        if (maxDays != null && (maxDays < 1 || maxDays > 36500)) {
            throw DomainException.invalid("MaxRetentionDays must be between 1 and 36500.");
        }
        if (minDays != null && maxDays != null && minDays > maxDays) {
            throw DomainException.invalid("MinRetentionDays cannot be greater than MaxRetentionDays.");
        }
        if (changeableForDays != null && (changeableForDays < 3 || changeableForDays > 36500)) {
            throw DomainException.invalid("ChangeableForDays must be between 3 and 36500.");
        }
        Instant now = clock.instant();
        Instant lockDate = changeableForDays == null ? null : now.plus(Duration.ofDays(changeableForDays));
        return update(scope, name, v -> {
            requireChangeableLock(v, now);
            return v.withLock(new Vault.Lock(minDays, maxDays, lockDate));
        });
    }

    public Vault deleteLock(Scope scope, String name) {
        Instant now = clock.instant();
        return update(scope, name, v -> {
            requireChangeableLock(v, now);
            return v.withLock(null);
        });
    }

    private static void requireChangeableLock(Vault v, Instant now) {
        if (v.lockImmutable(now)) {
            throw DomainException.invalidRequest("Backup vault " + v.name()
                    + " is locked in compliance mode; its lock configuration can no longer be changed.");
        }
    }

    private Vault update(Scope scope, String name, UnaryOperator<Vault> change) {
        return catalog.transaction(() -> {
            Vault updated = change.apply(get(scope, name));
            catalog.update(VAULT, scope.key(), name, updated);
            return updated;
        });
    }
}
