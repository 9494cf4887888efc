package io.lifeboat.edge.sigv4;

import io.lifeboat.edge.http.WireRequest;
import java.util.Optional;

/**
 * The parts of a SigV4 Authorization header, parsed without verifying anything, so the front
 * door can route by service and region before it knows which secret to check against.
 */
public record CredentialScope(String accessKeyId, String date, String region, String service,
                              String signedHeaders, String signature) {
    static final String ALGORITHM = "AWS4-HMAC-SHA256";

    public static Optional<CredentialScope> of(WireRequest request) {
        String auth = request.header("authorization");
        if (auth == null || !auth.startsWith(ALGORITHM + " ")) {
            return Optional.empty();
        }
        String credential = null;
        String signedHeaders = null;
        String signature = null;
        for (String part : auth.substring(ALGORITHM.length() + 1).split(",")) {
            String p = part.trim();
            int eq = p.indexOf('=');
            if (eq < 0) {
                continue;
            }
            String value = p.substring(eq + 1).trim();
            switch (p.substring(0, eq).trim()) {
                case "Credential" -> credential = value;
                case "SignedHeaders" -> signedHeaders = value;
                case "Signature" -> signature = value;
                default -> { }
            }
        }
        if (credential == null) {
            return Optional.empty();
        }
        String[] c = credential.split("/");
        if (c.length != 5 || !"aws4_request".equals(c[4])) {
            return Optional.empty();
        }
        return Optional.of(new CredentialScope(c[0], c[1], c[2], c[3], signedHeaders, signature));
    }

    public boolean complete() {
        return signedHeaders != null && signature != null && !signedHeaders.isEmpty() && !signature.isEmpty();
    }

    String scopeString() {
        return date + "/" + region + "/" + service + "/aws4_request";
    }
}
