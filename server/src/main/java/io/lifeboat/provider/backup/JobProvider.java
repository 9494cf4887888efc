package io.lifeboat.provider.backup;

import io.lifeboat.domain.DomainException;
import io.lifeboat.domain.Scope;
import io.lifeboat.domain.catalog.Page;
import io.lifeboat.domain.job.BackupJob;
import io.lifeboat.domain.job.CreatedBy;
import io.lifeboat.domain.job.JobService;
import io.lifeboat.domain.job.RecoveryPoint;
import io.lifeboat.domain.job.RecoveryPointService;
import io.lifeboat.domain.job.RestoreJob;
import io.lifeboat.domain.vault.Vault;
import io.lifeboat.domain.vault.VaultService;
import io.lifeboat.provider.RequestContext;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import software.amazon.awssdk.services.backup.model.*;

/** Backup and restore jobs, recovery points and protected resources. */
public final class JobProvider {
    private final JobService jobs;
    private final RecoveryPointService points;
    private final VaultService vaults;

    public JobProvider(JobService jobs, RecoveryPointService points, VaultService vaults) {
        this.jobs = jobs;
        this.points = points;
        this.vaults = vaults;
    }

    private static Scope scope(RequestContext ctx) {
        return VaultProvider.scope(ctx);
    }

    private static String percent(double p) {
        return String.format(Locale.ROOT, "%.1f", p);
    }

    private static RecoveryPointCreator creator(CreatedBy c) {
        return c == null ? null : RecoveryPointCreator.builder().backupPlanId(c.backupPlanId())
                .backupPlanArn(c.backupPlanArn()).backupPlanName(c.backupPlanName())
                .backupPlanVersion(c.backupPlanVersion()).backupRuleId(c.backupRuleId())
                .backupRuleName(c.backupRuleName()).backupRuleCron(c.backupRuleCron())
                .backupRuleTimezone(c.backupRuleTimezone()).build();
    }

    // ---- backup jobs

    public StartBackupJobResponse startBackupJob(RequestContext ctx, StartBackupJobRequest req) {
        BackupJob job = jobs.startBackup(scope(ctx), new JobService.BackupRequest(req.backupVaultName(),
                req.resourceArn(), req.iamRoleArn(), req.idempotencyToken(), req.startWindowMinutes(),
                req.completeWindowMinutes(), req.lifecycle() == null ? null : PlanMapper.lifecycle(req.lifecycle()),
                req.hasRecoveryPointTags() ? req.recoveryPointTags() : null));
        return StartBackupJobResponse.builder().backupJobId(job.id()).recoveryPointArn(job.recoveryPointArn())
                .creationDate(job.created()).isParent(false).build();
    }

    public DescribeBackupJobResponse describeBackupJob(RequestContext ctx, DescribeBackupJobRequest req) {
        BackupJob j = jobs.backupJob(scope(ctx), req.backupJobId());
        return DescribeBackupJobResponse.builder().accountId(j.accountId()).backupJobId(j.id())
                .backupVaultName(j.vaultName()).backupVaultArn(j.vaultArn()).vaultType("BACKUP_VAULT")
                .recoveryPointArn(j.recoveryPointArn()).resourceArn(j.resourceArn()).creationDate(j.created())
                .completionDate(j.completed()).state(j.state().name()).statusMessage(j.statusMessage())
                .percentDone(percent(j.percentDone())).backupSizeInBytes(j.backupSizeInBytes())
                .iamRoleArn(j.iamRoleArn()).createdBy(creator(j.createdBy())).resourceType(j.resourceType())
                .bytesTransferred(j.bytesTransferred()).expectedCompletionDate(j.completeBy()).startBy(j.startBy())
                .isParent(false).numberOfChildJobs(0L).resourceName(j.resourceName())
                .initiationDate(j.started()).messageCategory(j.messageCategory())
                .encryptionKeyArn(j.encryptionKeyArn()).isEncrypted(true).build();
    }

