package io.lifeboat.edge.protocol;

import io.lifeboat.edge.sigv4.AuthFailure;

/** How the JSON protocols (rest-json, awsJson) name authentication failures. */
final class JsonAuthErrors {
    private JsonAuthErrors() {
    }

    static AwsError of(AuthFailure failure) {
        return switch (failure.reason()) {
            case MISSING -> new AwsError("MissingAuthenticationTokenException", 403, failure.getMessage());
            case INCOMPLETE -> new AwsError("IncompleteSignatureException", 400, failure.getMessage());
            case UNKNOWN_KEY -> new AwsError("UnrecognizedClientException", 403, failure.getMessage());
            case BAD_SIGNATURE, EXPIRED -> new AwsError("InvalidSignatureException", 403, failure.getMessage());
        };
    }
}
