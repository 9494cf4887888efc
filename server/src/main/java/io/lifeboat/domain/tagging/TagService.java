package io.lifeboat.domain.tagging;

import io.lifeboat.domain.Arns;
import io.lifeboat.domain.DomainException;
import io.lifeboat.domain.Scope;
import io.lifeboat.domain.catalog.Catalog;
import io.lifeboat.domain.plan.PlanService;
import io.lifeboat.domain.vault.VaultService;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Tags on Backup's taggable resources (vaults and plans), by ARN; the resource must exist. */
public final class TagService {
    private static final int MAX_TAGS = 50;

    private final Catalog catalog;
    private final VaultService vaults;
    private final PlanService plans;

    public TagService(Catalog catalog, VaultService vaults, PlanService plans) {
        this.catalog = catalog;
        this.vaults = vaults;
        this.plans = plans;
    }

    public Map<String, String> list(Scope scope, String arn) {
        requireExists(scope, arn);
        return catalog.tags(arn);
    }

    public void tag(Scope scope, String arn, Map<String, String> tags) {
        requireExists(scope, arn);
        for (String key : tags.keySet()) {
            if (key.startsWith("aws:")) {
                throw DomainException.invalid("Tag keys starting with 'aws:' are reserved for AWS use: " + key);
            }
        }
        catalog.transaction(() -> {
            Map<String, String> merged = new HashMap<>(catalog.tags(arn));
            merged.putAll(tags);
            if (merged.size() > MAX_TAGS) {
                throw new DomainException(DomainException.Kind.LIMIT_EXCEEDED,
                        "A resource can have at most " + MAX_TAGS + " tags.");
            }
            catalog.putTags(arn, tags);
            return null;
        });
    }

    public void untag(Scope scope, String arn, List<String> keys) {
        requireExists(scope, arn);
        catalog.removeTags(arn, keys);
    }

    private void requireExists(Scope scope, String arn) {
        Arns.Parsed p = Arns.parse(arn);
        boolean exists = false;
        if (p != null && "backup".equals(p.service()) && scope.region().equals(p.region())
                && scope.accountId().equals(p.accountId())) {
            if (p.resource().startsWith("backup-vault:")) {
                exists = vaults.find(scope, p.resource().substring("backup-vault:".length())).isPresent();
            } else if (p.resource().startsWith("backup-plan:")) {
                exists = plans.find(scope, p.resource().substring("backup-plan:".length()))
                        .filter(plan -> plan.deleted() == null).isPresent();
            }
        }
        if (!exists) {
            throw DomainException.notFound("Resource " + arn + " does not exist or is not taggable.");
        }
    }
}
