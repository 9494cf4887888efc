package io.lifeboat.edge.protocol;

/** The request could not be read as the protocol defines it; carries the AWS error to answer. */
public final class WireException extends RuntimeException {
    private final AwsError error;

    public WireException(AwsError error) {
        super(error.message(), null, false, false);
        this.error = error;
    }

    public AwsError error() {
        return error;
    }
}
