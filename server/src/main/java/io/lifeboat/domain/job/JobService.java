package io.lifeboat.domain.job;

import io.lifeboat.domain.Arns;
import io.lifeboat.domain.DomainException;
import io.lifeboat.domain.Ids;
import io.lifeboat.domain.Scope;
import io.lifeboat.domain.catalog.Catalog;
import io.lifeboat.domain.catalog.Kind;
import io.lifeboat.domain.catalog.Page;
import io.lifeboat.domain.compute.ComputeService;
import io.lifeboat.domain.compute.Instance;
import io.lifeboat.domain.plan.CopyAction;
import io.lifeboat.domain.plan.Lifecycle;
import io.lifeboat.domain.plan.Plan;
import io.lifeboat.domain.plan.Rule;
import io.lifeboat.domain.vault.Vault;
import io.lifeboat.domain.vault.VaultService;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Backup and restore jobs: creation (on demand, with idempotency, or from a plan rule), AWS's
 * state machine, listing with AWS's filters. Each job is stored with its work item in one
 * transaction; the engine claims the item, does the data work and reports back through the
 * transition methods here, which store the new state before anything else happens.
 */
public final class JobService {
    public static final Kind<BackupJob> BACKUP_JOB = new Kind<>("backup-job", BackupJob.class);
    public static final Kind<RestoreJob> RESTORE_JOB = new Kind<>("restore-job", RestoreJob.class);
    private static final Kind<String> TOKEN = new Kind<>("job-token", String.class);
    public static final String BACKUP_WORK = "backup";
    public static final String RESTORE_WORK = "restore";
    private static final Duration LISTED_FOR = Duration.ofDays(30);
    private static final long MIN_START_WINDOW = 60;

    private final Catalog catalog;
    private final WorkQueue work;
    private final VaultService vaults;
    private final ComputeService compute;
    private final RecoveryPointService points;
    private final Ids ids;
    private final Clock clock;

    public JobService(Catalog catalog, WorkQueue work, VaultService vaults, ComputeService compute,
                      RecoveryPointService points, Ids ids, Clock clock) {
        this.catalog = catalog;
        this.work = work;
        this.vaults = vaults;
        this.compute = compute;
        this.points = points;
        this.ids = ids;
        this.clock = clock;
    }

    /** Newest first, ties by id. */
    static String newestFirst(Instant created, String id) {
        return String.format("%015d|%s", Long.MAX_VALUE / 1000 - created.toEpochMilli(), id);
    }

    // ---- backup jobs

    /** What an on-demand StartBackupJob asks for. Windows in minutes; null for AWS's defaults. */
    public record BackupRequest(String vaultName, String resourceArn, String iamRoleArn, String idempotencyToken,
                                Long startWindowMinutes, Long completeWindowMinutes, Lifecycle lifecycle,
                                Map<String, String> recoveryPointTags) {
    }

    public BackupJob startBackup(Scope scope, BackupRequest req) {
        Optional<BackupJob> same = byToken(BACKUP_JOB, scope, req.idempotencyToken());
        if (same.isPresent()) {
            return same.get();
        }
        Vault vault = vaults.get(scope, req.vaultName());
        Instance instance = resource(scope, req.resourceArn());
        if (!Arns.isRoleArn(req.iamRoleArn())) {
            throw DomainException.invalid("Invalid IAM role ARN: " + req.iamRoleArn());
        }
        long startWindow = req.startWindowMinutes() == null ? Rule.DEFAULT_START_WINDOW : req.startWindowMinutes();
        if (startWindow < MIN_START_WINDOW) {
            throw DomainException.invalid("StartWindowMinutes must be at least " + MIN_START_WINDOW + " minutes.");
        }
        long completeWindow = req.completeWindowMinutes() == null ? Rule.DEFAULT_COMPLETION_WINDOW
                : req.completeWindowMinutes();
        if (completeWindow < startWindow + MIN_START_WINDOW) {
            throw DomainException.invalid("CompleteWindowMinutes must be at least 60 minutes greater than "
                    + "StartWindowMinutes.");
        }
        if (req.lifecycle() != null) {
            req.lifecycle().validate("");
        }
        Instant now = clock.instant();
        return create(scope, vault, instance, req.iamRoleArn(), now, now.plus(Duration.ofMinutes(startWindow)),
                now.plus(Duration.ofMinutes(completeWindow)), req.lifecycle(), req.recoveryPointTags(), null,
                req.idempotencyToken(), List.of());
    }

