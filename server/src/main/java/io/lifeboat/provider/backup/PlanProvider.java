package io.lifeboat.provider.backup;

import static io.lifeboat.provider.backup.VaultProvider.scope;

import io.lifeboat.domain.catalog.Page;
import io.lifeboat.domain.plan.Plan;
import io.lifeboat.domain.plan.PlanDocument;
import io.lifeboat.domain.plan.PlanJson;
import io.lifeboat.domain.plan.PlanService;
import io.lifeboat.domain.plan.PlanTemplates;
import io.lifeboat.domain.plan.PlanVersion;
import io.lifeboat.domain.plan.Selection;
import io.lifeboat.domain.plan.SelectionService;
import io.lifeboat.provider.RequestContext;
import java.time.Instant;
import software.amazon.awssdk.services.backup.model.BackupPlanTemplatesListMember;
import software.amazon.awssdk.services.backup.model.BackupPlansListMember;
import software.amazon.awssdk.services.backup.model.BackupSelectionsListMember;
import software.amazon.awssdk.services.backup.model.CreateBackupPlanRequest;
import software.amazon.awssdk.services.backup.model.CreateBackupPlanResponse;
import software.amazon.awssdk.services.backup.model.CreateBackupSelectionRequest;
import software.amazon.awssdk.services.backup.model.CreateBackupSelectionResponse;
import software.amazon.awssdk.services.backup.model.DeleteBackupPlanRequest;
import software.amazon.awssdk.services.backup.model.DeleteBackupPlanResponse;
import software.amazon.awssdk.services.backup.model.DeleteBackupSelectionRequest;
import software.amazon.awssdk.services.backup.model.DeleteBackupSelectionResponse;
import software.amazon.awssdk.services.backup.model.ExportBackupPlanTemplateRequest;
import software.amazon.awssdk.services.backup.model.ExportBackupPlanTemplateResponse;
import software.amazon.awssdk.services.backup.model.GetBackupPlanFromJsonRequest;
import software.amazon.awssdk.services.backup.model.GetBackupPlanFromJsonResponse;
import software.amazon.awssdk.services.backup.model.GetBackupPlanFromTemplateRequest;
import software.amazon.awssdk.services.backup.model.GetBackupPlanFromTemplateResponse;
import software.amazon.awssdk.services.backup.model.GetBackupPlanRequest;
import software.amazon.awssdk.services.backup.model.GetBackupPlanResponse;
import software.amazon.awssdk.services.backup.model.GetBackupSelectionRequest;
import software.amazon.awssdk.services.backup.model.GetBackupSelectionResponse;
import software.amazon.awssdk.services.backup.model.ListBackupPlanTemplatesRequest;
import software.amazon.awssdk.services.backup.model.ListBackupPlanTemplatesResponse;
import software.amazon.awssdk.services.backup.model.ListBackupPlanVersionsRequest;
import software.amazon.awssdk.services.backup.model.ListBackupPlanVersionsResponse;
import software.amazon.awssdk.services.backup.model.ListBackupPlansRequest;
import software.amazon.awssdk.services.backup.model.ListBackupPlansResponse;
import software.amazon.awssdk.services.backup.model.ListBackupSelectionsRequest;
import software.amazon.awssdk.services.backup.model.ListBackupSelectionsResponse;
import software.amazon.awssdk.services.backup.model.ScheduledPlanExecutionMember;
import software.amazon.awssdk.services.backup.model.UpdateBackupPlanRequest;
import software.amazon.awssdk.services.backup.model.UpdateBackupPlanResponse;

/** Backup plan and selection operations. */
public final class PlanProvider {
    private final PlanService plans;
    private final SelectionService selections;

    public PlanProvider(PlanService plans, SelectionService selections) {
        this.plans = plans;
        this.selections = selections;
    }

    public CreateBackupPlanResponse createBackupPlan(RequestContext ctx, CreateBackupPlanRequest req) {
        Plan p = plans.create(scope(ctx), PlanMapper.toDomain(req.backupPlan()),
                req.hasBackupPlanTags() ? req.backupPlanTags() : null, req.creatorRequestId());
        return CreateBackupPlanResponse.builder().backupPlanId(p.id()).backupPlanArn(p.arn())
                .creationDate(p.created()).versionId(p.versionId())
                .advancedBackupSettings(PlanMapper.advanced(p.document())).build();
    }

