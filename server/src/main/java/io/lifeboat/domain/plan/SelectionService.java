package io.lifeboat.domain.plan;

import io.lifeboat.domain.DomainException;
import io.lifeboat.domain.Ids;
import io.lifeboat.domain.Paging;
import io.lifeboat.domain.Scope;
import io.lifeboat.domain.catalog.Catalog;
import io.lifeboat.domain.catalog.Kind;
import io.lifeboat.domain.catalog.Page;
import io.lifeboat.domain.iam.IamService;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/** Backup selections: created and deleted whole (AWS has no update), checked against the plan and the role. */
public final class SelectionService {
    public static final Kind<Selection> SELECTION = new Kind<>("backup-selection", Selection.class);
    private static final int MAX_PER_PLAN = 100;

    private final Catalog catalog;
    private final PlanService plans;
    private final IamService iam;
    private final Ids ids;
    private final Clock clock;

    public SelectionService(Catalog catalog, PlanService plans, IamService iam, Ids ids, Clock clock) {
        this.catalog = catalog;
        this.plans = plans;
        this.iam = iam;
        this.ids = ids;
        this.clock = clock;
    }

    public Selection create(Scope scope, String planId, Selection input) {
        plans.get(scope, planId);
        if (isEmpty(input.listOfTags()) && isEmpty(input.resources())) {
            throw DomainException.invalid(
                    "Invalid backup selection. Either 'ListOfTags' or 'Resources' section must be non-empty.");
        }
        requireAssumableRole(input.iamRoleArn());
        return catalog.transaction(() -> {
            Optional<Selection> sameName = catalog.findFirst(SELECTION, scope.key(), planId,
                    s -> s.name().equals(input.name()));
            if (sameName.isPresent()) {
                if (input.creatorRequestId() != null && input.creatorRequestId().equals(sameName.get().creatorRequestId())) {
                    return sameName.get();
                }
                throw new DomainException(DomainException.Kind.ALREADY_EXISTS,
                        "Backup selection with the same name already exists in plan " + planId);
            }
            if (catalog.count(SELECTION, scope.key(), planId) >= MAX_PER_PLAN) {
                throw new DomainException(DomainException.Kind.LIMIT_EXCEEDED,
                        "A backup plan can have at most " + MAX_PER_PLAN + " selections.");
            }
            var now = clock.instant();
            Selection s = new Selection(ids.uuid(), planId, input.name(), input.iamRoleArn(), input.resources(),
                    input.notResources(), input.listOfTags(), input.conditions(), now, input.creatorRequestId());
            catalog.insert(SELECTION, scope.key(), s.id(), planId, Catalog.creationOrder(now, s.id()), now, s);
            return s;
        });
    }

    private void requireAssumableRole(String roleArn) {
        boolean ok = iam.findByArn(roleArn).map(iam::trustsBackup).orElse(false);
        if (!ok) {
            throw DomainException.invalid("IAM Role " + roleArn + " cannot be assumed by AWS Backup");
        }
    }

    private static boolean isEmpty(List<?> list) {
        return list == null || list.isEmpty();
    }

    public Selection get(Scope scope, String planId, String selectionId) {
        plans.get(scope, planId);
        return catalog.get(SELECTION, scope.key(), selectionId).filter(s -> s.planId().equals(planId))
                .orElseThrow(() -> DomainException.notFound("Backup selection " + selectionId
                        + " does not exist in plan " + planId + "."));
    }

    public void delete(Scope scope, String planId, String selectionId) {
        get(scope, planId, selectionId);
        catalog.delete(SELECTION, scope.key(), selectionId);
    }

    public Page<Selection> list(Scope scope, String planId, String nextToken, Integer maxResults) {
        plans.get(scope, planId);
        Page<Selection> page = catalog.list(SELECTION, scope.key(), planId, Paging.after("selections", nextToken),
                Paging.limit(maxResults, 100));
        return new Page<>(page.items(), Paging.token("selections", page.nextSortKey()));
    }

    public long count(Scope scope, String planId) {
        return catalog.count(SELECTION, scope.key(), planId);
    }
}
