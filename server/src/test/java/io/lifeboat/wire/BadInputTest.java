package io.lifeboat.wire;

import static org.assertj.core.api.Assertions.assertThat;

import io.lifeboat.testing.Fixtures;
import io.lifeboat.testing.RawClient;
import io.lifeboat.testing.RawClient.Response;
import io.lifeboat.testing.TestServer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.backup.BackupClient;
import software.amazon.awssdk.services.backup.model.BackupPlansListMember;
import software.amazon.awssdk.services.backup.model.BackupVaultListMember;

/**
 * Malformed, oversized, unauthenticated and wrong-state requests, sent by hand. Each must get the
 * AWS error code and status, never a 500 or a stack trace, and must leave the stored state as it was.
 */
class BadInputTest {
    static final String JSON = "application/json";
    static TestServer server;
    static RawClient raw;
    static BackupClient backup;
    static String vault;
    List<String> vaultsBefore;
    List<String> plansBefore;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        raw = new RawClient(server);
        backup = server.backup();
        vault = Fixtures.vault(backup);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @BeforeEach
    void snapshot() {
        vaultsBefore = vaults();
        plansBefore = plans();
    }

    @AfterEach
    void nothingChanged() {
        assertThat(vaults()).isEqualTo(vaultsBefore);
        assertThat(plans()).isEqualTo(plansBefore);
    }

    static List<String> vaults() {
        return backup.listBackupVaultsPaginator(b -> b.maxResults(100)).backupVaultList().stream()
                .map(BackupVaultListMember::backupVaultName).sorted().toList();
    }

    static List<String> plans() {
        return backup.listBackupPlansPaginator(b -> b.maxResults(100)).backupPlansList().stream()
                .map(BackupPlansListMember::backupPlanId).sorted().toList();
    }

    static void assertError(Response r, int status, String code) {
        assertThat(r.status()).as(r.body()).isEqualTo(status);
        assertThat(r.errorType()).isEqualTo(code);
        assertThat(r.body()).contains("\"__type\":\"" + code + "\"").doesNotContain("Exception:").doesNotContain("\tat ");
    }

    @Test
    void malformedJson() {
        assertError(raw.signed("backup", "PUT", "/backup/plans/", JSON, "{\"BackupPlan\": {"), 400,
                "SerializationException");
        assertError(raw.signed("backup", "PUT", "/backup/plans/", JSON, "[1,2,3]"), 400, "SerializationException");
        assertError(raw.signed("backup", "PUT", "/backup/plans/", JSON, "{\"a\":1,\"a\":2}"), 400,
                "SerializationException");
    }

    @Test
    void wrongTypes() {
        assertError(raw.signed("backup", "PUT", "/backup/plans/", JSON, "{\"BackupPlan\": \"daily\"}"), 400,
                "SerializationException");
        assertError(raw.signed("backup", "PUT", "/backup/plans/", JSON, "{\"BackupPlan\": {\"BackupPlanName\": 5, "
                + "\"Rules\": []}}"), 400, "SerializationException");
        assertError(raw.signed("backup", "PUT", "/backup/plans/", JSON, "{\"BackupPlan\": {\"BackupPlanName\": \"x\", "
                + "\"Rules\": [{\"RuleName\": \"r\", \"TargetBackupVaultName\": \"" + vault
                + "\", \"StartWindowMinutes\": \"sixty\"}]}}"), 400, "SerializationException");
        assertError(raw.signed("backup", "GET", "/backup-vaults/?maxResults=ten", null, ""), 400,
                "SerializationException");
    }

    @Test
    void deepNestingIsRefused() {
        String deep = "{\"BackupPlan\":" + "[".repeat(5000) + "]".repeat(5000) + "}";
        assertError(raw.signed("backup", "PUT", "/backup/plans/", JSON, deep), 400, "SerializationException");
    }

    @Test
    void missingRequiredMembers() {
        assertError(raw.signed("backup", "PUT", "/backup/plans/", JSON, "{}"), 400, "MissingParameterValueException");
        Response r = raw.signed("backup", "PUT", "/backup/plans/", JSON, "{\"BackupPlan\": {\"BackupPlanName\": \"x\"}}");
        assertError(r, 400, "MissingParameterValueException");
        assertThat(r.body()).contains("backupPlan.rules");
    }

