package io.lifeboat.edge.sigv4;

import io.lifeboat.edge.http.WireRequest;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Verifies AWS Signature Version 4 in the Authorization-header form the SDKs and the CLI send.
 * The canonical request is rebuilt from the raw path and query (never decoded ones); for every
 * service but S3 the path is percent-encoded a second time, as the SDK signers do.
 * Time is the wall clock on purpose: a simulated scheduler clock must not break authentication.
 */
public final class SigV4Verifier {
    static final DateTimeFormatter AMZ_DATE =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    private static final HexFormat HEX = HexFormat.of();

    private final Function<String, Optional<AccessKey>> keys;
    private final Clock wallClock;
    private final Duration maxSkew;
    private final Map<String, byte[]> signingKeys = new ConcurrentHashMap<>();

    public SigV4Verifier(Function<String, Optional<AccessKey>> keys, Clock wallClock, Duration maxSkew) {
        this.keys = keys;
        this.wallClock = wallClock;
        this.maxSkew = maxSkew;
    }

    public Principal verify(WireRequest request) throws AuthFailure {
        CredentialScope scope = CredentialScope.of(request).orElseThrow(() -> missingOrIncomplete(request));
        if (!scope.complete()) {
            throw new AuthFailure(AuthFailure.Reason.INCOMPLETE,
                    "Authorization header requires 'Credential', 'SignedHeaders' and 'Signature' parameters.");
        }
        String amzDate = request.header("x-amz-date");
        if (amzDate == null) {
            throw new AuthFailure(AuthFailure.Reason.INCOMPLETE,
                    "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.");
        }
        checkSkew(amzDate);
        if (!amzDate.startsWith(scope.date())) {
            throw new AuthFailure(AuthFailure.Reason.BAD_SIGNATURE,
                    "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '"
                            + scope.date() + "' != '" + amzDate.substring(0, Math.min(8, amzDate.length())) + "'");
        }
        AccessKey key = keys.apply(scope.accessKeyId()).orElseThrow(() -> new AuthFailure(
                AuthFailure.Reason.UNKNOWN_KEY, "The security token included in the request is invalid."));
        String canonical;
        try {
            canonical = canonicalRequest(request, scope);
        } catch (PayloadMismatch e) {
            throw new AuthFailure(AuthFailure.Reason.BAD_SIGNATURE, e.getMessage());
        }
        String toSign = CredentialScope.ALGORITHM + "\n" + amzDate + "\n" + scope.scopeString() + "\n"
                + HEX.formatHex(sha256(canonical.getBytes(StandardCharsets.UTF_8)));
        byte[] expected = HEX.formatHex(hmac(signingKey(key, scope), toSign)).getBytes(StandardCharsets.US_ASCII);
        if (!MessageDigest.isEqual(expected, scope.signature().getBytes(StandardCharsets.US_ASCII))) {
            throw new AuthFailure(AuthFailure.Reason.BAD_SIGNATURE,
                    "The request signature we calculated does not match the signature you provided. "
                            + "Check your AWS Secret Access Key and signing method. "
                            + "Consult the service documentation for details.");
        }
        return new Principal(key.accountId(), key.accessKeyId(), scope.region(), scope.service());
    }

    private static AuthFailure missingOrIncomplete(WireRequest request) {
        String auth = request.header("authorization");
        if (auth == null || auth.isBlank()) {
            return new AuthFailure(AuthFailure.Reason.MISSING, "Missing Authentication Token");
        }
        if (!auth.startsWith(CredentialScope.ALGORITHM)) {
            return new AuthFailure(AuthFailure.Reason.INCOMPLETE,
                    "Authorization header requires 'AWS4-HMAC-SHA256' as its algorithm.");
        }
        return new AuthFailure(AuthFailure.Reason.INCOMPLETE,
                "Authorization header requires a 'Credential' parameter of the form "
                        + "'<access key>/<date>/<region>/<service>/aws4_request'.");
    }

    private void checkSkew(String amzDate) throws AuthFailure {
        Instant signedAt;
        try {
            signedAt = AMZ_DATE.parse(amzDate, Instant::from);
        } catch (DateTimeParseException e) {
            throw new AuthFailure(AuthFailure.Reason.INCOMPLETE,
                    "Date must be in ISO-8601 'basic format'. Got '" + amzDate + "'.");
        }
        Instant now = wallClock.instant();
        if (Duration.between(signedAt, now).abs().compareTo(maxSkew) > 0) {
            boolean early = signedAt.isBefore(now);
            String bound = AMZ_DATE.format(early ? now.minus(maxSkew) : now.plus(maxSkew));
            throw new AuthFailure(AuthFailure.Reason.EXPIRED, "Signature " + (early ? "expired" : "not yet current")
                    + ": " + amzDate + " is now " + (early ? "earlier" : "later") + " than " + bound + " ("
                    + AMZ_DATE.format(now) + (early ? " - " : " + ") + maxSkew.toMinutes() + " min.)");
        }
    }

