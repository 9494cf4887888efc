package io.lifeboat.domain.iam;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** An IAM role: its trust policy as sent, attached managed policy ARNs and inline policies. */
public record Role(String name, String path, String roleId, String arn, Instant created, String description,
                   Integer maxSessionDuration, String assumeRolePolicy, List<String> attachedPolicyArns,
                   Map<String, String> inlinePolicies) {

    Role withAttached(List<String> arns) {
        return new Role(name, path, roleId, arn, created, description, maxSessionDuration, assumeRolePolicy,
                List.copyOf(arns), inlinePolicies);
    }

    Role withInline(Map<String, String> policies) {
        return new Role(name, path, roleId, arn, created, description, maxSessionDuration, assumeRolePolicy,
                attachedPolicyArns, Map.copyOf(policies));
    }

    Role withTrust(String policy) {
        return new Role(name, path, roleId, arn, created, description, maxSessionDuration, policy,
                attachedPolicyArns, inlinePolicies);
    }
}