    /** A job for one resource of a rule that fired at {@code scheduled}. */
    public BackupJob scheduled(Scope scope, Plan plan, Rule rule, String iamRoleArn, Instance instance,
                               Instant scheduled) {
        Vault vault = vaults.find(scope, rule.targetBackupVaultName()).orElse(null);
        CreatedBy by = new CreatedBy(plan.id(), plan.arn(), plan.document().name(), plan.versionId(), rule.ruleId(),
                rule.ruleName(), rule.effectiveSchedule(), rule.effectiveTimezone());
        Instant startBy = scheduled.plus(Duration.ofMinutes(rule.effectiveStartWindowMinutes()));
        Instant completeBy = scheduled.plus(Duration.ofMinutes(rule.effectiveCompletionWindowMinutes()));
        if (vault == null) {
            // the vault went away after the plan named it: the job exists and fails, as AWS reports it
            String vaultArn = Arns.backupVault(scope, rule.targetBackupVaultName());
            BackupJob job = newJob(scope, rule.targetBackupVaultName(), vaultArn, null, instance, iamRoleArn,
                    clock.instant(), startBy, completeBy, rule.lifecycle(), rule.recoveryPointTags(), by, null,
                    rule.copyActions());
            BackupJob failed = job.with(BackupJob.State.FAILED, "Backup vault " + rule.targetBackupVaultName()
                    + " does not exist.", "InvalidParameters", clock.instant());
            catalog.insert(BACKUP_JOB, scope.key(), job.id(), "", newestFirst(job.created(), job.id()),
                    job.created(), failed);
            return failed;
        }
        return create(scope, vault, instance, iamRoleArn, clock.instant(), startBy, completeBy, rule.lifecycle(),
                rule.recoveryPointTags(), by, null, rule.copyActions());
    }

    private BackupJob create(Scope scope, Vault vault, Instance instance, String role, Instant now, Instant startBy,
                             Instant completeBy, Lifecycle lifecycle, Map<String, String> tags, CreatedBy by,
                             String token, List<CopyAction> copies) {
        BackupJob job = newJob(scope, vault.name(), vault.arn(), vault.encryptionKeyArn(), instance, role, now,
                startBy, completeBy, lifecycle, tags, by, token, copies);
        try {
            catalog.transaction(() -> {
                catalog.insert(BACKUP_JOB, scope.key(), job.id(), "", newestFirst(now, job.id()), now, job);
                if (token != null) {
                    rememberToken(BACKUP_JOB, scope, token, job.id(), now);
                }
                work.add(job.id(), BACKUP_WORK, scope.key(), now, startBy);
                return null;
            });
        } catch (Catalog.Duplicate raced) {
            return byToken(BACKUP_JOB, scope, token).orElseThrow(() -> raced);
        }
        return job;
    }

    private BackupJob newJob(Scope scope, String vaultName, String vaultArn, String keyArn, Instance instance,
                             String role, Instant now, Instant startBy, Instant completeBy, Lifecycle lifecycle,
                             Map<String, String> tags, CreatedBy by, String token,
                             List<CopyAction> copies) {
        String name = compute.tags(instance.arn()).get("Name");
        return new BackupJob(ids.uuid().toUpperCase(), scope.accountId(), scope.region(), vaultName, vaultArn,
                instance.arn(), "EC2", name, role, BackupJob.State.CREATED, null, null, now, startBy, completeBy,
                null, null, 0.0, 0, 0, null, lifecycle, tags, by, token, copies == null ? List.of() : copies, keyArn);
    }

    /** The job an idempotency token already started (tokens are per job kind and scope). */
    private <T> Optional<T> byToken(Kind<T> kind, Scope scope, String token) {
        return token == null ? Optional.empty() : catalog.get(TOKEN, scope.key(), kind.name() + "|" + token)
                .flatMap(id -> catalog.get(kind, scope.key(), id));
    }

    /** In the transaction that stores the job: a second request with the token then finds it. */
    private void rememberToken(Kind<?> kind, Scope scope, String token, String jobId, Instant now) {
        catalog.insert(TOKEN, scope.key(), kind.name() + "|" + token, "", token, now, jobId);
    }

    /** The instance an EC2 resource ARN of this account and region names. */
    public Instance resource(Scope scope, String resourceArn) {
        Arns.Parsed arn = Arns.parse(resourceArn);
        if (arn == null || !"ec2".equals(arn.service()) || !arn.resource().startsWith("instance/")) {
            throw DomainException.invalid("Invalid ResourceArn: " + resourceArn + " (Lifeboat backs up EC2 "
                    + "instances: arn:aws:ec2:REGION:ACCOUNT:instance/i-...).");
        }
        String id = arn.resource().substring("instance/".length());
        return compute.findInstance(scope, id).filter(i -> i.arn().equals(resourceArn))
                .orElseThrow(() -> DomainException.notFound("Resource " + resourceArn + " does not exist."));
    }

    public BackupJob backupJob(Scope scope, String id) {
        return catalog.get(BACKUP_JOB, scope.key(), id).orElseThrow(() -> noSuchBackupJob(id));
    }

