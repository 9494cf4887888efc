package io.lifeboat.provider.iam;

import io.lifeboat.domain.DomainException;
import io.lifeboat.domain.catalog.Page;
import io.lifeboat.domain.iam.IamService;
import io.lifeboat.domain.iam.ManagedPolicy;
import io.lifeboat.domain.iam.Role;
import io.lifeboat.provider.RequestContext;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awssdk.services.iam.model.AttachRolePolicyRequest;
import software.amazon.awssdk.services.iam.model.AttachRolePolicyResponse;
import software.amazon.awssdk.services.iam.model.AttachedPolicy;
import software.amazon.awssdk.services.iam.model.CreateRoleRequest;
import software.amazon.awssdk.services.iam.model.CreateRoleResponse;
import software.amazon.awssdk.services.iam.model.DeleteRolePolicyRequest;
import software.amazon.awssdk.services.iam.model.DeleteRolePolicyResponse;
import software.amazon.awssdk.services.iam.model.DeleteRoleRequest;
import software.amazon.awssdk.services.iam.model.DeleteRoleResponse;
import software.amazon.awssdk.services.iam.model.DetachRolePolicyRequest;
import software.amazon.awssdk.services.iam.model.DetachRolePolicyResponse;
import software.amazon.awssdk.services.iam.model.GetPolicyRequest;
import software.amazon.awssdk.services.iam.model.GetPolicyResponse;
import software.amazon.awssdk.services.iam.model.GetRolePolicyRequest;
import software.amazon.awssdk.services.iam.model.GetRolePolicyResponse;
import software.amazon.awssdk.services.iam.model.GetRoleRequest;
import software.amazon.awssdk.services.iam.model.GetRoleResponse;
import software.amazon.awssdk.services.iam.model.ListAttachedRolePoliciesRequest;
import software.amazon.awssdk.services.iam.model.ListAttachedRolePoliciesResponse;
import software.amazon.awssdk.services.iam.model.ListRolePoliciesRequest;
import software.amazon.awssdk.services.iam.model.ListRolePoliciesResponse;
import software.amazon.awssdk.services.iam.model.ListRolesRequest;
import software.amazon.awssdk.services.iam.model.ListRolesResponse;
import software.amazon.awssdk.services.iam.model.Policy;
import software.amazon.awssdk.services.iam.model.PutRolePolicyRequest;
import software.amazon.awssdk.services.iam.model.PutRolePolicyResponse;
import software.amazon.awssdk.services.iam.model.Tag;
import software.amazon.awssdk.services.iam.model.UpdateAssumeRolePolicyRequest;
import software.amazon.awssdk.services.iam.model.UpdateAssumeRolePolicyResponse;

/** The IAM subset Backup needs: roles, their trust and inline policies, attached AWS managed policies. */
public final class IamProvider {
    private final IamService iam;

    public IamProvider(IamService iam) {
        this.iam = iam;
    }

    public CreateRoleResponse createRole(RequestContext ctx, CreateRoleRequest req) {
        Map<String, String> tags = new LinkedHashMap<>();
        if (req.hasTags()) {
            req.tags().forEach(t -> tags.put(t.key(), t.value()));
        }
        Role r = iam.createRole(ctx.accountId(), req.roleName(), req.path(), req.assumeRolePolicyDocument(),
                req.description(), req.maxSessionDuration(), tags);
        return CreateRoleResponse.builder().role(toSdk(r, tags)).build();
    }

    public GetRoleResponse getRole(RequestContext ctx, GetRoleRequest req) {
        return GetRoleResponse.builder().role(toSdk(iam.getRole(ctx.accountId(), req.roleName()), null)).build();
    }

    public ListRolesResponse listRoles(RequestContext ctx, ListRolesRequest req) {
        Page<Role> page = iam.listRoles(ctx.accountId(), req.pathPrefix(), req.marker(), req.maxItems());
        return ListRolesResponse.builder().roles(page.items().stream().map(r -> toSdk(r, null)).toList())
                .isTruncated(page.nextSortKey() != null).marker(page.nextSortKey()).build();
    }

