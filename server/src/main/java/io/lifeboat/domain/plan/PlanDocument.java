package io.lifeboat.domain.plan;

import java.util.List;
import java.util.Map;

/** What a client writes as a backup plan: name, rules, advanced settings per resource type. */
public record PlanDocument(String name, List<Rule> rules, List<AdvancedSetting> advancedSettings) {

    public record AdvancedSetting(String resourceType, Map<String, String> backupOptions) {
    }
}
