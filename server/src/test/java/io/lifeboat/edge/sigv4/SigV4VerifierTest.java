package io.lifeboat.edge.sigv4;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lifeboat.edge.http.WireRequest;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

class SigV4VerifierTest {
    static final AccessKey EXAMPLE = new AccessKey("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
            "123456789012");

    static SigV4Verifier verifier(Instant now) {
        return new SigV4Verifier(id -> id.equals(EXAMPLE.accessKeyId()) ? Optional.of(EXAMPLE) : Optional.empty(),
                Clock.fixed(now, ZoneOffset.UTC), Duration.ofMinutes(15));
    }

    /** The "get-vanilla" case of AWS's public SigV4 test suite. */
    @Test
    void awsTestSuiteGetVanilla() throws AuthFailure {
        Map<String, List<String>> headers = new HashMap<>();
        headers.put("host", List.of("example.amazonaws.com"));
        headers.put("x-amz-date", List.of("20150830T123600Z"));
        headers.put("authorization", List.of("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/"
                + "aws4_request, SignedHeaders=host;x-amz-date, "
                + "Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"));
        Principal p = verifier(Instant.parse("2015-08-30T12:36:00Z"))
                .verify(new WireRequest("GET", "/", null, headers, new byte[0]));
        assertThat(p.accountId()).isEqualTo("123456789012");
        assertThat(p.region()).isEqualTo("us-east-1");
        assertThat(p.service()).isEqualTo("service");
    }

    /** Whatever the SDK's own signer signs, with encoded ARNs in the path and odd query values, verifies. */
    @Test
    void acceptsWhatTheSdkSignerProduces() throws AuthFailure {
        Instant now = Instant.parse("2026-11-26T10:00:00Z");
        String path = "/resources/arn%3Aaws%3Aec2%3Aus-east-1%3A123456789012%3Ainstance%2Fi-0abc/recovery-points/";
        String query = "maxResults=10&nextToken=a%2Bb%2Fc%3D&createdAfter=2024-01-01T00%3A00%3A00Z";
        WireRequest request = sign("GET", path, query, "", EXAMPLE.secretAccessKey(), now);
        assertThat(verifier(now).verify(request).accessKeyId()).isEqualTo("AKIDEXAMPLE");

        WireRequest post = sign("POST", "/backup/plans/abc", null, "{\"BackupPlan\":{}}", EXAMPLE.secretAccessKey(), now);
        assertThat(verifier(now).verify(post).service()).isEqualTo("backup");
    }

    /** Signed header values are canonical with runs of inner spaces as one and the ends trimmed. */
    @Test
    void headerValuesWithRunsOfSpacesVerify() throws AuthFailure {
        Instant now = Instant.parse("2026-11-26T10:00:00Z");
        WireRequest request = sign("GET", "/backup-vaults/", null, "", EXAMPLE.secretAccessKey(), now,
                Map.of("X-Note", "  a   b  c "));
        assertThat(request.header("authorization")).contains("x-note");
        assertThat(request.headers().get("x-note")).containsExactly("  a   b  c ");
        assertThat(verifier(now).verify(request).accessKeyId()).isEqualTo("AKIDEXAMPLE");
    }

    @Test
    void refusesTamperingWrongSecretsUnknownKeysAndSkew() {
        Instant now = Instant.parse("2026-11-26T10:00:00Z");
        WireRequest good = sign("POST", "/backup-vaults/v", null, "{}", EXAMPLE.secretAccessKey(), now);
        WireRequest tampered = new WireRequest(good.method(), good.rawPath(), good.rawQuery(), good.headers(),
                "{\"x\":1}".getBytes(StandardCharsets.UTF_8));
        assertReason(() -> verifier(now).verify(tampered), AuthFailure.Reason.BAD_SIGNATURE);
        assertReason(() -> verifier(now).verify(sign("GET", "/", null, "", "wrong", now)), AuthFailure.Reason.BAD_SIGNATURE);
        assertReason(() -> verifier(now.plus(Duration.ofMinutes(16))).verify(good), AuthFailure.Reason.EXPIRED);
        assertReason(() -> verifier(now.minus(Duration.ofMinutes(16))).verify(good), AuthFailure.Reason.EXPIRED);
        Map<String, List<String>> noAuth = new HashMap<>(good.headers());
        noAuth.remove("authorization");
        assertReason(() -> verifier(now).verify(new WireRequest("GET", "/", null, noAuth, new byte[0])),
                AuthFailure.Reason.MISSING);
        Map<String, List<String>> unknown = new HashMap<>(good.headers());
        unknown.put("authorization", List.of(good.header("authorization").replace("AKIDEXAMPLE", "AKIDOTHER")));
        assertReason(() -> verifier(now).verify(new WireRequest("POST", good.rawPath(), null, unknown, good.body())),
                AuthFailure.Reason.UNKNOWN_KEY);
        Map<String, List<String>> partial = new HashMap<>(good.headers());
        partial.put("authorization", List.of("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261126/us-east-1/backup/aws4_request"));
        assertReason(() -> verifier(now).verify(new WireRequest("POST", good.rawPath(), null, partial, good.body())),
                AuthFailure.Reason.INCOMPLETE);
    }

    private static void assertReason(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, AuthFailure.Reason r) {
        assertThatThrownBy(call).isInstanceOfSatisfying(AuthFailure.class, f -> assertThat(f.reason()).isEqualTo(r));
    }

    static WireRequest sign(String method, String rawPath, String rawQuery, String body, String secret, Instant now) {
        return sign(method, rawPath, rawQuery, body, secret, now, Map.of());
    }

    /** Signed by the SDK's own signer, with {@code extra} headers signed too, as the wire carries them. */
    static WireRequest sign(String method, String rawPath, String rawQuery, String body, String secret, Instant now,
                            Map<String, String> extra) {
        URI uri = URI.create("http://127.0.0.1:4566" + rawPath + (rawQuery == null ? "" : "?" + rawQuery));
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        SdkHttpRequest.Builder unsigned = SdkHttpRequest.builder().uri(uri).method(SdkHttpMethod.fromValue(method))
                .putHeader("Content-Type", "application/json");
        extra.forEach(unsigned::putHeader);
        var signed = AwsV4HttpSigner.create().sign(r -> r
                .identity(AwsCredentialsIdentity.create(EXAMPLE.accessKeyId(), secret))
                .request(unsigned.build())
                .payload(ContentStreamProvider.fromByteArray(bytes))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "backup")
                .putProperty(AwsV4HttpSigner.REGION_NAME, "us-east-1")
                .putProperty(HttpSigner.SIGNING_CLOCK, Clock.fixed(now, ZoneOffset.UTC)));
        Map<String, List<String>> headers = new HashMap<>();
        signed.request().headers().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), v));
        headers.putIfAbsent("host", List.of("127.0.0.1:4566"));
        return new WireRequest(method, signed.request().encodedPath(), rawQuery, headers, bytes);
    }
}