    private static DomainException noSuchBackupJob(String id) {
        return DomainException.notFound("Backup job " + id + " does not exist.");
    }

    public Optional<BackupJob> findBackupJob(Scope scope, String id) {
        return catalog.get(BACKUP_JOB, scope.key(), id);
    }

    /** StopBackupJob: a waiting job ends ABORTED now; a running one goes ABORTING and its worker stops it. */
    public BackupJob stopBackup(Scope scope, String id) {
        return catalog.transaction(() -> {
            BackupJob stopped = changeBackup(scope, id, job -> {
                if (job.state().terminal() || job.state() == BackupJob.State.ABORTING) {
                    throw DomainException.invalidRequest("Backup job " + id + " is in state " + job.state()
                            + " and cannot be stopped.");
                }
                return job.state() == BackupJob.State.RUNNING
                        ? job.with(BackupJob.State.ABORTING, "Backup job is being stopped by user.", null, clock.instant())
                        : job.with(BackupJob.State.ABORTED, "Backup job was stopped by user.", "ABORTED", clock.instant());
            }).orElseThrow(() -> noSuchBackupJob(id));
            if (stopped.state() == BackupJob.State.ABORTED) {
                work.finish(id);
            }
            return stopped;
        });
    }

    /**
     * Changes a stored job under its row lock: the engine's progress and state changes go through
     * here so that a stop the user asked for meanwhile is never overwritten. Empty if it is gone.
     */
    public Optional<BackupJob> changeBackup(Scope scope, String id, UnaryOperator<BackupJob> change) {
        return catalog.modify(BACKUP_JOB, scope.key(), id, change);
    }

    /** Stores a new state of a job; the engine's way to report. */
    public BackupJob save(Scope scope, BackupJob job) {
        catalog.update(BACKUP_JOB, scope.key(), job.id(), job);
        return job;
    }

    /** Ends a job: its state and message stored and its work item gone, in one transaction. */
    public BackupJob end(Scope scope, BackupJob job, BackupJob.State state, String message, String category) {
        return catalog.transaction(() -> {
            BackupJob ended = save(scope, job.with(state, message, category, clock.instant()));
            work.finish(job.id());
            return ended;
        });
    }

    /** AWS's filters of ListBackupJobs (ANDed); null members do not filter. */
    public record BackupJobFilter(String state, String resourceArn, String vaultName, Instant createdBefore,
                                  Instant createdAfter, Instant completeBefore, Instant completeAfter,
                                  String resourceType, String accountId, String messageCategory,
                                  String parentJobId) {

        boolean test(BackupJob j) {
            return (state == null || j.state().name().equals(state))
                    && (resourceArn == null || resourceArn.equals(j.resourceArn()))
                    && (vaultName == null || vaultName.equals(j.vaultName()))
                    && (createdBefore == null || j.created().isBefore(createdBefore))
                    && (createdAfter == null || j.created().isAfter(createdAfter))
                    && (completeBefore == null || (j.completed() != null && j.completed().isBefore(completeBefore)))
                    && (completeAfter == null || (j.completed() != null && j.completed().isAfter(completeAfter)))
                    && (resourceType == null || resourceType.equals(j.resourceType()))
                    && (accountId == null || "*".equals(accountId) || accountId.equals(j.accountId()))
                    && (messageCategory == null || "ANY".equals(messageCategory)
                    || messageCategory.equals(j.messageCategory()))
                    && parentJobId == null; // no job here is a composite's child
        }
    }

    public Page<BackupJob> listBackupJobs(Scope scope, BackupJobFilter filter, String nextToken, Integer maxResults) {
        Instant since = clock.instant().minus(LISTED_FOR);
        // newest first, so the scan ends at the first job older than AWS's 30 days
        return Listing.filtered(catalog, BACKUP_JOB, scope, "", "backup-jobs", filter::test,
                j -> j.created().isBefore(since), j -> newestFirst(j.created(), j.id()), nextToken, maxResults);
    }

    // ---- restore jobs

    public record RestoreRequest(String recoveryPointArn, Map<String, String> metadata, String iamRoleArn,
                                 String idempotencyToken, String resourceType) {
    }