    String canonicalRequest(WireRequest request, CredentialScope scope) {
        boolean s3 = "s3".equals(scope.service());
        StringBuilder sb = new StringBuilder(256);
        sb.append(request.method()).append('\n');
        sb.append(canonicalUri(request.rawPath(), s3)).append('\n');
        sb.append(canonicalQuery(request.rawQuery())).append('\n');
        for (String name : scope.signedHeaders().split(";")) {
            List<String> values = request.headers().getOrDefault(name, List.of());
            sb.append(name).append(':');
            for (int i = 0; i < values.size(); i++) {
                sb.append(i > 0 ? "," : "").append(collapseSpaces(values.get(i).trim()));
            }
            sb.append('\n');
        }
        sb.append('\n').append(scope.signedHeaders()).append('\n');
        sb.append(payloadHash(request));
        return sb.toString();
    }

    /**
     * The payload hash that was signed. A declared hex hash must match the body actually received,
     * else the signature would cover a body other than this one; UNSIGNED-PAYLOAD is taken as
     * declared (the SDKs use it over TLS only).
     */
    private static String payloadHash(WireRequest request) {
        String actual = HEX.formatHex(sha256(request.body()));
        String declared = request.header("x-amz-content-sha256");
        if (declared == null || declared.equals("UNSIGNED-PAYLOAD")) {
            return declared == null ? actual : declared;
        }
        if (!declared.equalsIgnoreCase(actual)) {
            throw new PayloadMismatch(declared.startsWith("STREAMING-")
                    ? "Chunked (STREAMING-*) payload signing is not supported on this endpoint."
                    : "The provided 'x-amz-content-sha256' header does not match what was computed.");
        }
        return declared;
    }

    /** Raised inside canonicalisation; surfaces as a signature failure. */
    private static final class PayloadMismatch extends RuntimeException {
        PayloadMismatch(String message) {
            super(message, null, false, false);
        }
    }

    static String canonicalUri(String rawPath, boolean s3) {
        String path = rawPath == null || rawPath.isEmpty() ? "/" : rawPath;
        if (s3) {
            return path;
        }
        path = removeDotSegments(path);
        return Rfc3986.encode(path, true);
    }

    /** Runs of spaces as one, as SigV4 canonical header values want (without a regex per request). */
    private static String collapseSpaces(String value) {
        if (!value.contains("  ")) {
            return value;
        }
        StringBuilder sb = new StringBuilder(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c != ' ' || sb.isEmpty() || sb.charAt(sb.length() - 1) != ' ') {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    private static String removeDotSegments(String path) {
        if (!path.contains("/.")) {
            return path;
        }
        List<String> out = new ArrayList<>();
        String[] parts = path.split("/", -1);
        for (int i = 1; i < parts.length; i++) {
            String p = parts[i];
            if (p.equals("..")) {
                if (!out.isEmpty()) {
                    out.remove(out.size() - 1);
                }
            } else if (!p.equals(".")) {
                out.add(p);
            }
        }
        return "/" + String.join("/", out);
    }

    static String canonicalQuery(String rawQuery) {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return "";
        }
        List<String[]> pairs = new ArrayList<>();
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String k = eq < 0 ? pair : pair.substring(0, eq);
            String v = eq < 0 ? "" : pair.substring(eq + 1);
            pairs.add(new String[] {Rfc3986.encode(Rfc3986.decode(k), false),
                    Rfc3986.encode(Rfc3986.decode(v), false)});
        }
        pairs.sort((a, b) -> a[0].equals(b[0]) ? a[1].compareTo(b[1]) : a[0].compareTo(b[0]));
        StringBuilder sb = new StringBuilder();
        for (String[] p : pairs) {
            sb.append(sb.isEmpty() ? "" : "&").append(p[0]).append('=').append(p[1]);
        }
        return sb.toString();
    }

    private byte[] signingKey(AccessKey key, CredentialScope scope) {
        String cacheKey = key.accessKeyId() + '/' + scope.scopeString();
        return signingKeys.computeIfAbsent(cacheKey, k -> {
            if (signingKeys.size() > 10_000) {
                signingKeys.clear();
            }
            byte[] kDate = hmac(("AWS4" + key.secretAccessKey()).getBytes(StandardCharsets.UTF_8), scope.date());
            byte[] kRegion = hmac(kDate, scope.region());
            byte[] kService = hmac(kRegion, scope.service());
            return hmac(kService, "aws4_request");
        });
    }

    static byte[] hmac(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }
}
