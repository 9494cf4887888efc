package io.lifeboat.domain.settings;

import io.lifeboat.domain.DomainException;
import io.lifeboat.domain.Scope;
import io.lifeboat.domain.catalog.Catalog;
import io.lifeboat.domain.catalog.Kind;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Region and global settings of an account, with AWS's defaults until changed. */
public final class SettingsService {
    public static final Kind<Settings> SETTINGS = new Kind<>("backup-settings", Settings.class);
    /** Resource types AWS Backup names; Lifeboat protects EC2 (and its volumes). */
    public static final List<String> RESOURCE_TYPES = List.of("Aurora", "CloudFormation", "DocumentDB", "DynamoDB",
            "EBS", "EC2", "EFS", "FSx", "Neptune", "RDS", "Redshift", "S3", "SAP HANA on Amazon EC2",
            "Storage Gateway", "Timestream", "VirtualMachine");
    private static final List<String> GLOBAL_KEYS = List.of("isCrossAccountBackupEnabled", "isMpaEnabled",
            "isDelegatedAdministratorEnabled");

    private final Catalog catalog;
    private final Clock clock;

    public SettingsService(Catalog catalog, Clock clock) {
        this.catalog = catalog;
        this.clock = clock;
    }

    public Settings get(Scope scope) {
        return catalog.get(SETTINGS, scope.key(), "settings").orElseGet(SettingsService::defaults);
    }

    private static Settings defaults() {
        Map<String, Boolean> optIn = new LinkedHashMap<>();
        RESOURCE_TYPES.forEach(t -> optIn.put(t, true));
        Map<String, String> global = new LinkedHashMap<>();
        GLOBAL_KEYS.forEach(k -> global.put(k, "false"));
        return new Settings(optIn, Map.of("DynamoDB", false, "EFS", false), global, null);
    }

    public Settings updateRegion(Scope scope, Map<String, Boolean> optIn, Map<String, Boolean> management) {
        return catalog.transaction(() -> {
            Settings s = get(scope);
            Map<String, Boolean> o = new LinkedHashMap<>(s.resourceTypeOptIn());
            if (optIn != null) {
                optIn.keySet().forEach(SettingsService::requireType);
                o.putAll(optIn);
            }
            Map<String, Boolean> m = new LinkedHashMap<>(s.resourceTypeManagement());
            if (management != null) {
                for (String t : management.keySet()) {
                    if (!t.equals("DynamoDB") && !t.equals("EFS")) {
                        throw DomainException.invalid("Full AWS Backup management is available for DynamoDB and EFS only, not " + t + ".");
                    }
                }
                m.putAll(management);
            }
            return save(scope, new Settings(o, m, s.global(), s.globalUpdated()));
        });
    }

    public Settings updateGlobal(Scope scope, Map<String, String> values) {
        return catalog.transaction(() -> {
            Settings s = get(scope);
            Map<String, String> g = new LinkedHashMap<>(s.global());
            for (Map.Entry<String, String> e : values.entrySet()) {
                if (!GLOBAL_KEYS.contains(e.getKey()) || !(e.getValue().equals("true") || e.getValue().equals("false"))) {
                    throw DomainException.invalid("Invalid global setting " + e.getKey() + "=" + e.getValue() + ".");
                }
                g.put(e.getKey(), e.getValue());
            }
            return save(scope, new Settings(s.resourceTypeOptIn(), s.resourceTypeManagement(), g, clock.instant()));
        });
    }

    private static void requireType(String t) {
        if (!RESOURCE_TYPES.contains(t)) {
            throw DomainException.invalid("Unsupported resource type " + t + ".");
        }
    }

    private Settings save(Scope scope, Settings s) {
        if (!catalog.update(SETTINGS, scope.key(), "settings", s)) {
            catalog.insert(SETTINGS, scope.key(), "settings", "", "settings", clock.instant(), s);
        }
        return s;
    }
}