    private static software.amazon.awssdk.services.backup.model.BackupJob listItem(BackupJob j) {
        return software.amazon.awssdk.services.backup.model.BackupJob.builder().accountId(j.accountId())
                .backupJobId(j.id()).backupVaultName(j.vaultName()).backupVaultArn(j.vaultArn())
                .vaultType("BACKUP_VAULT").recoveryPointArn(j.recoveryPointArn()).resourceArn(j.resourceArn())
                .creationDate(j.created()).completionDate(j.completed()).state(j.state().name())
                .statusMessage(j.statusMessage()).percentDone(percent(j.percentDone()))
                .backupSizeInBytes(j.backupSizeInBytes()).iamRoleArn(j.iamRoleArn()).createdBy(creator(j.createdBy()))
                .expectedCompletionDate(j.completeBy()).startBy(j.startBy()).resourceType(j.resourceType())
                .bytesTransferred(j.bytesTransferred()).isParent(false)
                .resourceName(j.resourceName()).initiationDate(j.started()).messageCategory(j.messageCategory())
                .encryptionKeyArn(j.encryptionKeyArn()).isEncrypted(true).build();
    }

    public ListBackupJobsResponse listBackupJobs(RequestContext ctx, ListBackupJobsRequest req) {
        Page<BackupJob> page = jobs.listBackupJobs(scope(ctx), new JobService.BackupJobFilter(req.byStateAsString(),
                req.byResourceArn(), req.byBackupVaultName(), req.byCreatedBefore(), req.byCreatedAfter(),
                req.byCompleteBefore(), req.byCompleteAfter(), req.byResourceType(), req.byAccountId(),
                req.byMessageCategory(), req.byParentJobId()), req.nextToken(), req.maxResults());
        return ListBackupJobsResponse.builder().backupJobs(page.items().stream().map(JobProvider::listItem).toList())
                .nextToken(page.nextSortKey()).build();
    }

    public StopBackupJobResponse stopBackupJob(RequestContext ctx, StopBackupJobRequest req) {
        jobs.stopBackup(scope(ctx), req.backupJobId());
        return StopBackupJobResponse.builder().build();
    }

    private static String period(String requested) {
        return requested == null ? "ONE_DAY" : requested;
    }

    public ListBackupJobSummariesResponse listBackupJobSummaries(RequestContext ctx,
                                                                 ListBackupJobSummariesRequest req) {
        return ListBackupJobSummariesResponse.builder().aggregationPeriod(period(req.aggregationPeriodAsString()))
                .backupJobSummaries(jobs.backupJobSummaries(scope(ctx), req.stateAsString(), req.resourceType())
                        .stream().map(s -> BackupJobSummary.builder().region(ctx.region()).accountId(ctx.accountId())
                                .state(s.state()).resourceType(s.resourceType()).messageCategory(s.messageCategory())
                                .count(s.count()).startTime(s.startTime()).endTime(s.endTime()).build()).toList())
                .build();
    }

    public ListRestoreJobSummariesResponse listRestoreJobSummaries(RequestContext ctx,
                                                                   ListRestoreJobSummariesRequest req) {
        return ListRestoreJobSummariesResponse.builder().aggregationPeriod(period(req.aggregationPeriodAsString()))
                .restoreJobSummaries(jobs.restoreJobSummaries(scope(ctx), req.stateAsString(), req.resourceType())
                        .stream().map(s -> RestoreJobSummary.builder().region(ctx.region()).accountId(ctx.accountId())
                                .state(s.state()).resourceType(s.resourceType()).count(s.count())
                                .startTime(s.startTime()).endTime(s.endTime()).build()).toList())
                .build();
    }

    // ---- recovery points

    private static CalculatedLifecycle calculated(RecoveryPoint p) {
        return p.lifecycle() == null ? null : CalculatedLifecycle.builder().moveToColdStorageAt(p.moveToColdAt())
                .deleteAt(p.deleteAt()).build();
    }