    @Test
    void oversizedBodyAndNames() throws Exception {
        // Declared too large: refused with 413 before any of the body is read.
        String head = raw.rawBytes(("PUT /backup/plans/ HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                + "Content-Length: 9437184\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        assertThat(head).startsWith("HTTP/1.1 413");
        // Sent whole: 413 too, unless the server's early answer and close beat the client's upload.
        byte[] huge = new byte[9 * 1024 * 1024];
        java.util.Arrays.fill(huge, (byte) ' ');
        try {
            Response r = raw.signed("backup", "PUT", "/backup/plans/", JSON, huge, server.key().accessKeyId(),
                    server.key().secretAccessKey(), Clock.systemUTC());
            assertThat(r.status()).isEqualTo(413);
        } catch (java.io.UncheckedIOException connectionClosedEarly) {
            assertThat(raw.unsigned("GET", "/_lifeboat/health", null, "").status()).isEqualTo(200);
        }
        // A chunked body has no declared length: read up to the bound, refused past it.
        String chunkedHead = "PUT /backup/plans/ HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                + "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n";
        assertThat(raw.rawBytes((chunkedHead + "2\r\n{}\r\n0\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1)))
                .startsWith("HTTP/1.1 403").contains("MissingAuthenticationTokenException");
        String bigChunk = Integer.toHexString(huge.length) + "\r\n" + new String(huge, StandardCharsets.ISO_8859_1);
        assertThat(raw.rawBytes((chunkedHead + bigChunk + "\r\n0\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1)))
                .startsWith("HTTP/1.1 413");
        Response longName = raw.signed("backup", "PUT", "/backup-vaults/" + "v".repeat(51), JSON, "{}");
        assertError(longName, 400, "InvalidParameterValueException");
        assertThat(longName.body()).contains("Member must satisfy regular expression pattern");
        assertError(raw.signed("backup", "PUT", "/backup-vaults/bad%20name", JSON, "{}"), 400,
                "InvalidParameterValueException");
    }

    @Test
    void badCronAndLifecycle() {
        String rule = "{\"RuleName\":\"r\",\"TargetBackupVaultName\":\"" + vault + "\",\"ScheduleExpression\":\"%s\"%s}";
        assertError(raw.signed("backup", "PUT", "/backup/plans/", JSON, "{\"BackupPlan\":{\"BackupPlanName\":\"x\","
                + "\"Rules\":[" + rule.formatted("cron(0 5 * * *)", "") + "]}}"), 400, "InvalidParameterValueException");
        assertError(raw.signed("backup", "PUT", "/backup/plans/", JSON, "{\"BackupPlan\":{\"BackupPlanName\":\"x\","
                + "\"Rules\":[" + rule.formatted("cron(0 5 ? * * *)",
                ",\"Lifecycle\":{\"MoveToColdStorageAfterDays\":30,\"DeleteAfterDays\":35}") + "]}}"), 400,
                "InvalidParameterValueException");
    }

    @Test
    void unknownIdsAndWrongStates() {
        assertError(raw.signed("backup", "GET", "/backup/plans/not-a-plan/", null, ""), 400,
                "ResourceNotFoundException");
        assertError(raw.signed("backup", "DELETE", "/backup-vaults/no-such-vault", null, ""), 400,
                "ResourceNotFoundException");
        assertError(raw.signed("backup", "PUT", "/backup-vaults/" + vault, JSON, "{}"), 400, "AlreadyExistsException");
    }

    @Test
    void unknownAndUnimplementedOperations() {
        assertError(raw.signed("backup", "GET", "/no/such/path", null, ""), 404, "UnknownOperationException");
        assertError(raw.signed("backup", "GET", "/scan/jobs", null, ""), 501, "NotImplemented");
        Response kms = raw.signed("kms", "POST", "/", "application/x-amz-json-1.1", "{}");
        assertThat(kms.status()).isEqualTo(400);
        assertThat(kms.body()).contains("UnknownOperationException");
    }

    @Test
    void missingAndBadSignatures() {
        assertError(raw.unsigned("GET", "/backup-vaults/", null, ""), 403, "MissingAuthenticationTokenException");
        assertError(raw.signed("backup", "GET", "/backup-vaults/", null, new byte[0], server.key().accessKeyId(),
                "wrong-secret", Clock.systemUTC()), 403, "InvalidSignatureException");
        assertError(raw.signed("backup", "GET", "/backup-vaults/", null, new byte[0], "LKIAUNKNOWNKEY000000",
                "whatever", Clock.systemUTC()), 403, "UnrecognizedClientException");
        Response iam = raw.signed("iam", "POST", "/", "application/x-www-form-urlencoded",
                "Action=ListRoles&Version=2010-05-08".getBytes(StandardCharsets.UTF_8), server.key().accessKeyId(),
                "wrong-secret", Clock.systemUTC());
        assertThat(iam.status()).isEqualTo(403);
        assertThat(iam.body()).contains("<Code>SignatureDoesNotMatch</Code>").contains("<Type>Sender</Type>");
    }

    /** Unsigned requests are still answered in the protocol of the service they name. */
    @Test
    void unsignedRequestsGetTheirServicesErrorFormat() {
        Response kms = raw.unsignedWith("POST", "/", Map.of("Content-Type", "application/x-amz-json-1.1",
                "X-Amz-Target", "TrentService.ListKeys"), "{}");
        assertThat(kms.status()).isEqualTo(403);
        assertThat(kms.contentType()).startsWith("application/x-amz-json-1.1");
        assertThat(kms.body()).contains("\"__type\":\"MissingAuthenticationTokenException\"", "\"message\"");
        Response iam = raw.unsigned("POST", "/", "application/x-www-form-urlencoded",
                "Action=ListRoles&Version=2010-05-08");
        assertThat(iam.status()).isEqualTo(403);
        assertThat(iam.body()).contains("<Code>MissingAuthenticationToken</Code>");
    }

    @Test
    void skewedClocks() {
        Clock late = Clock.offset(Clock.systemUTC(), Duration.ofMinutes(-20));
        Response r = raw.signed("backup", "GET", "/backup-vaults/", null, new byte[0], server.key().accessKeyId(),
                server.key().secretAccessKey(), late);
        assertError(r, 403, "InvalidSignatureException");
        assertThat(r.body()).contains("Signature expired");
        Clock early = Clock.offset(Clock.systemUTC(), Duration.ofMinutes(20));
        assertError(raw.signed("backup", "GET", "/backup-vaults/", null, new byte[0], server.key().accessKeyId(),
                server.key().secretAccessKey(), early), 403, "InvalidSignatureException");
    }

    @Test
    void garbageOnTheSocketDoesNotHurtTheServer() throws Exception {
        raw.rawBytes("\u0000\u0001\u0002 not http at all\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        raw.rawBytes("GET /backup-vaults/ HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n"
                .getBytes(StandardCharsets.ISO_8859_1));
        raw.rawBytes("PUT /backup-vaults/x HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{"
                .getBytes(StandardCharsets.ISO_8859_1));
        assertThat(raw.unsigned("GET", "/_lifeboat/health", null, "").status()).isEqualTo(200);
    }
}
