package io.lifeboat.domain.plan;

import io.lifeboat.domain.Arns;
import io.lifeboat.domain.DomainException;
import io.lifeboat.domain.Ids;
import io.lifeboat.domain.Paging;
import io.lifeboat.domain.Quotas;
import io.lifeboat.domain.Scope;
import io.lifeboat.domain.catalog.Catalog;
import io.lifeboat.domain.catalog.Kind;
import io.lifeboat.domain.catalog.Page;
import io.lifeboat.domain.vault.VaultService;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Backup plans and their versions. Every create or update validates the whole document the way
 * AWS does (rules, vaults, schedules, windows, lifecycles, copy actions) and writes a new
 * immutable version; the plan row points at the current one.
 */
public final class PlanService {
    public static final Kind<Plan> PLAN = new Kind<>("backup-plan", Plan.class);
    public static final Kind<PlanVersion> VERSION = new Kind<>("backup-plan-version", PlanVersion.class);
    private static final int MAX_RULES = 10;
    private static final long MAX_WINDOW = 52_560_000L;

    private final Catalog catalog;
    private final VaultService vaults;
    private final Ids ids;
    private final Clock clock;
    private final int maxPlans;

    public PlanService(Catalog catalog, VaultService vaults, Ids ids, Clock clock, Quotas quotas) {
        this.catalog = catalog;
        this.vaults = vaults;
        this.ids = ids;
        this.clock = clock;
        this.maxPlans = quotas.plansPerRegion();
    }

    public Plan create(Scope scope, PlanDocument input, Map<String, String> tags, String creatorRequestId) {
        PlanDocument doc = validate(scope, input);
        return catalog.transaction(() -> {
            Optional<Plan> sameName = findActiveByName(scope, doc.name());
            if (sameName.isPresent()) {
                Plan existing = sameName.get();
                if (creatorRequestId != null && creatorRequestId.equals(existing.creatorRequestId())) {
                    return existing;
                }
                throw new DomainException(DomainException.Kind.ALREADY_EXISTS,
                        "Backup plan with the same plan document already exists", Map.of("Arn", existing.arn()));
            }
            String id = ids.uuid();
            var now = clock.instant();
            Plan plan = new Plan(id, Arns.backupPlan(scope, id), now, creatorRequestId, ids.versionId(), now, null,
                    null, doc);
            catalog.insert(PLAN, scope.key(), id, "", Catalog.creationOrder(now, id), now, plan);
            writeVersion(scope, plan, null);
            if (tags != null && !tags.isEmpty()) {
                catalog.putTags(plan.arn(), tags);
            }
            // last, so the region's counter row stays locked only until the commit
            if (!catalog.reserve(PLAN, scope.key(), maxPlans)) {
                throw new DomainException(DomainException.Kind.LIMIT_EXCEEDED,
                        "Maximum number of backup plans (" + maxPlans + ") reached in this region.");
            }
            return plan;
        });
    }

    private void writeVersion(Scope scope, Plan plan, Instant deleted) {
        PlanVersion v = new PlanVersion(plan.id(), plan.versionId(), plan.versionCreated(), deleted, plan.document());
        catalog.insert(VERSION, scope.key(), plan.versionId(), plan.id(),
                Catalog.creationOrder(plan.versionCreated(), plan.versionId()), plan.versionCreated(), v);
    }

    private Optional<Plan> findActiveByName(Scope scope, String name) {
        return catalog.findFirst(PLAN, scope.key(), "", p -> p.deleted() == null && p.document().name().equals(name));
    }

    /** The current version of a plan that is not deleted. */
    public Plan get(Scope scope, String planId) {
        return catalog.get(PLAN, scope.key(), planId).filter(p -> p.deleted() == null)
                .orElseThrow(() -> notFound(planId));
    }

    /** A given version of a plan, deleted or not. */
    public PlanVersion version(Scope scope, String planId, String versionId) {
        return catalog.get(VERSION, scope.key(), versionId).filter(v -> v.planId().equals(planId))
                .orElseThrow(() -> DomainException.notFound(
                        "Failed reading Backup plan " + planId + " with provided version " + versionId));
    }

    /** Any plan row, deleted ones included (for reading old versions). */
    public Optional<Plan> find(Scope scope, String planId) {
        return catalog.get(PLAN, scope.key(), planId);
    }

