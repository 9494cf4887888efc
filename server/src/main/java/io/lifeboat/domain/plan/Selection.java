package io.lifeboat.domain.plan;

import java.time.Instant;
import java.util.List;

/** Which resources a plan protects, and the role it acts with. Lists not sent stay null. */
public record Selection(String id, String planId, String name, String iamRoleArn, List<String> resources,
                        List<String> notResources, List<TagCondition> listOfTags, Conditions conditions,
                        Instant created, String creatorRequestId) {

    /** A ListOfTags entry (ConditionType is always STRINGEQUALS) or a Conditions entry. */
    public record TagCondition(String type, String key, String value) {
    }

    public record Conditions(List<TagCondition> stringEquals, List<TagCondition> stringNotEquals,
                             List<TagCondition> stringLike, List<TagCondition> stringNotLike) {
    }
}
