package io.lifeboat.edge.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class RestRouterTest {
    static final ServiceModel BACKUP = ServiceModel.load("backup");
    static final RestRouter ROUTER = new RestRouter(BACKUP.operations().values());

    static Routed route(String method, String path, String query) {
        return ROUTER.match(method, path, RestRouter.parseQuery(query, false));
    }

    @Test
    void arnLabelsWithEncodedSlashesStayOneSegment() {
        String arn = "arn%3Aaws%3Aec2%3Aus-east-1%3A123456789012%3Ainstance%2Fi-0abc123";
        Routed r = route("GET", "/resources/" + arn + "/recovery-points/", null);
        assertThat(r.operation().name()).isEqualTo("ListRecoveryPointsByResource");
        assertThat(r.labels()).isEqualTo(Map.of("resourceArn", "arn:aws:ec2:us-east-1:123456789012:instance/i-0abc123"));
        assertThat(route("GET", "/resources/" + arn, null).operation().name()).isEqualTo("DescribeProtectedResource");
        assertThat(route("GET", "/resources/" + arn + "/restore-jobs/", null).operation().name())
                .isEqualTo("ListRestoreJobsByProtectedResource");
    }

    @Test
    void methodsAndTrailingSlashesSelectTheOperation() {
        assertThat(route("POST", "/tags/x", null).operation().name()).isEqualTo("TagResource");
        assertThat(route("GET", "/tags/x/", null).operation().name()).isEqualTo("ListTags");
        assertThat(route("GET", "/tags/x", null).operation().name()).isEqualTo("ListTags");
        assertThat(route("GET", "/backup/plans/p1/", null).operation().name()).isEqualTo("GetBackupPlan");
        assertThat(route("POST", "/backup/plans/p1", null).operation().name()).isEqualTo("UpdateBackupPlan");
        assertThat(route("POST", "/backup-vaults/v/recovery-points/rp/disassociate", null).operation().name())
                .isEqualTo("DisassociateRecoveryPoint");
        assertThat(route("POST", "/backup-vaults/v/mpaApprovalTeam", "delete").operation().name())
                .isEqualTo("DisassociateBackupVaultMpaApprovalTeam");
        assertThat(route("GET", "/nothing/here", null)).isNull();
    }
}
