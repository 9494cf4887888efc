package io.lifeboat.domain.job;

import io.lifeboat.domain.DomainException;
import io.lifeboat.domain.Scope;
import io.lifeboat.domain.catalog.Catalog;
import io.lifeboat.domain.catalog.Kind;
import io.lifeboat.domain.catalog.Page;
import io.lifeboat.domain.plan.Lifecycle;
import io.lifeboat.domain.vault.Vault;
import io.lifeboat.domain.vault.VaultService;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Recovery points: listed under their vault (which counts them) and, through a second record,
 * under their resource. Lifecycle deadlines are work items, so the engine moves points to cold
 * storage and deletes them on the clock. Deleting a point marks it DELETING; the engine removes
 * its data and then the record.
 */
public final class RecoveryPointService {
    public static final Kind<RecoveryPoint> POINT = new Kind<>(VaultService.RECOVERY_POINT_KIND, RecoveryPoint.class);
    /** A point filed under its resource's ARN, for listings by resource. */
    public record PointRef(String arn, Instant created) {
    }

    private static final Kind<PointRef> BY_RESOURCE = new Kind<>("resource-point", PointRef.class);
    public static final String COLD_WORK = "point-cold";
    public static final String DELETE_WORK = "point-delete";

    private final Catalog catalog;
    private final WorkQueue work;
    private final VaultService vaults;
    private final Clock clock;

    public RecoveryPointService(Catalog catalog, WorkQueue work, VaultService vaults, Clock clock) {
        this.catalog = catalog;
        this.work = work;
        this.vaults = vaults;
        this.clock = clock;
    }

    private static String sortKey(RecoveryPoint p) {
        return JobService.newestFirst(p.created(), p.arn());
    }

    /** A point in CREATING for a running job (never listed as COMPLETED until {@link #complete}). */
    public RecoveryPoint create(Scope scope, RecoveryPoint point) {
        catalog.transaction(() -> {
            catalog.insert(POINT, scope.key(), point.arn(), point.vaultName(), sortKey(point), point.created(), point);
            catalog.insert(BY_RESOURCE, scope.key(), point.arn(), point.resourceArn(), sortKey(point),
                    point.created(), new PointRef(point.arn(), point.created()));
            return null;
        });
        return point;
    }

    /** The point is whole: COMPLETED, with its lifecycle deadlines queued. */
    public RecoveryPoint complete(Scope scope, RecoveryPoint point) {
        return catalog.transaction(() -> {
            catalog.update(POINT, scope.key(), point.arn(), point);
            schedule(scope, point);
            return point;
        });
    }

    private void schedule(Scope scope, RecoveryPoint p) {
        work.finish(COLD_WORK + "|" + p.arn());
        work.finish(DELETE_WORK + "|" + p.arn());
        if (p.moveToColdAt() != null && "WARM".equals(p.storageClass())) {
            work.add(COLD_WORK + "|" + p.arn(), COLD_WORK, scope.key(), p.moveToColdAt(), null);
        }
        if (p.deleteAt() != null) {
            work.add(DELETE_WORK + "|" + p.arn(), DELETE_WORK, scope.key(), p.deleteAt(), null);
        }
    }

    /** Removes the record of a point whose data is gone (or was never whole). */
    public void remove(Scope scope, RecoveryPoint point) {
        catalog.transaction(() -> {
            catalog.delete(POINT, scope.key(), point.arn());
            catalog.delete(BY_RESOURCE, scope.key(), point.arn());
            catalog.dropTags(point.arn());
            work.finish(COLD_WORK + "|" + point.arn());
            work.finish(DELETE_WORK + "|" + point.arn());
            return null;
        });
    }

    public RecoveryPoint save(Scope scope, RecoveryPoint point) {
        catalog.update(POINT, scope.key(), point.arn(), point);
        return point;
    }

    public Optional<RecoveryPoint> find(Scope scope, String arn) {
        return catalog.get(POINT, scope.key(), arn);
    }

    public RecoveryPoint byArn(Scope scope, String arn) {
        return find(scope, arn).orElseThrow(() -> notFound(arn));
    }

    private static DomainException notFound(String arn) {
        return DomainException.notFound("Recovery point " + arn + " does not exist.");
    }

    /** A point of a named vault (the vault must exist and hold it). */
    public RecoveryPoint get(Scope scope, String vaultName, String arn) {
        vaults.get(scope, vaultName);
        return find(scope, arn).filter(p -> p.vaultName().equals(vaultName)).orElseThrow(() -> notFound(arn));
    }

    /** DeleteRecoveryPoint: the point goes DELETING now and the engine removes it. */
    public void delete(Scope scope, String vaultName, String arn) {
        catalog.transaction(() -> {
            RecoveryPoint p = get(scope, vaultName, arn);
            if (p.status() == RecoveryPoint.Status.CREATING || p.status() == RecoveryPoint.Status.DELETING) {
                throw new DomainException(DomainException.Kind.INVALID_STATE, "Recovery point " + arn
                        + " is in state " + p.status() + " and cannot be deleted now.");
            }
            Vault vault = vaults.get(scope, vaultName);
            if (vault.lock() != null && vault.lock().minRetentionDays() != null
                    && p.created().plus(Duration.ofDays(vault.lock().minRetentionDays()))
                    .isAfter(clock.instant())) {
                throw DomainException.invalidRequest("Recovery point " + arn + " cannot be deleted: backup vault "
                        + vaultName + " is locked with a minimum retention of " + vault.lock().minRetentionDays()
                        + " days.");
            }
            markDeleting(scope, p);
            return null;
        });
    }

