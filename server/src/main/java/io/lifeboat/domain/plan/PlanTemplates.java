package io.lifeboat.domain.plan;

import io.lifeboat.domain.DomainException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;

/**
 * The built-in plan templates (the common daily/weekly/monthly retention schemes AWS offers).
 * Ids are name-based UUIDs, stable across servers and restarts. A template's rules target the
 * vault named "Default", as AWS's do.
 */
public final class PlanTemplates {

    public record Template(String id, String name, PlanDocument document) {
    }

    public static final List<Template> ALL = List.of(
            template("Daily-35day-Retention", rule("DailyBackups", "cron(0 5 ? * * *)", 35)),
            template("Daily-Monthly-1yr-Retention", rule("DailyBackups", "cron(0 5 ? * * *)", 35),
                    rule("Monthly", "cron(0 5 1 * ? *)", 365)),
            template("Daily-Weekly-Monthly-5yr-Retention", rule("DailyBackups", "cron(0 5 ? * * *)", 35),
                    rule("Weekly", "cron(0 5 ? * SAT *)", 90), rule("Monthly", "cron(0 5 1 * ? *)", 1825)),
            template("Daily-Weekly-Monthly-7yr-Retention", rule("DailyBackups", "cron(0 5 ? * * *)", 35),
                    rule("Weekly", "cron(0 5 ? * SAT *)", 90), rule("Monthly", "cron(0 5 1 * ? *)", 2555)));

    private PlanTemplates() {
    }

    private static Rule rule(String name, String cron, long deleteAfterDays) {
        return new Rule(null, name, "Default", cron, null, 480L, 10080L,
                new Lifecycle(null, deleteAfterDays, null, null), null, null, null, null);
    }

    private static Template template(String name, Rule... rules) {
        String id = UUID.nameUUIDFromBytes(("lifeboat-template:" + name).getBytes(StandardCharsets.UTF_8)).toString();
        return new Template(id, name, new PlanDocument(name, List.of(rules), null));
    }

    public static Template find(String id) {
        return ALL.stream().filter(t -> t.id().equals(id)).findFirst()
                .orElseThrow(() -> DomainException.notFound("Backup plan template " + id + " does not exist."));
    }
}
