package io.lifeboat.domain.kms;

import java.time.Instant;

/** An alias ({@code alias/...}) pointing at a key of the same account and region. */
public record KmsAlias(String name, String arn, String targetKeyId, Instant created, Instant updated) {
}
