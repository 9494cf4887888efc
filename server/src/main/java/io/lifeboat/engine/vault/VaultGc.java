package io.lifeboat.engine.vault;

import io.lifeboat.domain.Scope;
import io.lifeboat.domain.catalog.Catalog;
import io.lifeboat.domain.job.WorkQueue;
import java.time.Instant;

/**
 * Garbage collections of vault stores, as work items: queued after deletions and cold moves, and
 * at most once a day after backups (which leave garbage when they fail, and index files always).
 * An item's id names the tier, the vault, the scope and the due time, so a second request for the
 * same collection is the same item.
 */
public final class VaultGc {
    public static final String KIND = "vault-gc";

    /** What one collection item collects. */
    public record Target(String vaultName, boolean cold) {
    }

    private final WorkQueue work;

    public VaultGc(WorkQueue work) {
        this.work = work;
    }

    public void queue(Scope scope, String vaultName, boolean cold, Instant due) {
        String id = KIND + "|" + (cold ? "cold" : "warm") + "|" + vaultName + "|" + scope.key() + "|"
                + due.toEpochMilli();
        if (work.get(id).isEmpty()) {
            try {
                work.add(id, KIND, scope.key(), due, null);
            } catch (Catalog.Duplicate raced) {
                // another node or job queued the same collection
            }
        }
    }

    /** The collection a work item of this kind stands for. */
    public static Target target(String itemId) {
        String[] parts = itemId.split("\\|"); // kind | tier | vault | scope | due
        return new Target(parts[2], "cold".equals(parts[1]));
    }
}