    public GetBackupPlanResponse getBackupPlan(RequestContext ctx, GetBackupPlanRequest req) {
        GetBackupPlanResponse.Builder b = GetBackupPlanResponse.builder();
        if (req.versionId() != null) {
            PlanVersion v = plans.version(scope(ctx), req.backupPlanId(), req.versionId());
            Plan p = plans.find(scope(ctx), req.backupPlanId()).orElseThrow();
            b.backupPlan(PlanMapper.toSdk(v.document())).versionId(v.versionId()).creationDate(v.created())
                    .deletionDate(v.deleted()).advancedBackupSettings(PlanMapper.advanced(v.document()))
                    .backupPlanId(p.id()).backupPlanArn(p.arn()).creatorRequestId(p.creatorRequestId())
                    .lastExecutionDate(p.lastExecution());
            return b.build();
        }
        Plan p = plans.get(scope(ctx), req.backupPlanId());
        b.backupPlan(PlanMapper.toSdk(p.document())).backupPlanId(p.id()).backupPlanArn(p.arn())
                .versionId(p.versionId()).creatorRequestId(p.creatorRequestId()).creationDate(p.created())
                .lastExecutionDate(p.lastExecution()).advancedBackupSettings(PlanMapper.advanced(p.document()));
        if (req.maxScheduledRunsPreview() != null && req.maxScheduledRunsPreview() > 0) {
            b.scheduledRunsPreview(plans.upcomingRuns(p.document(), req.maxScheduledRunsPreview()).stream()
                    .map(r -> ScheduledPlanExecutionMember.builder().executionTime(r.at().toInstant())
                            .ruleId(r.rule().ruleId())
                            .ruleExecutionType(Boolean.TRUE.equals(r.rule().enableContinuousBackup())
                                    ? "CONTINUOUS_AND_SNAPSHOTS" : "SNAPSHOTS").build()).toList());
        }
        return b.build();
    }

    public UpdateBackupPlanResponse updateBackupPlan(RequestContext ctx, UpdateBackupPlanRequest req) {
        Plan p = plans.update(scope(ctx), req.backupPlanId(), PlanMapper.toDomain(req.backupPlan()));
        return UpdateBackupPlanResponse.builder().backupPlanId(p.id()).backupPlanArn(p.arn())
                .creationDate(p.versionCreated()).versionId(p.versionId())
                .advancedBackupSettings(PlanMapper.advanced(p.document())).build();
    }

    public DeleteBackupPlanResponse deleteBackupPlan(RequestContext ctx, DeleteBackupPlanRequest req) {
        Plan p = plans.delete(scope(ctx), req.backupPlanId(), selections.count(scope(ctx), req.backupPlanId()));
        return DeleteBackupPlanResponse.builder().backupPlanId(p.id()).backupPlanArn(p.arn())
                .deletionDate(p.deleted()).versionId(p.versionId()).build();
    }

    public ListBackupPlansResponse listBackupPlans(RequestContext ctx, ListBackupPlansRequest req) {
        Page<Plan> page = plans.list(scope(ctx), Boolean.TRUE.equals(req.includeDeleted()), req.nextToken(),
                req.maxResults());
        return ListBackupPlansResponse.builder().backupPlansList(page.items().stream().map(p -> listMember(p,
                p.versionId(), p.versionCreated(), p.deleted())).toList()).nextToken(page.nextSortKey()).build();
    }

    private static BackupPlansListMember listMember(Plan p, String versionId, Instant created,
                                                    Instant deleted) {
        return BackupPlansListMember.builder().backupPlanArn(p.arn()).backupPlanId(p.id())
                .backupPlanName(p.document().name()).creationDate(created).deletionDate(deleted)
                .versionId(versionId).creatorRequestId(p.creatorRequestId()).lastExecutionDate(p.lastExecution())
                .advancedBackupSettings(PlanMapper.advanced(p.document())).build();
    }

