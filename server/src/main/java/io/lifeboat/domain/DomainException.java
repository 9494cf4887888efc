package io.lifeboat.domain;

import java.util.Map;

/**
 * A rule of the domain said no. The kind says which rule family; the edge turns a kind into the
 * AWS error code and status of the service that was called (one table per service), so no throw
 * site knows about HTTP. The message is safe to show to the client.
 */
public final class DomainException extends RuntimeException {

    public enum Kind {
        NOT_FOUND, ALREADY_EXISTS, INVALID_PARAMETER, MISSING_PARAMETER, INVALID_REQUEST, INVALID_STATE,
        LIMIT_EXCEEDED, CONFLICT, DELETE_CONFLICT, MALFORMED_POLICY, DISABLED, INVALID_CIPHERTEXT,
        INVALID_ARN, INVALID_ALIAS
    }

    private final Kind kind;
    private final String code;
    private final Map<String, String> fields;

    public DomainException(Kind kind, String message) {
        this(kind, message, Map.of());
    }

    /** {@code fields} are extra members the AWS error shape carries (e.g. Arn, CreatorRequestId). */
    public DomainException(Kind kind, String message, Map<String, String> fields) {
        this(kind, null, message, fields);
    }

    private DomainException(Kind kind, String code, String message, Map<String, String> fields) {
        super(message, null, false, false);
        this.kind = kind;
        this.code = code;
        this.fields = Map.copyOf(fields);
    }

    /** An error whose wire code the service fixes per case (EC2: InvalidInstanceID.NotFound...). */
    public static DomainException coded(Kind kind, String code, String message) {
        return new DomainException(kind, code, message, Map.of());
    }

    /** The service's own error code for this case, or null when the kind decides. */
    public String code() {
        return code;
    }

    public Kind kind() {
        return kind;
    }

    public Map<String, String> fields() {
        return fields;
    }

    public static DomainException notFound(String message) {
        return new DomainException(Kind.NOT_FOUND, message);
    }

    public static DomainException invalid(String message) {
        return new DomainException(Kind.INVALID_PARAMETER, message);
    }

    public static DomainException invalidRequest(String message) {
        return new DomainException(Kind.INVALID_REQUEST, message);
    }
}
