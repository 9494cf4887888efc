package io.lifeboat.domain.plan;

import java.time.Instant;

/** A backup plan's current version. Old versions are kept as {@link PlanVersion}s. */
public record Plan(String id, String arn, Instant created, String creatorRequestId, String versionId,
                   Instant versionCreated, Instant deleted, Instant lastExecution, PlanDocument document) {
}
