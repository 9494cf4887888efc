package io.lifeboat.domain.plan;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lifeboat.domain.DomainException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A plan document as template JSON text (ExportBackupPlanTemplate, GetBackupPlanFromJSON): the
 * BackupPlan input shape with AWS's member names. Reading is strict about types and names what is wrong.
 */
public final class PlanJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private PlanJson() {
    }

    public static String write(PlanDocument doc) {
        ObjectNode root = JSON.createObjectNode();
        root.put("BackupPlanName", doc.name());
        ArrayNode rules = root.putArray("Rules");
        for (Rule r : doc.rules()) {
            ObjectNode n = rules.addObject();
            n.put("RuleName", r.ruleName());
            n.put("TargetBackupVaultName", r.targetBackupVaultName());
            n.put("ScheduleExpression", r.effectiveSchedule());
            putIfSet(n, "ScheduleExpressionTimezone", r.scheduleExpressionTimezone());
            n.put("StartWindowMinutes", r.effectiveStartWindowMinutes());
            n.put("CompletionWindowMinutes", r.effectiveCompletionWindowMinutes());
            if (r.lifecycle() != null) {
                lifecycle(n.putObject("Lifecycle"), r.lifecycle());
            }
            if (r.recoveryPointTags() != null) {
                ObjectNode tags = n.putObject("RecoveryPointTags");
                r.recoveryPointTags().forEach(tags::put);
            }
            if (r.copyActions() != null) {
                ArrayNode copies = n.putArray("CopyActions");
                for (CopyAction c : r.copyActions()) {
                    ObjectNode cn = copies.addObject().put("DestinationBackupVaultArn", c.destinationBackupVaultArn());
                    if (c.lifecycle() != null) {
                        lifecycle(cn.putObject("Lifecycle"), c.lifecycle());
                    }
                }
            }
            if (r.enableContinuousBackup() != null) {
                n.put("EnableContinuousBackup", r.enableContinuousBackup());
            }
        }
        if (doc.advancedSettings() != null) {
            ArrayNode adv = root.putArray("AdvancedBackupSettings");
            for (PlanDocument.AdvancedSetting a : doc.advancedSettings()) {
                ObjectNode an = adv.addObject().put("ResourceType", a.resourceType());
                if (a.backupOptions() != null) {
                    ObjectNode opts = an.putObject("BackupOptions");
                    a.backupOptions().forEach(opts::put);
                }
            }
        }
        return root.toString();
    }

    private static void lifecycle(ObjectNode n, Lifecycle l) {
        if (l.moveToColdStorageAfterDays() != null) {
            n.put("MoveToColdStorageAfterDays", l.moveToColdStorageAfterDays());
        }
        if (l.deleteAfterDays() != null) {
            n.put("DeleteAfterDays", l.deleteAfterDays());
        }
        if (l.optInToArchiveForSupportedResources() != null) {
            n.put("OptInToArchiveForSupportedResources", l.optInToArchiveForSupportedResources());
        }
    }

    private static void putIfSet(ObjectNode n, String field, String value) {
        if (value != null) {
            n.put(field, value);
        }
    }

    /** Reads template JSON: a BackupPlan document, bare or wrapped as {"BackupPlan": {...}}. */
    public static PlanDocument read(String text) {
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw DomainException.invalid("BackupPlanTemplateJson is not valid JSON: " + e.getOriginalMessage());
        }
        if (root != null && root.has("BackupPlan")) {
            root = root.get("BackupPlan");
        }
        if (root == null || !root.isObject()) {
            throw DomainException.invalid("BackupPlanTemplateJson must be a JSON object describing a backup plan.");
        }
        String name = text(root, "BackupPlanName", true);
        List<Rule> rules = new ArrayList<>();
        for (JsonNode r : array(root, "Rules", true)) {
            rules.add(new Rule(null, text(r, "RuleName", true), text(r, "TargetBackupVaultName", true),
                    text(r, "ScheduleExpression", false), text(r, "ScheduleExpressionTimezone", false),
                    number(r, "StartWindowMinutes"), number(r, "CompletionWindowMinutes"),
                    lifecycle(r.get("Lifecycle")), map(r, "RecoveryPointTags"), copies(r),
                    r.has("EnableContinuousBackup") ? r.get("EnableContinuousBackup").asBoolean() : null, null));
        }
        List<PlanDocument.AdvancedSetting> advanced = null;
        if (root.has("AdvancedBackupSettings")) {
            advanced = new ArrayList<>();
            for (JsonNode a : array(root, "AdvancedBackupSettings", false)) {
                advanced.add(new PlanDocument.AdvancedSetting(text(a, "ResourceType", true), map(a, "BackupOptions")));
            }
        }
        return new PlanDocument(name, rules, advanced);
    }

    private static List<CopyAction> copies(JsonNode rule) {
        if (!rule.has("CopyActions")) {
            return null;
        }
        List<CopyAction> out = new ArrayList<>();
        for (JsonNode c : array(rule, "CopyActions", false)) {
            out.add(new CopyAction(text(c, "DestinationBackupVaultArn", true), lifecycle(c.get("Lifecycle"))));
        }
        return out;
    }

    private static Lifecycle lifecycle(JsonNode n) {
        if (n == null) {
            return null;
        }
        return new Lifecycle(number(n, "MoveToColdStorageAfterDays"), number(n, "DeleteAfterDays"),
                n.has("OptInToArchiveForSupportedResources") ? n.get("OptInToArchiveForSupportedResources").asBoolean()
                        : null, null);
    }

    private static String text(JsonNode n, String field, boolean required) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            if (required) {
                throw new DomainException(DomainException.Kind.MISSING_PARAMETER,
                        "BackupPlanTemplateJson is missing " + field + ".");
            }
            return null;
        }
        if (!v.isTextual()) {
            throw DomainException.invalid("BackupPlanTemplateJson: " + field + " must be a string.");
        }
        return v.asText();
    }

    private static Long number(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isIntegralNumber()) {
            throw DomainException.invalid("BackupPlanTemplateJson: " + field + " must be a whole number.");
        }
        return v.asLong();
    }

    private static Iterable<JsonNode> array(JsonNode n, String field, boolean required) {
        JsonNode v = n.get(field);
        if (v == null && !required) {
            return List.of();
        }
        if (v == null || !v.isArray()) {
            throw DomainException.invalid("BackupPlanTemplateJson: " + field + " must be a list.");
        }
        return v;
    }

    private static Map<String, String> map(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null) {
            return null;
        }
        if (!v.isObject()) {
            throw DomainException.invalid("BackupPlanTemplateJson: " + field + " must be a map of strings.");
        }
        Map<String, String> out = new LinkedHashMap<>();
        v.properties().forEach(e -> out.put(e.getKey(), e.getValue().asText()));
        return out;
    }
}
