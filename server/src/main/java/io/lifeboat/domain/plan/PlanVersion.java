package io.lifeboat.domain.plan;

import java.time.Instant;

/** One immutable version of a plan; {@code deleted} is set on the version current when the plan was deleted. */
public record PlanVersion(String planId, String versionId, Instant created, Instant deleted, PlanDocument document) {
}
