package io.lifeboat.edge.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import software.amazon.awssdk.core.SdkField;
import software.amazon.awssdk.core.SdkPojo;

/**
 * Checks a decoded request against its operation's constraint tree (required members, lengths,
 * ranges, patterns, enums) before any provider sees it, and words the failures the way AWS's
 * front ends do: "1 validation error detected: Value 'x' at 'name' failed to satisfy constraint: ...".
 */
public final class Validation {
    private static final Map<String, Pattern> PATTERNS = new ConcurrentHashMap<>();
    private static final Pattern NEVER = Pattern.compile("");

    /** What was wrong; {@code missing} when only required members were absent. */
    public record Violations(boolean missing, String message) {
    }

    private Validation() {
    }

    public static Optional<Violations> check(Object request, JsonNode shape) {
        if (shape == null) {
            return Optional.empty();
        }
        List<String> problems = new ArrayList<>();
        int[] missing = {0};
        structure((SdkPojo) request, shape, "", problems, missing);
        if (problems.isEmpty()) {
            return Optional.empty();
        }
        String head = problems.size() + " validation error" + (problems.size() > 1 ? "s" : "") + " detected: ";
        return Optional.of(new Violations(missing[0] == problems.size(), head + String.join("; ", problems)));
    }

    private static void structure(SdkPojo pojo, JsonNode shape, String path, List<String> problems,
                                  int[] missing) {
        JsonNode members = shape.get("members");
        if (members == null) {
            return;
        }
        for (SdkField<?> field : pojo.sdkFields()) {
            JsonNode member = members.get(field.memberName());
            if (member == null) {
                continue;
            }
            String at = join(path, field.memberName());
            Object value = field.getValueOrDefault(pojo);
            if (!JsonBinder.isSet(value)) {
                if (member.path("required").asBoolean()) {
                    missing[0]++;
                    problems.add("Value null at '" + at + "' failed to satisfy constraint: Member must not be null");
                }
                continue;
            }
            value(value, member, at, problems, missing);
        }
    }

    private static void value(Object value, JsonNode shape, String at, List<String> problems, int[] missing) {
        switch (shape.path("type").asText()) {
            case "string" -> string((String) value, shape, at, problems);
            case "integer", "long", "double", "float" -> range(((Number) value).doubleValue(), value, shape, at, problems);
            case "structure" -> structure((SdkPojo) value, shape, at, problems, missing);
            case "list" -> {
                List<?> list = (List<?>) value;
                size(list.size(), "length", shape, at, problems);
                for (int i = 0; i < list.size(); i++) {
                    if (list.get(i) != null) {
                        value(list.get(i), shape.get("member"), at + "." + (i + 1) + ".member", problems, missing);
                    }
                }
            }
            case "map" -> {
                Map<?, ?> map = (Map<?, ?>) value;
                size(map.size(), "length", shape, at, problems);
                for (Map.Entry<?, ?> e : map.entrySet()) {
                    value(e.getKey(), shape.get("key"), at + ".key", problems, missing);
                    if (e.getValue() != null) {
                        value(e.getValue(), shape.get("value"), at + ".value", problems, missing);
                    }
                }
            }
            default -> { }
        }
    }

    private static void string(String s, JsonNode shape, String at, List<String> problems) {
        String shown = "Value '" + (s.length() > 256 ? s.substring(0, 256) + "..." : s) + "' at '" + at
                + "' failed to satisfy constraint: ";
        if (shape.has("min") && s.length() < shape.get("min").asLong()) {
            problems.add(shown + "Member must have length greater than or equal to " + shape.get("min").asLong());
        }
        if (shape.has("max") && s.length() > shape.get("max").asLong()) {
            problems.add(shown + "Member must have length less than or equal to " + shape.get("max").asLong());
        }
        if (shape.has("pattern")) {
            Pattern p = pattern(shape.get("pattern").asText());
            if (p != NEVER && !p.matcher(s).matches()) {
                problems.add(shown + "Member must satisfy regular expression pattern: " + shape.get("pattern").asText());
            }
        }
        if (shape.has("enum")) {
            List<String> allowed = new ArrayList<>();
            shape.get("enum").forEach(n -> allowed.add(n.asText()));
            if (!allowed.contains(s)) {
                problems.add(shown + "Member must satisfy enum value set: " + allowed);
            }
        }
    }

    private static void range(double v, Object shown, JsonNode shape, String at, List<String> problems) {
        String head = "Value '" + shown + "' at '" + at + "' failed to satisfy constraint: ";
        if (shape.has("min") && v < shape.get("min").asDouble()) {
            problems.add(head + "Member must have value greater than or equal to " + shape.get("min").asLong());
        }
        if (shape.has("max") && v > shape.get("max").asDouble()) {
            problems.add(head + "Member must have value less than or equal to " + shape.get("max").asLong());
        }
    }

    private static void size(int n, String what, JsonNode shape, String at, List<String> problems) {
        String head = "Value at '" + at + "' failed to satisfy constraint: ";
        if (shape.has("min") && n < shape.get("min").asLong()) {
            problems.add(head + "Member must have " + what + " greater than or equal to " + shape.get("min").asLong());
        }
        if (shape.has("max") && n > shape.get("max").asLong()) {
            problems.add(head + "Member must have " + what + " less than or equal to " + shape.get("max").asLong());
        }
    }

    /** Model patterns must match the whole value, as AWS front ends check them; one Java cannot compile is skipped. */
    private static Pattern pattern(String regex) {
        return PATTERNS.computeIfAbsent(regex, r -> {
            try {
                return Pattern.compile(r);
            } catch (PatternSyntaxException e) {
                return NEVER;
            }
        });
    }

    private static String join(String path, String member) {
        String camel = Character.toLowerCase(member.charAt(0)) + member.substring(1);
        return path.isEmpty() ? camel : path + "." + camel;
    }
}
