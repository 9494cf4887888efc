package io.lifeboat.domain.iam;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lifeboat.domain.Arns;
import io.lifeboat.domain.DomainException;
import io.lifeboat.domain.Ids;
import io.lifeboat.domain.Paging;
import io.lifeboat.domain.catalog.Catalog;
import io.lifeboat.domain.catalog.Kind;
import io.lifeboat.domain.catalog.Page;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * IAM roles, global per account: trust policies, attached AWS managed policies, inline policies.
 * Backup asks two questions of it: may backup.amazonaws.com assume a role, and does it grant backup.
 */
public final class IamService {
    public static final Kind<Role> ROLE = new Kind<>("iam-role", Role.class);
    public static final String BACKUP_PRINCIPAL = "backup.amazonaws.com";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Catalog catalog;
    private final Ids ids;
    private final Clock clock;

    public IamService(Catalog catalog, Ids ids, Clock clock) {
        this.catalog = catalog;
        this.ids = ids;
        this.clock = clock;
    }

    private static String scope(String accountId) {
        return accountId + ":global";
    }

    public Role createRole(String accountId, String name, String path, String trustPolicy, String description,
                           Integer maxSessionDuration, Map<String, String> tags) {
        String p = path == null ? "/" : path;
        if (!p.startsWith("/") || !p.endsWith("/")) {
            throw DomainException.invalid("The specified value for path is invalid. It must begin and end with /.");
        }
        parsePolicy(trustPolicy);
        Role role = new Role(name, p, "AROA" + ids.upperAlnum(17), Arns.iamRole(accountId, p, name), clock.instant(),
                description, maxSessionDuration == null ? 3600 : maxSessionDuration, trustPolicy, List.of(), Map.of());
        try {
            catalog.transaction(() -> {
                catalog.insert(ROLE, scope(accountId), key(name), "", key(name), role.created(), role);
                if (tags != null && !tags.isEmpty()) {
                    catalog.putTags(role.arn(), tags);
                }
                return null;
            });
        } catch (Catalog.Duplicate e) {
            throw new DomainException(DomainException.Kind.ALREADY_EXISTS, "Role with name " + name + " already exists.");
        }
        return role;
    }

    /** Role names are unique without regard to case. */
    private static String key(String name) {
        return name.toLowerCase(Locale.ROOT);
    }

    public Role getRole(String accountId, String name) {
        return catalog.get(ROLE, scope(accountId), key(name)).orElseThrow(() ->
                DomainException.notFound("The role with name " + name + " cannot be found."));
    }

    public Page<Role> listRoles(String accountId, String pathPrefix, String marker, Integer maxItems) {
        int limit = maxItems == null ? 100 : Math.max(1, Math.min(maxItems, 1000));
        Page<Role> page = catalog.list(ROLE, scope(accountId), "", Paging.after("roles", marker), limit);
        List<Role> items = pathPrefix == null ? page.items()
                : page.items().stream().filter(r -> r.path().startsWith(pathPrefix)).toList();
        return new Page<>(items, Paging.token("roles", page.nextSortKey()));
    }

    public void deleteRole(String accountId, String name) {
        catalog.transaction(() -> {
            Role role = getRole(accountId, name);
            if (!role.attachedPolicyArns().isEmpty() || !role.inlinePolicies().isEmpty()) {
                throw new DomainException(DomainException.Kind.DELETE_CONFLICT,
                        "Cannot delete entity, must detach all policies first.");
            }
            catalog.delete(ROLE, scope(accountId), key(name));
            catalog.dropTags(role.arn());
            return null;
        });
    }

    public void attachPolicy(String accountId, String roleName, String policyArn) {
        if (ManagedPolicy.find(policyArn) == null) {
            throw DomainException.notFound("Policy " + policyArn + " does not exist or is not attachable.");
        }
        update(accountId, roleName, r -> {
            List<String> attached = new ArrayList<>(r.attachedPolicyArns());
            if (!attached.contains(policyArn)) {
                attached.add(policyArn);
            }
            return r.withAttached(attached);
        });
    }

    public void detachPolicy(String accountId, String roleName, String policyArn) {
        update(accountId, roleName, r -> {
            if (!r.attachedPolicyArns().contains(policyArn)) {
                throw DomainException.notFound("Policy " + policyArn + " was not found.");
            }
            List<String> attached = new ArrayList<>(r.attachedPolicyArns());
            attached.remove(policyArn);
            return r.withAttached(attached);
        });
    }

    public void putInlinePolicy(String accountId, String roleName, String policyName, String document) {
        parsePolicy(document);
        update(accountId, roleName, r -> {
            Map<String, String> inline = new LinkedHashMap<>(r.inlinePolicies());
            inline.put(policyName, document);
            return r.withInline(inline);
        });
    }