    public DescribeRecoveryPointResponse describeRecoveryPoint(RequestContext ctx, DescribeRecoveryPointRequest req) {
        RecoveryPoint p = points.get(scope(ctx), req.backupVaultName(), req.recoveryPointArn());
        return DescribeRecoveryPointResponse.builder().recoveryPointArn(p.arn()).backupVaultName(p.vaultName())
                .backupVaultArn(p.vaultArn()).sourceBackupVaultArn(p.sourceBackupVaultArn())
                .resourceArn(p.resourceArn()).resourceType(p.resourceType()).createdBy(creator(p.createdBy()))
                .iamRoleArn(p.iamRoleArn()).status(p.status().name()).statusMessage(p.statusMessage())
                .creationDate(p.created()).initiationDate(p.created()).completionDate(p.completed())
                .backupSizeInBytes(p.backupSizeInBytes()).calculatedLifecycle(calculated(p))
                .lifecycle(p.lifecycle() == null ? null : PlanMapper.toSdk(p.lifecycle()))
                .encryptionKeyArn(p.encryptionKeyArn()).isEncrypted(true).storageClass(p.storageClass())
                .lastRestoreTime(p.lastRestoreTime()).isParent(false).resourceName(p.resourceName())
                .vaultType("BACKUP_VAULT").encryptionKeyType(keyTypes(ctx).apply(p)).build();
    }

    /** Points' vaults' key types for one response: each vault read once, not once per point. */
    private Function<RecoveryPoint, String> keyTypes(RequestContext ctx) {
        Map<String, String> byVault = new HashMap<>();
        return p -> byVault.computeIfAbsent(p.vaultName(), v -> vaults.find(scope(ctx), v)
                .map(Vault::encryptionKeyType).orElse(null));
    }

    public ListRecoveryPointsByBackupVaultResponse listRecoveryPointsByBackupVault(
            RequestContext ctx, ListRecoveryPointsByBackupVaultRequest req) {
        Page<RecoveryPoint> page = points.listByVault(scope(ctx), req.backupVaultName(),
                new RecoveryPointService.VaultFilter(req.byResourceArn(), req.byResourceType(), req.byBackupPlanId(),
                        req.byCreatedBefore(), req.byCreatedAfter(), req.byParentRecoveryPointArn()),
                req.nextToken(), req.maxResults());
        var keyType = keyTypes(ctx);
        return ListRecoveryPointsByBackupVaultResponse.builder().recoveryPoints(page.items().stream().map(p ->
                RecoveryPointByBackupVault.builder().recoveryPointArn(p.arn()).backupVaultName(p.vaultName())
                        .backupVaultArn(p.vaultArn()).sourceBackupVaultArn(p.sourceBackupVaultArn())
                        .resourceArn(p.resourceArn()).resourceType(p.resourceType()).createdBy(creator(p.createdBy()))
                        .iamRoleArn(p.iamRoleArn()).status(p.status().name()).statusMessage(p.statusMessage())
                        .creationDate(p.created()).initiationDate(p.created()).completionDate(p.completed())
                        .backupSizeInBytes(p.backupSizeInBytes()).calculatedLifecycle(calculated(p))
                        .lifecycle(p.lifecycle() == null ? null : PlanMapper.toSdk(p.lifecycle()))
                        .encryptionKeyArn(p.encryptionKeyArn()).isEncrypted(true).lastRestoreTime(p.lastRestoreTime())
                        .isParent(false).resourceName(p.resourceName()).vaultType("BACKUP_VAULT")
                        .encryptionKeyType(keyType.apply(p)).build()).toList())
                .nextToken(page.nextSortKey()).build();
    }

    public ListRecoveryPointsByResourceResponse listRecoveryPointsByResource(
            RequestContext ctx, ListRecoveryPointsByResourceRequest req) {
        Page<RecoveryPoint> page = points.listByResource(scope(ctx), req.resourceArn(), req.nextToken(),
                req.maxResults());
        var keyType = keyTypes(ctx);
        return ListRecoveryPointsByResourceResponse.builder().recoveryPoints(page.items().stream().map(p ->
                RecoveryPointByResource.builder().recoveryPointArn(p.arn()).creationDate(p.created())
                        .status(p.status().name()).statusMessage(p.statusMessage())
                        .encryptionKeyArn(p.encryptionKeyArn()).backupSizeBytes(p.backupSizeInBytes())
                        .backupVaultName(p.vaultName()).isParent(false).resourceName(p.resourceName())
                        .vaultType("BACKUP_VAULT").encryptionKeyType(keyType.apply(p)).build()).toList())
                .nextToken(page.nextSortKey()).build();
    }

