package io.lifeboat.edge;

import io.lifeboat.domain.DomainException.Kind;
import java.util.Map;

/**
 * Per service, which of its error shapes a domain error kind becomes. Codes and statuses then come
 * from the service table; kinds a service does not list fall back to its validation error.
 */
public final class ErrorTables {
    private ErrorTables() {
    }

    public static final Map<Kind, String> BACKUP = Map.of(
            Kind.NOT_FOUND, "ResourceNotFoundException",
            Kind.ALREADY_EXISTS, "AlreadyExistsException",
            Kind.INVALID_PARAMETER, "InvalidParameterValueException",
            Kind.MISSING_PARAMETER, "MissingParameterValueException",
            Kind.INVALID_REQUEST, "InvalidRequestException",
            Kind.INVALID_STATE, "InvalidResourceStateException",
            Kind.LIMIT_EXCEEDED, "LimitExceededException",
            Kind.CONFLICT, "ConflictException");

    public static final Map<Kind, String> IAM = Map.of(
            Kind.NOT_FOUND, "NoSuchEntityException",
            Kind.ALREADY_EXISTS, "EntityAlreadyExistsException",
            Kind.INVALID_PARAMETER, "InvalidInputException",
            Kind.LIMIT_EXCEEDED, "LimitExceededException",
            Kind.DELETE_CONFLICT, "DeleteConflictException",
            Kind.INVALID_REQUEST, "DeleteConflictException",
            Kind.MALFORMED_POLICY, "MalformedPolicyDocumentException");

    public static final Map<Kind, String> KMS = Map.of(
            Kind.NOT_FOUND, "NotFoundException",
            Kind.ALREADY_EXISTS, "AlreadyExistsException",
            Kind.INVALID_STATE, "KMSInvalidStateException",
            Kind.DISABLED, "DisabledException",
            Kind.INVALID_CIPHERTEXT, "InvalidCiphertextException",
            Kind.INVALID_ALIAS, "InvalidAliasNameException",
            Kind.INVALID_ARN, "InvalidArnException",
            Kind.LIMIT_EXCEEDED, "LimitExceededException");

    public static final Map<Kind, String> STS = Map.of();

    /** EC2 mostly names its codes per case ({@code DomainException.coded}); these cover the rest. */
    public static final Map<Kind, String> EC2 = Map.of(
            Kind.INVALID_PARAMETER, "InvalidParameterValue",
            Kind.MISSING_PARAMETER, "MissingParameter",
            Kind.INVALID_REQUEST, "InvalidRequest",
            Kind.LIMIT_EXCEEDED, "ResourceLimitExceeded");
}
