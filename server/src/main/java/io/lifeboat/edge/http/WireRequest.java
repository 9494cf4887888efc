package io.lifeboat.edge.http;

import java.util.List;
import java.util.Map;

/**
 * One HTTP request as it came off the socket: the path and query exactly as sent (still
 * percent-encoded, because SigV4 signs them that way), header names in lower case, the whole body.
 */
public record WireRequest(String method, String rawPath, String rawQuery,
                          Map<String, List<String>> headers, byte[] body) {

    public String header(String lowerCaseName) {
        List<String> values = headers.get(lowerCaseName);
        return values == null || values.isEmpty() ? null : values.get(0);
    }
}
