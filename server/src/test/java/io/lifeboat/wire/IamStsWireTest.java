package io.lifeboat.wire;

import static io.lifeboat.testing.AwsErrors.assertAwsError;
import static io.lifeboat.testing.Fixtures.TRUST_BACKUP;
import static io.lifeboat.testing.Fixtures.unique;
import static org.assertj.core.api.Assertions.assertThat;

import io.lifeboat.testing.TestServer;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.AttachedPolicy;
import software.amazon.awssdk.services.iam.model.Role;

class IamStsWireTest {
    static final String FOR_BACKUP = "arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup";
    static final String FOR_RESTORES = "arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForRestores";
    static TestServer server;
    static IamClient iam;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        iam = server.iam();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void tutorialRoleWithManagedPolicies() {
        String name = unique("AWSBackupRole");
        Role role = iam.createRole(b -> b.roleName(name).assumeRolePolicyDocument(TRUST_BACKUP)).role();
        assertThat(role.arn()).isEqualTo("arn:aws:iam::123456789012:role/" + name);
        assertThat(role.roleId()).startsWith("AROA").hasSize(21);
        assertThat(role.path()).isEqualTo("/");
        assertThat(URLDecoder.decode(role.assumeRolePolicyDocument(), StandardCharsets.UTF_8)).isEqualTo(TRUST_BACKUP);

        iam.attachRolePolicy(b -> b.roleName(name).policyArn(FOR_BACKUP));
        iam.attachRolePolicy(b -> b.roleName(name).policyArn(FOR_RESTORES));
        assertThat(iam.listAttachedRolePolicies(b -> b.roleName(name)).attachedPolicies())
                .extracting(AttachedPolicy::policyName)
                .containsExactly("AWSBackupServiceRolePolicyForBackup", "AWSBackupServiceRolePolicyForRestores");
        assertThat(iam.getPolicy(b -> b.policyArn(FOR_BACKUP)).policy().policyName())
                .isEqualTo("AWSBackupServiceRolePolicyForBackup");
        assertThat(iam.getRole(b -> b.roleName(name)).role().createDate()).isEqualTo(role.createDate());
        assertThat(iam.listRolesPaginator().roles()).anyMatch(r -> r.roleName().equals(name));

        assertAwsError(() -> iam.deleteRole(b -> b.roleName(name)), "DeleteConflict", 409);
        iam.detachRolePolicy(b -> b.roleName(name).policyArn(FOR_BACKUP));
        iam.detachRolePolicy(b -> b.roleName(name).policyArn(FOR_RESTORES));
        iam.deleteRole(b -> b.roleName(name));
        assertAwsError(() -> iam.getRole(b -> b.roleName(name)), "NoSuchEntity", 404);
    }

    @Test
    void iamErrorsAreIamShaped() {
        String name = unique("Dup");
        iam.createRole(b -> b.roleName(name).assumeRolePolicyDocument(TRUST_BACKUP));
        assertAwsError(() -> iam.createRole(b -> b.roleName(name).assumeRolePolicyDocument(TRUST_BACKUP)),
                "EntityAlreadyExists", 409);
        assertAwsError(() -> iam.createRole(b -> b.roleName(unique("Bad")).assumeRolePolicyDocument("{not json")),
                "MalformedPolicyDocument", 400);
        assertAwsError(() -> iam.createRole(b -> b.roleName("has space").assumeRolePolicyDocument(TRUST_BACKUP)),
                "ValidationError", 400);
        assertAwsError(() -> iam.attachRolePolicy(b -> b.roleName("missing").policyArn(FOR_BACKUP)), "NoSuchEntity", 404);
        assertAwsError(() -> iam.attachRolePolicy(b -> b.roleName(name)
                .policyArn("arn:aws:iam::aws:policy/NoSuchPolicy")), "NoSuchEntity", 404);
    }

    @Test
    void inlinePolicies() {
        String name = unique("Inline");
        iam.createRole(b -> b.roleName(name).assumeRolePolicyDocument(TRUST_BACKUP));
        String doc = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"backup:*\",\"Resource\":\"*\"}]}";
        iam.putRolePolicy(b -> b.roleName(name).policyName("p").policyDocument(doc));
        assertThat(URLDecoder.decode(iam.getRolePolicy(b -> b.roleName(name).policyName("p")).policyDocument(),
                StandardCharsets.UTF_8)).isEqualTo(doc);
        assertThat(iam.listRolePolicies(b -> b.roleName(name)).policyNames()).containsExactly("p");
        iam.deleteRolePolicy(b -> b.roleName(name).policyName("p"));
        assertAwsError(() -> iam.getRolePolicy(b -> b.roleName(name).policyName("p")), "NoSuchEntity", 404);
    }

    @Test
    void callerIdentityIsTheAccount() {
        var id = server.sts().getCallerIdentity();
        assertThat(id.account()).isEqualTo("123456789012");
        assertThat(id.arn()).isEqualTo("arn:aws:iam::123456789012:root");
    }
}