    public String inlinePolicy(String accountId, String roleName, String policyName) {
        String doc = getRole(accountId, roleName).inlinePolicies().get(policyName);
        if (doc == null) {
            throw DomainException.notFound("The role policy with name " + policyName + " cannot be found.");
        }
        return doc;
    }

    public void deleteInlinePolicy(String accountId, String roleName, String policyName) {
        update(accountId, roleName, r -> {
            if (!r.inlinePolicies().containsKey(policyName)) {
                throw DomainException.notFound("The role policy with name " + policyName + " cannot be found.");
            }
            Map<String, String> inline = new LinkedHashMap<>(r.inlinePolicies());
            inline.remove(policyName);
            return r.withInline(inline);
        });
    }

    public void updateTrustPolicy(String accountId, String roleName, String document) {
        parsePolicy(document);
        update(accountId, roleName, r -> r.withTrust(document));
    }

    private void update(String accountId, String roleName, UnaryOperator<Role> change) {
        catalog.transaction(() -> {
            Role updated = change.apply(getRole(accountId, roleName));
            catalog.update(ROLE, scope(accountId), key(roleName), updated);
            return null;
        });
    }

    /** The role an ARN names, if it is a role of this account. */
    public Optional<Role> findByArn(String roleArn) {
        Arns.Parsed arn = Arns.parse(roleArn);
        if (arn == null || !"iam".equals(arn.service()) || !arn.resource().startsWith("role/")) {
            return Optional.empty();
        }
        String name = arn.resource().substring(arn.resource().lastIndexOf('/') + 1);
        return catalog.get(ROLE, scope(arn.accountId()), key(name)).filter(r -> r.arn().equals(roleArn));
    }

    /**
     * Why AWS Backup could not act with this role at job time, or empty when it can: the role must
     * exist, trust backup.amazonaws.com, and hold a policy granting backups (or restores).
     */
    public Optional<String> denial(String roleArn, boolean restore) {
        Optional<Role> role = findByArn(roleArn);
        if (role.isEmpty() || !trustsBackup(role.get())) {
            return Optional.of("IAM Role " + roleArn + " cannot be assumed by AWS Backup");
        }
        boolean granted = role.get().attachedPolicyArns().stream().map(ManagedPolicy::find)
                .anyMatch(p -> p != null && (restore ? p.grantsRestore() : p.grantsBackup()))
                || role.get().inlinePolicies().values().stream().anyMatch(d -> allowsAction(d,
                restore ? "ec2:RunInstances" : "ec2:CreateImage"));
        return granted ? Optional.empty() : Optional.of("You are not authorized to perform this operation. Please "
                + "consult the permissions associated with your AWS Backup role(s), and refer to the AWS Backup "
                + "documentation for more details.");
    }

    private static boolean allowsAction(String document, String action) {
        try {
            for (JsonNode st : statements(parsePolicy(document))) {
                if ("Allow".equals(st.path("Effect").asText()) && matchesAny(st.get("Action"), action)) {
                    return true;
                }
            }
        } catch (DomainException e) {
            return false;
        }
        return false;
    }

    /** Whether the role's trust policy lets backup.amazonaws.com call sts:AssumeRole. */
    public boolean trustsBackup(Role role) {
        JsonNode policy = parsePolicy(role.assumeRolePolicy());
        for (JsonNode st : statements(policy)) {
            if (!"Allow".equals(st.path("Effect").asText())) {
                continue;
            }
            boolean action = matchesAny(st.get("Action"), "sts:AssumeRole");
            boolean principal = matchesAny(st.path("Principal").get("Service"), BACKUP_PRINCIPAL)
                    || "*".equals(st.path("Principal").asText());
            if (action && principal) {
                return true;
            }
        }
        return false;
    }

    private static List<JsonNode> statements(JsonNode policy) {
        JsonNode st = policy.get("Statement");
        List<JsonNode> out = new ArrayList<>();
        if (st != null && st.isArray()) {
            st.forEach(out::add);
        } else if (st != null && st.isObject()) {
            out.add(st);
        }
        return out;
    }

    private static boolean matchesAny(JsonNode node, String value) {
        if (node == null) {
            return false;
        }
        if (node.isArray()) {
            for (JsonNode n : node) {
                if (matches(n.asText(), value)) {
                    return true;
                }
            }
            return false;
        }
        return matches(node.asText(), value);
    }

    private static boolean matches(String pattern, String value) {
        return pattern.equals("*") || pattern.equalsIgnoreCase(value)
                || (pattern.endsWith("*") && value.startsWith(pattern.substring(0, pattern.length() - 1)));
    }

    private static JsonNode parsePolicy(String document) {
        try {
            JsonNode node = JSON.readTree(document);
            if (node == null || !node.isObject() || !node.has("Statement")) {
                throw new IOException("no Statement");
            }
            return node;
        } catch (IOException e) {
            throw new DomainException(DomainException.Kind.MALFORMED_POLICY,
                    "This policy contains invalid Json");
        }
    }
}
