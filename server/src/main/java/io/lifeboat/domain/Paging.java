package io.lifeboat.domain;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Opaque page tokens: the sort key of the last item, base64url-encoded with a kind prefix so a
 * token from one listing is refused by another. A fresh token each page (the CLI stops on a repeat).
 */
public final class Paging {
    private Paging() {
    }

    public static String token(String kind, String sortKey) {
        if (sortKey == null) {
            return null;
        }
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString((kind + "|" + sortKey).getBytes(StandardCharsets.UTF_8));
    }

    /** The sort key to start after; null for the first page. */
    public static String after(String kind, String token) {
        if (token == null || token.isEmpty()) {
            return null;
        }
        try {
            String s = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
            if (s.startsWith(kind + "|")) {
                return s.substring(kind.length() + 1);
            }
        } catch (IllegalArgumentException e) {
            // falls through to the error below
        }
        throw DomainException.invalid("The pagination token '" + token + "' is not valid for this request.");
    }

    public static int limit(Integer maxResults, int defaultLimit) {
        return maxResults == null ? defaultLimit : Math.max(1, Math.min(maxResults, 1000));
    }
}