    public DeleteRoleResponse deleteRole(RequestContext ctx, DeleteRoleRequest req) {
        iam.deleteRole(ctx.accountId(), req.roleName());
        return DeleteRoleResponse.builder().build();
    }

    public AttachRolePolicyResponse attachRolePolicy(RequestContext ctx, AttachRolePolicyRequest req) {
        iam.attachPolicy(ctx.accountId(), req.roleName(), req.policyArn());
        return AttachRolePolicyResponse.builder().build();
    }

    public DetachRolePolicyResponse detachRolePolicy(RequestContext ctx, DetachRolePolicyRequest req) {
        iam.detachPolicy(ctx.accountId(), req.roleName(), req.policyArn());
        return DetachRolePolicyResponse.builder().build();
    }

    public ListAttachedRolePoliciesResponse listAttachedRolePolicies(RequestContext ctx,
                                                                     ListAttachedRolePoliciesRequest req) {
        Role r = iam.getRole(ctx.accountId(), req.roleName());
        return ListAttachedRolePoliciesResponse.builder().isTruncated(false)
                .attachedPolicies(r.attachedPolicyArns().stream().map(arn -> AttachedPolicy.builder().policyArn(arn)
                        .policyName(arn.substring(arn.lastIndexOf('/') + 1)).build()).toList()).build();
    }

    public PutRolePolicyResponse putRolePolicy(RequestContext ctx, PutRolePolicyRequest req) {
        iam.putInlinePolicy(ctx.accountId(), req.roleName(), req.policyName(), req.policyDocument());
        return PutRolePolicyResponse.builder().build();
    }

    public GetRolePolicyResponse getRolePolicy(RequestContext ctx, GetRolePolicyRequest req) {
        String doc = iam.inlinePolicy(ctx.accountId(), req.roleName(), req.policyName());
        return GetRolePolicyResponse.builder().roleName(req.roleName()).policyName(req.policyName())
                .policyDocument(urlEncode(doc)).build();
    }

    public DeleteRolePolicyResponse deleteRolePolicy(RequestContext ctx, DeleteRolePolicyRequest req) {
        iam.deleteInlinePolicy(ctx.accountId(), req.roleName(), req.policyName());
        return DeleteRolePolicyResponse.builder().build();
    }

    public ListRolePoliciesResponse listRolePolicies(RequestContext ctx, ListRolePoliciesRequest req) {
        Role r = iam.getRole(ctx.accountId(), req.roleName());
        return ListRolePoliciesResponse.builder().policyNames(r.inlinePolicies().keySet()).isTruncated(false).build();
    }

    public UpdateAssumeRolePolicyResponse updateAssumeRolePolicy(RequestContext ctx, UpdateAssumeRolePolicyRequest req) {
        iam.updateTrustPolicy(ctx.accountId(), req.roleName(), req.policyDocument());
        return UpdateAssumeRolePolicyResponse.builder().build();
    }

    public GetPolicyResponse getPolicy(RequestContext ctx, GetPolicyRequest req) {
        ManagedPolicy p = ManagedPolicy.find(req.policyArn());
        if (p == null) {
            throw DomainException.notFound("Policy " + req.policyArn() + " was not found.");
        }
        return GetPolicyResponse.builder().policy(Policy.builder().policyName(p.name()).arn(p.arn()).path(p.path())
                .policyId(p.policyId()).defaultVersionId("v1").isAttachable(true).attachmentCount(0)
                .createDate(p.created()).updateDate(p.created()).build()).build();
    }

    /** IAM returns policy documents URL-encoded, as AWS does. */
    private static software.amazon.awssdk.services.iam.model.Role toSdk(Role r, Map<String, String> tags) {
        var b = software.amazon.awssdk.services.iam.model.Role.builder().path(r.path()).roleName(r.name())
                .roleId(r.roleId()).arn(r.arn()).createDate(r.created()).description(r.description())
                .maxSessionDuration(r.maxSessionDuration())
                .assumeRolePolicyDocument(urlEncode(r.assumeRolePolicy()));
        if (tags != null && !tags.isEmpty()) {
            b.tags(tags.entrySet().stream().map(e -> Tag.builder().key(e.getKey()).value(e.getValue()).build()).toList());
        }
        return b.build();
    }

    private static String urlEncode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