    static DomainException notFound(String planId) {
        return DomainException.notFound("Backup plan " + planId + " does not exist.");
    }

    public Plan update(Scope scope, String planId, PlanDocument input) {
        PlanDocument doc = validate(scope, input);
        return catalog.transaction(() -> {
            Plan current = get(scope, planId);
            var now = clock.instant();
            Plan updated = new Plan(current.id(), current.arn(), current.created(), current.creatorRequestId(),
                    ids.versionId(), now, null, current.lastExecution(), doc);
            catalog.update(PLAN, scope.key(), planId, updated);
            writeVersion(scope, updated, null);
            return updated;
        });
    }

    public Plan delete(Scope scope, String planId, long selectionCount) {
        return catalog.transaction(() -> {
            Plan current = get(scope, planId);
            if (selectionCount > 0) {
                throw DomainException.invalidRequest(
                        "Related backup plan selections must be deleted prior to backup plan deletion");
            }
            var now = clock.instant();
            Plan deleted = new Plan(current.id(), current.arn(), current.created(), current.creatorRequestId(),
                    current.versionId(), current.versionCreated(), now, current.lastExecution(), current.document());
            catalog.update(PLAN, scope.key(), planId, deleted);
            catalog.release(PLAN, scope.key());
            PlanVersion v = catalog.get(VERSION, scope.key(), current.versionId()).orElseThrow();
            catalog.update(VERSION, scope.key(), v.versionId(),
                    new PlanVersion(v.planId(), v.versionId(), v.created(), now, v.document()));
            catalog.dropTags(current.arn());
            return deleted;
        });
    }

    /** Records that the scheduler fired a rule of the plan (LastExecutionDate). */
    public void markExecuted(Scope scope, String planId, java.time.Instant at) {
        catalog.transaction(() -> {
            catalog.get(PLAN, scope.key(), planId).ifPresent(p -> catalog.update(PLAN, scope.key(), planId,
                    new Plan(p.id(), p.arn(), p.created(), p.creatorRequestId(), p.versionId(), p.versionCreated(),
                            p.deleted(), at, p.document())));
            return null;
        });
    }

    public Page<Plan> list(Scope scope, boolean includeDeleted, String nextToken, Integer maxResults) {
        Page<Plan> page = catalog.list(PLAN, scope.key(), "", Paging.after("plans", nextToken),
                Paging.limit(maxResults, 100));
        List<Plan> items = includeDeleted ? page.items()
                : page.items().stream().filter(p -> p.deleted() == null).toList();
        return new Page<>(items, Paging.token("plans", page.nextSortKey()));
    }

    public Page<PlanVersion> versions(Scope scope, String planId, String nextToken, Integer maxResults) {
        if (find(scope, planId).isEmpty()) {
            throw notFound(planId);
        }
        Page<PlanVersion> page = catalog.list(VERSION, scope.key(), planId, Paging.after("versions", nextToken),
                Paging.limit(maxResults, 100));
        return new Page<>(page.items(), Paging.token("versions", page.nextSortKey()));
    }

    /** A scheduled run of a rule, for GetBackupPlan's preview and the scheduler. */
    public record Run(ZonedDateTime at, Rule rule) {
    }

    public List<Run> upcomingRuns(PlanDocument doc, int count) {
        ZonedDateTime now = clock.instant().atZone(ZoneId.of("UTC"));
        List<Run> runs = new ArrayList<>();
        for (Rule rule : doc.rules()) {
            ScheduleExpression cron = ScheduleExpression.parse(rule.effectiveSchedule());
            ZoneId zone = ZoneId.of(rule.effectiveTimezone());
            ZonedDateTime t = now;
            for (int i = 0; i < count; i++) {
                t = cron.next(t, zone);
                if (t == null) {
                    break;
                }
                runs.add(new Run(t, rule));
            }
        }
        runs.sort((a, b) -> a.at().compareTo(b.at()));
        return runs.subList(0, Math.min(count, runs.size()));
    }

