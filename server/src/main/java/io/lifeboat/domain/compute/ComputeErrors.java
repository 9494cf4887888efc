package io.lifeboat.domain.compute;

import io.lifeboat.domain.DomainException;
import io.lifeboat.domain.DomainException.Kind;

/** EC2's error codes, which name the resource type and the case. */
final class ComputeErrors {
    private ComputeErrors() {
    }

    static DomainException instanceNotFound(String id) {
        if (!id.matches("i-[0-9a-f]{8}([0-9a-f]{9})?")) {
            return DomainException.coded(Kind.INVALID_PARAMETER, "InvalidInstanceID.Malformed",
                    "Invalid id: \"" + id + "\"");
        }
        return DomainException.coded(Kind.NOT_FOUND, "InvalidInstanceID.NotFound",
                "The instance ID '" + id + "' does not exist");
    }

    static DomainException volumeNotFound(String id) {
        if (!id.matches("vol-[0-9a-f]{8}([0-9a-f]{9})?")) {
            return DomainException.coded(Kind.INVALID_PARAMETER, "InvalidParameterValue",
                    "Invalid id: \"" + id + "\" (expecting \"vol-...\")");
        }
        return DomainException.coded(Kind.NOT_FOUND, "InvalidVolume.NotFound",
                "The volume '" + id + "' does not exist.");
    }

    static DomainException imageNotFound(String id) {
        if (!id.matches("ami-[0-9a-f]{8}([0-9a-f]{9})?")) {
            return DomainException.coded(Kind.INVALID_PARAMETER, "InvalidAMIID.Malformed",
                    "Invalid id: \"" + id + "\" (expecting \"ami-...\")");
        }
        return DomainException.coded(Kind.NOT_FOUND, "InvalidAMIID.NotFound",
                "The image id '[" + id + "]' does not exist");
    }

    static DomainException invalidFilter(String name) {
        return DomainException.coded(Kind.INVALID_PARAMETER, "InvalidParameterValue",
                "The filter '" + name + "' is invalid");
    }

    static DomainException invalid(String message) {
        return DomainException.coded(Kind.INVALID_PARAMETER, "InvalidParameterValue", message);
    }

    static DomainException incorrectState(String code, String message) {
        return DomainException.coded(Kind.INVALID_STATE, code, message);
    }
}
