package io.lifeboat.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import software.amazon.awssdk.awscore.exception.AwsServiceException;

/** Asserts that a call fails with a given AWS error code and HTTP status. */
public final class AwsErrors {
    private AwsErrors() {
    }

    public static AwsServiceException assertAwsError(ThrowingCallable call, String code, int status) {
        AwsServiceException e = catchThrowableOfType(AwsServiceException.class, call);
        assertThat(e).as("expected %s (%s)", code, status).isNotNull();
        assertThat(e.awsErrorDetails().errorCode()).isEqualTo(code);
        assertThat(e.statusCode()).isEqualTo(status);
        assertThat(e.awsErrorDetails().errorMessage()).isNotBlank().doesNotContain("Exception:").doesNotContain("\tat ");
        return e;
    }
}
