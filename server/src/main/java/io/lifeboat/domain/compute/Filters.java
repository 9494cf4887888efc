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
     * The items that match. {@code attributes} gives, per filter name a resource type knows, the
     * resource's values; {@code tags} its tags. A filter name the type does not know is refused
     * even when there is nothing to filter.
     */
    public <T> List<T> apply(List<T> items, Map<String, Function<T, List<String>>> attributes,
                             Function<T, Map<String, String>> tags) {
        for (Filter f : filters) {
            if (!f.name().startsWith("tag:") && !f.name().equals("tag-key") && !f.name().equals("tag-value")
                    && !attributes.containsKey(f.name())) {
                throw ComputeErrors.invalidFilter(f.name());
            }
        }
        if (filters.isEmpty()) {
            return items;
        }
        return items.stream().filter(item -> matches(item, attributes, tags)).toList();
    }

    private <T> boolean matches(T item, Map<String, Function<T, List<String>>> attributes,
                                Function<T, Map<String, String>> tagsOf) {
        Map<String, String> tags = null;
        for (Filter f : filters) {
            List<String> actual;
            if (f.name().startsWith("tag")) {
                tags = tags == null ? tagsOf.apply(item) : tags;
                actual = f.name().equals("tag-key") ? List.copyOf(tags.keySet())
                        : f.name().equals("tag-value") ? List.copyOf(tags.values())
                        : tags.containsKey(f.name().substring(4)) ? List.of(tags.get(f.name().substring(4)))
                        : List.of();
            } else {
                actual = attributes.get(f.name()).apply(item);
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
