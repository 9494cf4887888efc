package io.lifeboat.domain.compute;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * EC2 describe filters: each named filter must match (AND), any of its values may (OR); values take
 * {@code *} and {@code ?} wildcards. {@code tag:K} matches tag K's value, {@code tag-key} a key,
 * {@code tag-value} a value. Unknown filter names are refused, as EC2 does.
 */
public record Filters(List<Filter> filters) {

    public record Filter(String name, List<String> values) {
    }

    public static final Filters NONE = new Filters(List.of());

    /**
     * Whether a resource matches. {@code attribute} gives a resource's values for a filter name
     * (null for names the resource type does not know); tags are handled here.
     */
    public boolean matches(Map<String, String> tags, Function<String, List<String>> attribute) {
        for (Filter f : filters) {
            List<String> actual;
            if (f.name().startsWith("tag:")) {
                String v = tags.get(f.name().substring(4));
                actual = v == null ? List.of() : List.of(v);
            } else if (f.name().equals("tag-key")) {
                actual = List.copyOf(tags.keySet());
            } else if (f.name().equals("tag-value")) {
                actual = List.copyOf(tags.values());
            } else {
                actual = attribute.apply(f.name());
                if (actual == null) {
                    throw ComputeErrors.invalidFilter(f.name());
                }
            }
            if (!anyMatches(f.values(), actual)) {
                return false;
            }
        }
        return true;
    }

    private static boolean anyMatches(List<String> patterns, List<String> actual) {
        for (String p : patterns) {
            Pattern re = wildcard(p);
            for (String a : actual) {
                if (a != null && re.matcher(a).matches()) {
                    return true;
                }
            }
        }
        return false;
    }

    private static Pattern wildcard(String p) {
        StringBuilder re = new StringBuilder();
        for (char c : p.toCharArray()) {
            switch (c) {
                case '*' -> re.append(".*");
                case '?' -> re.append('.');
                default -> re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(re.toString(), Pattern.DOTALL);
    }
}