    public DeleteRecoveryPointResponse deleteRecoveryPoint(RequestContext ctx, DeleteRecoveryPointRequest req) {
        points.delete(scope(ctx), req.backupVaultName(), req.recoveryPointArn());
        return DeleteRecoveryPointResponse.builder().build();
    }

    public UpdateRecoveryPointLifecycleResponse updateRecoveryPointLifecycle(
            RequestContext ctx, UpdateRecoveryPointLifecycleRequest req) {
        RecoveryPoint p = points.updateLifecycle(scope(ctx), req.backupVaultName(), req.recoveryPointArn(),
                req.lifecycle() == null ? null : PlanMapper.lifecycle(req.lifecycle()));
        return UpdateRecoveryPointLifecycleResponse.builder().backupVaultArn(p.vaultArn()).recoveryPointArn(p.arn())
                .lifecycle(p.lifecycle() == null ? null : PlanMapper.toSdk(p.lifecycle()))
                .calculatedLifecycle(calculated(p)).build();
    }

    public GetRecoveryPointRestoreMetadataResponse getRecoveryPointRestoreMetadata(
            RequestContext ctx, GetRecoveryPointRestoreMetadataRequest req) {
        RecoveryPoint p = points.get(scope(ctx), req.backupVaultName(), req.recoveryPointArn());
        return GetRecoveryPointRestoreMetadataResponse.builder().backupVaultArn(p.vaultArn()).recoveryPointArn(p.arn())
                .resourceType(p.resourceType()).restoreMetadata(p.restoreMetadata()).build();
    }

    // ---- protected resources

    private static ProtectedResource protectedResource(RecoveryPoint p) {
        return ProtectedResource.builder().resourceArn(p.resourceArn()).resourceType(p.resourceType())
                .lastBackupTime(p.created()).resourceName(p.resourceName()).lastBackupVaultArn(p.vaultArn())
                .lastRecoveryPointArn(p.arn()).build();
    }

    public ListProtectedResourcesResponse listProtectedResources(RequestContext ctx,
                                                                 ListProtectedResourcesRequest req) {
        return ListProtectedResourcesResponse.builder().results(points.latestByResource(scope(ctx)).values().stream()
                .map(JobProvider::protectedResource).toList()).build();
    }

    public ListProtectedResourcesByBackupVaultResponse listProtectedResourcesByBackupVault(
            RequestContext ctx, ListProtectedResourcesByBackupVaultRequest req) {
        vaults.get(scope(ctx), req.backupVaultName());
        return ListProtectedResourcesByBackupVaultResponse.builder().results(points.latestByResource(scope(ctx))
                .values().stream().filter(p -> p.vaultName().equals(req.backupVaultName()))
                .map(JobProvider::protectedResource).toList()).build();
    }

    public DescribeProtectedResourceResponse describeProtectedResource(RequestContext ctx,
                                                                       DescribeProtectedResourceRequest req) {
        RecoveryPoint p = points.latestByResource(scope(ctx)).get(req.resourceArn());
        if (p == null) {
            throw DomainException.notFound("Resource " + req.resourceArn()
                    + " has no recovery points.");
        }
        List<RestoreJob> restores = jobs.recentRestoreJobs(scope(ctx)).stream()
                .filter(r -> r.sourceResourceArn().equals(req.resourceArn())).toList();
        DescribeProtectedResourceResponse.Builder b = DescribeProtectedResourceResponse.builder()
                .resourceArn(p.resourceArn()).resourceType(p.resourceType()).lastBackupTime(p.created())
                .resourceName(p.resourceName()).lastBackupVaultArn(p.vaultArn()).lastRecoveryPointArn(p.arn());
        restores.stream().filter(r -> r.status() == RestoreJob.Status.COMPLETED).findFirst().ifPresent(r -> b
                .latestRestoreJobCreationDate(r.created()).latestRestoreRecoveryPointCreationDate(r.recoveryPointCreated())
                .latestRestoreExecutionTimeMinutes(Duration.between(r.created(), r.completed()).toMinutes()));
        return b.build();
    }

