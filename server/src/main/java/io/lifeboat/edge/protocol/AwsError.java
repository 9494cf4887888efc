package io.lifeboat.edge.protocol;

import java.util.Map;

/** An error as it goes on the wire: code, HTTP status, client-safe message, extra shape members. */
public record AwsError(String code, int status, boolean senderFault, String message, Map<String, String> fields) {

    public AwsError(String code, int status, String message) {
        this(code, status, status < 500, message, Map.of());
    }
}
