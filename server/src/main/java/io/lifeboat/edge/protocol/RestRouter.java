package io.lifeboat.edge.protocol;

import io.lifeboat.edge.sigv4.Rfc3986;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Matches method and raw path against the URI templates of a rest protocol's operations. Paths
 * are split on '/' before labels are decoded, so an ARN label with encoded slashes stays one
 * segment. Among matches the one with the most literal segments wins; a trailing slash the
 * client left off (or added) is forgiven only when nothing matches exactly.
 */
final class RestRouter {
    private record Template(ServiceModel.Operation operation, String[] segments, List<String> queryLiterals,
                            int literals) {
    }

    private final List<Template> templates = new ArrayList<>();

    RestRouter(Iterable<ServiceModel.Operation> operations) {
        for (ServiceModel.Operation op : operations) {
            String uri = op.uri();
            List<String> queryLiterals = new ArrayList<>();
            int q = uri.indexOf('?');
            if (q >= 0) {
                for (String literal : uri.substring(q + 1).split("&")) {
                    queryLiterals.add(literal.split("=")[0]);
                }
                uri = uri.substring(0, q);
            }
            String[] segments = uri.substring(1).split("/", -1);
            int literals = 0;
            for (String s : segments) {
                literals += s.startsWith("{") ? 0 : 1;
            }
            templates.add(new Template(op, segments, queryLiterals, literals));
        }
    }

    /** The best match, or null. */
    Routed match(String method, String rawPath, Map<String, List<String>> query) {
        Routed exact = match(method, rawPath, query, false);
        return exact != null ? exact : match(method, rawPath, query, true);
    }

    private Routed match(String method, String rawPath, Map<String, List<String>> query, boolean lenientSlash) {
        String path = rawPath == null || rawPath.isEmpty() ? "/" : rawPath;
        String[] actual = path.substring(1).split("/", -1);
        Template best = null;
        Map<String, String> bestLabels = null;
        for (Template t : templates) {
            if (!t.operation().method().equals(method) || !query.keySet().containsAll(t.queryLiterals())) {
                continue;
            }
            Map<String, String> labels = bind(t.segments(), lenientSlash ? toggleSlash(actual, t.segments()) : actual);
            if (labels != null && (best == null || score(t) > score(best))) {
                best = t;
                bestLabels = labels;
            }
        }
        return best == null ? null : new Routed(best.operation(), bestLabels, query);
    }

    private static int score(Template t) {
        return t.literals() * 10 + t.queryLiterals().size();
    }

    private static String[] toggleSlash(String[] actual, String[] template) {
        boolean templateSlash = template.length > 0 && template[template.length - 1].isEmpty();
        boolean actualSlash = actual.length > 0 && actual[actual.length - 1].isEmpty();
        if (templateSlash && !actualSlash) {
            String[] longer = Arrays.copyOf(actual, actual.length + 1);
            longer[actual.length] = "";
            return longer;
        }
        if (!templateSlash && actualSlash && actual.length > 1) {
            return Arrays.copyOf(actual, actual.length - 1);
        }
        return actual;
    }

    private static Map<String, String> bind(String[] template, String[] actual) {
        Map<String, String> labels = new HashMap<>();
        for (int i = 0; i < template.length; i++) {
            String t = template[i];
            if (t.startsWith("{") && t.endsWith("+}")) {
                if (i >= actual.length) {
                    return null;
                }
                String rest = String.join("/", Arrays.copyOfRange(actual, i, actual.length));
                labels.put(t.substring(1, t.length() - 2), Rfc3986.decode(rest));
                return labels;
            }
            if (i >= actual.length) {
                return null;
            }
            if (t.startsWith("{")) {
                if (actual[i].isEmpty()) {
                    return null;
                }
                labels.put(t.substring(1, t.length() - 1), Rfc3986.decode(actual[i]));
            } else if (!t.equals(actual[i])) {
                return null;
            }
        }
        return template.length == actual.length ? labels : null;
    }

    static Map<String, List<String>> parseQuery(String rawQuery, boolean plusIsSpace) {
        Map<String, List<String>> params = new HashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return params;
        }
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String k = Rfc3986.decode(eq < 0 ? pair : pair.substring(0, eq), plusIsSpace);
            String v = eq < 0 ? "" : Rfc3986.decode(pair.substring(eq + 1), plusIsSpace);
            params.computeIfAbsent(k, x -> new ArrayList<>()).add(v);
        }
        return params;
    }
}
