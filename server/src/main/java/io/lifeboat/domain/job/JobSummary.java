package io.lifeboat.domain.job;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * One line of List{Backup,Restore}JobSummaries: how many jobs of a state, resource type and
 * message category were created on one UTC day. {@code ANY} and {@code AGGREGATE_ALL} are AWS's
 * filter keywords; {@code AGGREGATE_ALL} also folds the states together.
 */
public record JobSummary(String state, String resourceType, String messageCategory, int count, Instant startTime,
                         Instant endTime) {

    private static final String ANY = "ANY";
    private static final String ALL = "AGGREGATE_ALL";

    private record Key(String state, String resourceType, String messageCategory, Instant day) {
    }

    static <T> List<JobSummary> of(List<T> jobs, String state, String resourceType, Function<T, String> stateOf,
                                   Function<T, String> typeOf, Function<T, String> categoryOf,
                                   Function<T, Instant> createdOf) {
        Map<Key, Integer> counts = new LinkedHashMap<>();
        for (T j : jobs) {
            if (!matches(state, stateOf.apply(j)) || !matches(resourceType, typeOf.apply(j))) {
                continue;
            }
            Key k = new Key(ALL.equals(state) ? ALL : stateOf.apply(j), typeOf.apply(j), categoryOf.apply(j),
                    createdOf.apply(j).truncatedTo(ChronoUnit.DAYS));
            counts.merge(k, 1, Integer::sum);
        }
        List<JobSummary> out = new ArrayList<>();
        counts.forEach((k, n) -> out.add(new JobSummary(k.state(), k.resourceType(), k.messageCategory(), n, k.day(),
                k.day().plus(Duration.ofDays(1)).minusMillis(1))));
        return out;
    }

    private static boolean matches(String wanted, String actual) {
        return wanted == null || ANY.equals(wanted) || ALL.equals(wanted) || wanted.equals(actual);
    }
}