    // ---- restore jobs

    public StartRestoreJobResponse startRestoreJob(RequestContext ctx, StartRestoreJobRequest req) {
        RestoreJob job = jobs.startRestore(scope(ctx), new JobService.RestoreRequest(req.recoveryPointArn(),
                req.hasMetadata() ? req.metadata() : Map.of(), req.iamRoleArn(), req.idempotencyToken(),
                req.resourceType()));
        return StartRestoreJobResponse.builder().restoreJobId(job.id()).build();
    }

    public DescribeRestoreJobResponse describeRestoreJob(RequestContext ctx, DescribeRestoreJobRequest req) {
        RestoreJob r = jobs.restoreJob(scope(ctx), req.restoreJobId());
        return DescribeRestoreJobResponse.builder().accountId(r.accountId()).restoreJobId(r.id())
                .recoveryPointArn(r.recoveryPointArn()).sourceResourceArn(r.sourceResourceArn())
                .backupVaultArn(r.vaultArn()).creationDate(r.created()).completionDate(r.completed())
                .status(r.status().name()).statusMessage(r.statusMessage()).percentDone(percent(r.percentDone()))
                .backupSizeInBytes(r.backupSizeInBytes()).iamRoleArn(r.iamRoleArn()).expectedCompletionTimeMinutes(0L)
                .createdResourceArn(r.createdResourceArn()).resourceType(r.resourceType())
                .recoveryPointCreationDate(r.recoveryPointCreated()).isParent(false).build();
    }

    private static RestoreJobsListMember restoreItem(RestoreJob r) {
        return RestoreJobsListMember.builder().accountId(r.accountId()).restoreJobId(r.id())
                .recoveryPointArn(r.recoveryPointArn()).sourceResourceArn(r.sourceResourceArn())
                .backupVaultArn(r.vaultArn()).creationDate(r.created()).completionDate(r.completed())
                .status(r.status().name()).statusMessage(r.statusMessage()).percentDone(percent(r.percentDone()))
                .backupSizeInBytes(r.backupSizeInBytes()).iamRoleArn(r.iamRoleArn()).expectedCompletionTimeMinutes(0L)
                .createdResourceArn(r.createdResourceArn()).resourceType(r.resourceType())
                .recoveryPointCreationDate(r.recoveryPointCreated()).isParent(false).build();
    }

    public ListRestoreJobsResponse listRestoreJobs(RequestContext ctx, ListRestoreJobsRequest req) {
        Page<RestoreJob> page = jobs.listRestoreJobs(scope(ctx), new JobService.RestoreJobFilter(
                req.byStatusAsString(), req.byAccountId(), req.byCreatedBefore(), req.byCreatedAfter(),
                req.byCompleteBefore(), req.byCompleteAfter(), req.byResourceType(), null), req.nextToken(),
                req.maxResults());
        return ListRestoreJobsResponse.builder().restoreJobs(page.items().stream().map(JobProvider::restoreItem)
                .toList()).nextToken(page.nextSortKey()).build();
    }

    public ListRestoreJobsByProtectedResourceResponse listRestoreJobsByProtectedResource(
            RequestContext ctx, ListRestoreJobsByProtectedResourceRequest req) {
        Page<RestoreJob> page = jobs.listRestoreJobs(scope(ctx), new JobService.RestoreJobFilter(
                req.byStatusAsString(), null, null, null, null, null, null, req.resourceArn()), req.nextToken(),
                req.maxResults());
        return ListRestoreJobsByProtectedResourceResponse.builder().restoreJobs(page.items().stream()
                .map(JobProvider::restoreItem).toList()).nextToken(page.nextSortKey()).build();
    }

    public GetRestoreJobMetadataResponse getRestoreJobMetadata(RequestContext ctx, GetRestoreJobMetadataRequest req) {
        RestoreJob r = jobs.restoreJob(scope(ctx), req.restoreJobId());
        return GetRestoreJobMetadataResponse.builder().restoreJobId(r.id()).metadata(r.metadata()).build();
    }
}
