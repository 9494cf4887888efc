package io.lifeboat.edge.sigv4;

/** Why a request was not authenticated; each protocol spells the reason as its own AWS error code. */
public final class AuthFailure extends Exception {
    public enum Reason { MISSING, INCOMPLETE, UNKNOWN_KEY, BAD_SIGNATURE, EXPIRED }

    private final Reason reason;

    public AuthFailure(Reason reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
