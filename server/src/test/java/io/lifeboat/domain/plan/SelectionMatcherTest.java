package io.lifeboat.domain.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** AWS's selection rules: (Resources or ListOfTags) and all Conditions, minus NotResources. */
class SelectionMatcherTest {
    static final String A = "arn:aws:ec2:us-east-1:123456789012:instance/i-0aaaaaaaaaaaaaaaa";
    static final String B = "arn:aws:ec2:us-east-1:123456789012:instance/i-0bbbbbbbbbbbbbbbb";

    static Selection selection(List<String> resources, List<String> notResources, List<Selection.TagCondition> tags,
                               Selection.Conditions conditions) {
        return new Selection("id", "plan", "s", "role", resources, notResources, tags, conditions, null, null);
    }

    static Selection.TagCondition t(String key, String value) {
        return new Selection.TagCondition("STRINGEQUALS", key, value);
    }

    @Test
    void tagsOrTogetherAndAreCaseSensitive() {
        Selection s = selection(null, null, List.of(t("Backup", "true"), t("Tier", "gold")), null);
        assertThat(SelectionMatcher.matches(s, A, Map.of("Backup", "true"))).isTrue();
        assertThat(SelectionMatcher.matches(s, A, Map.of("Tier", "gold"))).isTrue();
        assertThat(SelectionMatcher.matches(s, A, Map.of("Backup", "True"))).isFalse();
        assertThat(SelectionMatcher.matches(s, A, Map.of("backup", "true"))).isFalse();
        assertThat(SelectionMatcher.matches(s, A, Map.of())).isFalse();
    }

    @Test
    void resourcesTakeWildcardsAndNotResourcesSubtract() {
        Selection all = selection(List.of("arn:aws:ec2:*:*:instance/*"), List.of(B), null, null);
        assertThat(SelectionMatcher.matches(all, A, Map.of())).isTrue();
        assertThat(SelectionMatcher.matches(all, B, Map.of())).isFalse();
        Selection star = selection(List.of("*"), null, null, null);
        assertThat(SelectionMatcher.matches(star, B, Map.of())).isTrue();
        Selection exact = selection(List.of(A), null, null, null);
        assertThat(SelectionMatcher.matches(exact, B, Map.of())).isFalse();
    }

    @Test
    void conditionsAllMustHold() {
        Selection s = selection(List.of("*"), null, null, new Selection.Conditions(
                List.of(t("aws:ResourceTag/Env", "prod")), List.of(t("aws:ResourceTag/Skip", "yes")),
                List.of(t("aws:ResourceTag/Name", "web-*")), List.of(t("aws:ResourceTag/Name", "*-test"))));
        assertThat(SelectionMatcher.matches(s, A, Map.of("Env", "prod", "Name", "web-1"))).isTrue();
        assertThat(SelectionMatcher.matches(s, A, Map.of("Env", "prod", "Name", "web-1", "Skip", "yes"))).isFalse();
        assertThat(SelectionMatcher.matches(s, A, Map.of("Env", "dev", "Name", "web-1"))).isFalse();
        assertThat(SelectionMatcher.matches(s, A, Map.of("Env", "prod", "Name", "db-1"))).isFalse();
        assertThat(SelectionMatcher.matches(s, A, Map.of("Env", "prod", "Name", "web-1-test"))).isFalse();
    }

    @Test
    void tagsAndConditionsCombine() {
        Selection s = selection(null, null, List.of(t("Backup", "true")), new Selection.Conditions(
                List.of(t("aws:ResourceTag/Env", "prod")), null, null, null));
        assertThat(SelectionMatcher.matches(s, A, Map.of("Backup", "true", "Env", "prod"))).isTrue();
        assertThat(SelectionMatcher.matches(s, A, Map.of("Backup", "true"))).isFalse();
        assertThat(SelectionMatcher.matches(s, A, Map.of("Env", "prod"))).isFalse();
    }
}