    /** Checks a plan document as AWS does and gives every rule a fresh id. */
    public PlanDocument validate(Scope scope, PlanDocument doc) {
        if (doc.rules() == null || doc.rules().isEmpty()) {
            throw DomainException.invalid("A backup plan must have at least one rule.");
        }
        if (doc.rules().size() > MAX_RULES) {
            throw new DomainException(DomainException.Kind.LIMIT_EXCEEDED,
                    "A backup plan can have at most " + MAX_RULES + " rules.");
        }
        Set<String> names = new HashSet<>();
        List<Rule> rules = new ArrayList<>();
        for (Rule r : doc.rules()) {
            if (!names.add(r.ruleName())) {
                throw DomainException.invalid("Rule name " + r.ruleName() + " is used more than once in the plan.");
            }
            validateRule(scope, r);
            rules.add(new Rule(ids.uuid(), r.ruleName(), r.targetBackupVaultName(), r.scheduleExpression(),
                    r.scheduleExpressionTimezone(), r.startWindowMinutes(), r.completionWindowMinutes(),
                    r.lifecycle(), r.recoveryPointTags(), r.copyActions(), r.enableContinuousBackup(), r.indexActions()));
        }
        validateAdvanced(doc.advancedSettings());
        return new PlanDocument(doc.name(), List.copyOf(rules), doc.advancedSettings());
    }

    private void validateRule(Scope scope, Rule r) {
        String where = "Error in rule " + r.ruleName() + " : ";
        if (vaults.find(scope, r.targetBackupVaultName()).isEmpty()) {
            throw DomainException.invalid(where + "Backup vault with name " + r.targetBackupVaultName()
                    + " does not exist.");
        }
        ZoneId zone;
        try {
            zone = ZoneId.of(r.effectiveTimezone());
        } catch (DateTimeException e) {
            throw DomainException.invalid(where + "Invalid ScheduleExpressionTimezone " + r.scheduleExpressionTimezone());
        }
        ScheduleExpression cron = ScheduleExpression.parse(r.effectiveSchedule());
        ZonedDateTime from = clock.instant().atZone(zone);
        if (cron.next(from, zone) != null && cron.shortestIntervalMinutes(from, zone, 400) < 60) {
            throw DomainException.invalid("The interval between backup jobs shouldn't be less than 60 minutes.");
        }
        if (r.startWindowMinutes() != null && (r.startWindowMinutes() < 60 || r.startWindowMinutes() > MAX_WINDOW)) {
            throw DomainException.invalid(where + "StartWindowMinutes must be between 60 and " + MAX_WINDOW + ".");
        }
        if (r.completionWindowMinutes() != null
                && (r.completionWindowMinutes() < 60 || r.completionWindowMinutes() > MAX_WINDOW)) {
            throw DomainException.invalid(where + "CompletionWindowMinutes must be between 60 and " + MAX_WINDOW + ".");
        }
        if (r.lifecycle() != null) {
            r.lifecycle().validate(where);
        }
        if (r.copyActions() != null) {
            if (r.copyActions().size() > 5) {
                throw DomainException.invalid(where + "A rule can have at most 5 copy actions.");
            }
            for (CopyAction c : r.copyActions()) {
                Arns.Parsed arn = Arns.parse(c.destinationBackupVaultArn());
                if (arn == null || !"backup".equals(arn.service()) || !arn.resource().startsWith("backup-vault:")) {
                    throw DomainException.invalid(where + "Invalid DestinationBackupVaultArn "
                            + c.destinationBackupVaultArn());
                }
                if (c.lifecycle() != null) {
                    c.lifecycle().validate(where);
                }
            }
        }
    }

    private static void validateAdvanced(List<PlanDocument.AdvancedSetting> settings) {
        if (settings == null) {
            return;
        }
        for (PlanDocument.AdvancedSetting s : settings) {
            if (!"EC2".equals(s.resourceType())) {
                throw DomainException.invalid("AdvancedBackupSettings are supported for resource type EC2 only, not "
                        + s.resourceType() + ".");
            }
            for (Map.Entry<String, String> o : s.backupOptions() == null ? Map.<String, String>of().entrySet()
                    : s.backupOptions().entrySet()) {
                if (!o.getKey().equals("WindowsVSS") || !(o.getValue().equals("enabled") || o.getValue().equals("disabled"))) {
                    throw DomainException.invalid("Invalid BackupOptions " + o.getKey() + "=" + o.getValue()
                            + ": only WindowsVSS with enabled or disabled is supported.");
                }
            }
        }
    }
}
