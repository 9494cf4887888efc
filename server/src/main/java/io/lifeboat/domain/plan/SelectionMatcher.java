package io.lifeboat.domain.plan;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Whether a selection takes a resource, as AWS evaluates it when a rule fires: (any Resources ARN or
 * any ListOfTags entry) and every Conditions entry, and no NotResources ARN. ARNs and StringLike
 * values take {@code *} wildcards anywhere ({@code arn:aws:ec2:*:*:instance/*}); all matching is case-sensitive.
 */
public final class SelectionMatcher {
    private static final String TAG_KEY_PREFIX = "aws:ResourceTag/";

    private SelectionMatcher() {
    }

    public static boolean matches(Selection s, String arn, Map<String, String> tags) {
        boolean byArn = s.resources() != null && s.resources().stream().anyMatch(p -> arnMatches(p, arn));
        boolean byTag = s.listOfTags() != null && s.listOfTags().stream()
                .anyMatch(t -> t.value().equals(tags.get(t.key())));
        if (!byArn && !byTag) {
            return false;
        }
        if (s.notResources() != null && s.notResources().stream().anyMatch(p -> arnMatches(p, arn))) {
            return false;
        }
        Selection.Conditions c = s.conditions();
        return c == null || (all(c.stringEquals(), tags, (v, want) -> want.equals(v))
                && all(c.stringNotEquals(), tags, (v, want) -> !want.equals(v))
                && all(c.stringLike(), tags, (v, want) -> v != null && like(want).matcher(v).matches())
                && all(c.stringNotLike(), tags, (v, want) -> v == null || !like(want).matcher(v).matches()));
    }

    private interface Test {
        boolean ok(String actual, String wanted);
    }

    private static boolean all(List<Selection.TagCondition> conditions, Map<String, String> tags, Test test) {
        if (conditions == null) {
            return true;
        }
        for (Selection.TagCondition t : conditions) {
            String key = t.key().startsWith(TAG_KEY_PREFIX) ? t.key().substring(TAG_KEY_PREFIX.length()) : t.key();
            if (!test.ok(tags.get(key), t.value())) {
                return false;
            }
        }
        return true;
    }

    static boolean arnMatches(String pattern, String arn) {
        return like(pattern).matcher(arn).matches();
    }

    private static Pattern like(String value) {
        StringBuilder re = new StringBuilder();
        for (String part : value.split("\\*", -1)) {
            if (!re.isEmpty()) {
                re.append(".*");
            }
            re.append(Pattern.quote(part));
        }
        return Pattern.compile(re.toString(), Pattern.DOTALL);
    }
}