    public RestoreJob startRestore(Scope scope, RestoreRequest req) {
        Optional<RestoreJob> same = byToken(RESTORE_JOB, scope, req.idempotencyToken());
        if (same.isPresent()) {
            return same.get();
        }
        RecoveryPoint point = points.byArn(scope, req.recoveryPointArn());
        if (point.status() != RecoveryPoint.Status.COMPLETED) {
            throw new DomainException(DomainException.Kind.INVALID_STATE, "Recovery point "
                    + req.recoveryPointArn() + " is in state " + point.status() + " and cannot be restored.");
        }
        if (req.resourceType() != null && !req.resourceType().equals(point.resourceType())) {
            throw DomainException.invalid("ResourceType " + req.resourceType() + " does not match the recovery "
                    + "point's resource type " + point.resourceType() + ".");
        }
        RestoreMetadata.validate(req.metadata());
        if (req.iamRoleArn() != null && !Arns.isRoleArn(req.iamRoleArn())) {
            throw DomainException.invalid("Invalid IAM role ARN: " + req.iamRoleArn());
        }
        Instant now = clock.instant();
        RestoreJob job = new RestoreJob(ids.uuid().toUpperCase(), scope.accountId(), scope.region(), point.arn(),
                point.vaultArn(), point.resourceArn(), point.resourceType(), req.iamRoleArn(),
                Map.copyOf(req.metadata()), RestoreJob.Status.PENDING, null, now, null, 0.0,
                point.backupSizeInBytes(), null, point.created(), req.idempotencyToken());
        try {
            catalog.transaction(() -> {
                catalog.insert(RESTORE_JOB, scope.key(), job.id(), "", newestFirst(now, job.id()), now, job);
                if (req.idempotencyToken() != null) {
                    rememberToken(RESTORE_JOB, scope, req.idempotencyToken(), job.id(), now);
                }
                work.add(job.id(), RESTORE_WORK, scope.key(), now, null);
                return null;
            });
        } catch (Catalog.Duplicate raced) {
            return byToken(RESTORE_JOB, scope, req.idempotencyToken()).orElseThrow(() -> raced);
        }
        return job;
    }

    public RestoreJob restoreJob(Scope scope, String id) {
        return catalog.get(RESTORE_JOB, scope.key(), id).orElseThrow(() ->
                DomainException.notFound("Restore job " + id + " does not exist."));
    }

    public RestoreJob save(Scope scope, RestoreJob job) {
        catalog.update(RESTORE_JOB, scope.key(), job.id(), job);
        return job;
    }

    public RestoreJob end(Scope scope, RestoreJob job, RestoreJob.Status status, String message) {
        return catalog.transaction(() -> {
            RestoreJob ended = save(scope, job.with(status, message, clock.instant()));
            work.finish(job.id());
            return ended;
        });
    }

    public record RestoreJobFilter(String status, String accountId, Instant createdBefore, Instant createdAfter,
                                   Instant completeBefore, Instant completeAfter, String resourceType,
                                   String sourceResourceArn) {
        boolean test(RestoreJob j) {
            return (status == null || j.status().name().equals(status))
                    && (accountId == null || "*".equals(accountId) || accountId.equals(j.accountId()))
                    && (createdBefore == null || j.created().isBefore(createdBefore))
                    && (createdAfter == null || j.created().isAfter(createdAfter))
                    && (completeBefore == null || (j.completed() != null && j.completed().isBefore(completeBefore)))
                    && (completeAfter == null || (j.completed() != null && j.completed().isAfter(completeAfter)))
                    && (resourceType == null || resourceType.equals(j.resourceType()))
                    && (sourceResourceArn == null || sourceResourceArn.equals(j.sourceResourceArn()));
        }
    }

    public Page<RestoreJob> listRestoreJobs(Scope scope, RestoreJobFilter filter, String nextToken,
                                            Integer maxResults) {
        Instant since = clock.instant().minus(LISTED_FOR);
        return Listing.filtered(catalog, RESTORE_JOB, scope, "", "restore-jobs", filter::test,
                j -> j.created().isBefore(since), j -> newestFirst(j.created(), j.id()), nextToken, maxResults);
    }

    /** Backup jobs of AWS's last 30 days counted by day, state, resource type and message category. */
    public List<JobSummary> backupJobSummaries(Scope scope, String state, String resourceType) {
        Instant since = clock.instant().minus(LISTED_FOR);
        return JobSummary.of(Listing.until(catalog, BACKUP_JOB, scope, "", j -> j.created().isBefore(since)), state,
                resourceType, j -> j.state().name(), BackupJob::resourceType, BackupJob::messageCategory,
                BackupJob::created);
    }

    public List<JobSummary> restoreJobSummaries(Scope scope, String state, String resourceType) {
        return JobSummary.of(recentRestoreJobs(scope), state, resourceType, j -> j.status().name(),
                RestoreJob::resourceType, j -> null, RestoreJob::created);
    }

    /** Restore jobs of AWS's last 30 days, newest first. */
    public List<RestoreJob> recentRestoreJobs(Scope scope) {
        Instant since = clock.instant().minus(LISTED_FOR);
        return Listing.until(catalog, RESTORE_JOB, scope, "", j -> j.created().isBefore(since));
    }
}