    public ListBackupPlanVersionsResponse listBackupPlanVersions(RequestContext ctx, ListBackupPlanVersionsRequest req) {
        Page<PlanVersion> page = plans.versions(scope(ctx), req.backupPlanId(), req.nextToken(), req.maxResults());
        Plan p = plans.find(scope(ctx), req.backupPlanId()).orElseThrow();
        return ListBackupPlanVersionsResponse.builder().backupPlanVersionsList(page.items().stream()
                .map(v -> BackupPlansListMember.builder().backupPlanArn(p.arn()).backupPlanId(p.id())
                        .backupPlanName(v.document().name()).creationDate(v.created()).deletionDate(v.deleted())
                        .versionId(v.versionId()).creatorRequestId(p.creatorRequestId())
                        .advancedBackupSettings(PlanMapper.advanced(v.document())).build()).toList())
                .nextToken(page.nextSortKey()).build();
    }

    public ExportBackupPlanTemplateResponse exportBackupPlanTemplate(RequestContext ctx,
                                                                     ExportBackupPlanTemplateRequest req) {
        Plan p = plans.get(scope(ctx), req.backupPlanId());
        return ExportBackupPlanTemplateResponse.builder().backupPlanTemplateJson(PlanJson.write(p.document())).build();
    }

    public GetBackupPlanFromJsonResponse getBackupPlanFromJSON(RequestContext ctx, GetBackupPlanFromJsonRequest req) {
        PlanDocument doc = plans.validate(scope(ctx), PlanJson.read(req.backupPlanTemplateJson()));
        return GetBackupPlanFromJsonResponse.builder().backupPlan(PlanMapper.toSdk(doc)).build();
    }

    public ListBackupPlanTemplatesResponse listBackupPlanTemplates(RequestContext ctx,
                                                                   ListBackupPlanTemplatesRequest req) {
        return ListBackupPlanTemplatesResponse.builder().backupPlanTemplatesList(PlanTemplates.ALL.stream()
                .map(t -> BackupPlanTemplatesListMember.builder().backupPlanTemplateId(t.id())
                        .backupPlanTemplateName(t.name()).build()).toList()).build();
    }

    public GetBackupPlanFromTemplateResponse getBackupPlanFromTemplate(RequestContext ctx,
                                                                       GetBackupPlanFromTemplateRequest req) {
        return GetBackupPlanFromTemplateResponse.builder()
                .backupPlanDocument(PlanMapper.toSdk(PlanTemplates.find(req.backupPlanTemplateId()).document()))
                .build();
    }

    public CreateBackupSelectionResponse createBackupSelection(RequestContext ctx, CreateBackupSelectionRequest req) {
        Selection s = selections.create(scope(ctx), req.backupPlanId(),
                PlanMapper.toDomain(req.backupSelection(), req.creatorRequestId()));
        return CreateBackupSelectionResponse.builder().selectionId(s.id()).backupPlanId(s.planId())
                .creationDate(s.created()).build();
    }

    public GetBackupSelectionResponse getBackupSelection(RequestContext ctx, GetBackupSelectionRequest req) {
        Selection s = selections.get(scope(ctx), req.backupPlanId(), req.selectionId());
        return GetBackupSelectionResponse.builder().backupSelection(PlanMapper.toSdk(s)).selectionId(s.id())
                .backupPlanId(s.planId()).creationDate(s.created()).creatorRequestId(s.creatorRequestId()).build();
    }

    public DeleteBackupSelectionResponse deleteBackupSelection(RequestContext ctx, DeleteBackupSelectionRequest req) {
        selections.delete(scope(ctx), req.backupPlanId(), req.selectionId());
        return DeleteBackupSelectionResponse.builder().build();
    }

    public ListBackupSelectionsResponse listBackupSelections(RequestContext ctx, ListBackupSelectionsRequest req) {
        Page<Selection> page = selections.list(scope(ctx), req.backupPlanId(), req.nextToken(), req.maxResults());
        return ListBackupSelectionsResponse.builder().backupSelectionsList(page.items().stream()
                .map(s -> BackupSelectionsListMember.builder().selectionId(s.id()).selectionName(s.name())
                        .backupPlanId(s.planId()).creationDate(s.created()).creatorRequestId(s.creatorRequestId())
                        .iamRoleArn(s.iamRoleArn()).build()).toList())
                .nextToken(page.nextSortKey()).build();
    }
}