    /** Puts a point on the way out: DELETING, with its deletion due now. */
    public RecoveryPoint markDeleting(Scope scope, RecoveryPoint p) {
        return catalog.transaction(() -> {
            RecoveryPoint deleting = save(scope, p.with(RecoveryPoint.Status.DELETING, null));
            work.finish(COLD_WORK + "|" + p.arn());
            work.finish(DELETE_WORK + "|" + p.arn());
            work.add(DELETE_WORK + "|" + p.arn(), DELETE_WORK, scope.key(), clock.instant(), null);
            return deleting;
        });
    }

    /** UpdateRecoveryPointLifecycle: the whole lifecycle is replaced; the cold setting freezes once cold. */
    public RecoveryPoint updateLifecycle(Scope scope, String vaultName, String arn, Lifecycle lifecycle) {
        Lifecycle l = lifecycle == null ? new Lifecycle(null, null, null, null) : lifecycle;
        l.validate("");
        return catalog.transaction(() -> {
            RecoveryPoint p = get(scope, vaultName, arn);
            if (p.status() != RecoveryPoint.Status.COMPLETED) {
                throw DomainException.invalidRequest("Recovery point " + arn + " is in state " + p.status()
                        + "; its lifecycle cannot be changed.");
            }
            Lifecycle next = l;
            if ("COLD".equals(p.storageClass()) && p.lifecycle() != null) {
                if (l.moveToColdStorageAfterDays() != null && !l.moveToColdStorageAfterDays()
                        .equals(p.lifecycle().moveToColdStorageAfterDays())) {
                    throw DomainException.invalidRequest("MoveToColdStorageAfterDays cannot be changed once the "
                            + "recovery point is in cold storage.");
                }
                next = new Lifecycle(p.lifecycle().moveToColdStorageAfterDays(), l.deleteAfterDays(),
                        l.optInToArchiveForSupportedResources(), l.deleteAfterEvent());
            }
            Vault vault = vaults.get(scope, vaultName);
            if (vault.lock() != null && next.deleteAfterDays() != null) {
                if (vault.lock().minRetentionDays() != null && next.deleteAfterDays() < vault.lock().minRetentionDays()
                        || vault.lock().maxRetentionDays() != null
                        && next.deleteAfterDays() > vault.lock().maxRetentionDays()) {
                    throw DomainException.invalidRequest("The lifecycle is outside the retention bounds of backup "
                            + "vault " + vaultName + "'s lock.");
                }
            }
            RecoveryPoint updated = save(scope, p.withLifecycle(next));
            schedule(scope, updated);
            return updated;
        });
    }

    /** ListRecoveryPointsByBackupVault's filters. */
    public record VaultFilter(String resourceArn, String resourceType, String backupPlanId, Instant createdBefore,
                              Instant createdAfter, String parentRecoveryPointArn) {
        boolean test(RecoveryPoint p) {
            return (resourceArn == null || resourceArn.equals(p.resourceArn()))
                    && (resourceType == null || resourceType.equals(p.resourceType()))
                    && (backupPlanId == null || (p.createdBy() != null
                    && backupPlanId.equals(p.createdBy().backupPlanId())))
                    && (createdBefore == null || p.created().isBefore(createdBefore))
                    && (createdAfter == null || p.created().isAfter(createdAfter))
                    && parentRecoveryPointArn == null;
        }
    }

    public Page<RecoveryPoint> listByVault(Scope scope, String vaultName, VaultFilter filter, String token,
                                           Integer max) {
        vaults.get(scope, vaultName);
        return Listing.filtered(catalog, POINT, scope, vaultName, "points", filter::test,
                RecoveryPointService::sortKey, token, max);
    }

    public Page<RecoveryPoint> listByResource(Scope scope, String resourceArn, String token, Integer max) {
        Page<PointRef> refs = Listing.filtered(catalog, BY_RESOURCE, scope, resourceArn, "resource-points",
                r -> true, r -> JobService.newestFirst(r.created(), r.arn()), token, max);
        List<RecoveryPoint> items = new ArrayList<>();
        refs.items().forEach(r -> find(scope, r.arn()).ifPresent(items::add));
        return new Page<>(items, refs.nextSortKey());
    }

    /** Every point of a scope, vault by vault. */
    public List<RecoveryPoint> all(Scope scope) {
        List<RecoveryPoint> out = new ArrayList<>();
        for (String vault : vaults.recoveryPointCounts(scope).keySet()) {
            out.addAll(Page.drain(after -> catalog.list(POINT, scope.key(), vault, after, 500)));
        }
        return out;
    }

    /** The newest completed warm point of a resource in a vault, whose volumes a new backup builds on. */
    public Optional<RecoveryPoint> latestCompleted(Scope scope, String vaultName, String resourceArn) {
        // the resource's own listing, newest first: usually its first entry (a vault-wide scan grew with the vault)
        String after = null;
        do {
            Page<PointRef> refs = catalog.list(BY_RESOURCE, scope.key(), resourceArn, after, 20);
            for (PointRef r : refs.items()) {
                Optional<RecoveryPoint> p = find(scope, r.arn()).filter(x -> x.vaultName().equals(vaultName)
                        && x.status() == RecoveryPoint.Status.COMPLETED && "WARM".equals(x.storageClass()));
                if (p.isPresent()) {
                    return p;
                }
            }
            after = refs.nextSortKey();
        } while (after != null);
        return Optional.empty();
    }

    /** Protected resources: those with at least one point, with their latest point. */
    public Map<String, RecoveryPoint> latestByResource(Scope scope) {
        Map<String, RecoveryPoint> latest = new LinkedHashMap<>();
        for (RecoveryPoint p : all(scope)) {
            if (p.status() == RecoveryPoint.Status.COMPLETED) {
                latest.merge(p.resourceArn(), p, (a, b) -> a.created().isAfter(b.created()) ? a : b);
            }
        }
        return latest;
    }
}
