package io.lifeboat.domain.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lifeboat.domain.DomainException;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ScheduleExpressionTest {
    static final ZoneId UTC = ZoneId.of("UTC");

    @ParameterizedTest(name = "{0} after {1} -> {2}")
    @CsvSource(delimiter = '|', value = {
            "cron(0 5 ? * * *)      | 2026-11-26T04:59:00Z | 2026-11-26T05:00:00Z",
            "cron(0 5 ? * * *)      | 2026-11-26T05:00:00Z | 2026-11-27T05:00:00Z",
            "cron(0 5 1 * ? *)      | 2026-11-26T05:00:00Z | 2026-12-01T05:00:00Z",
            "cron(0 5 1 * ? *)      | 2026-12-31T06:00:00Z | 2027-01-01T05:00:00Z",
            "cron(0 * ? * * *)      | 2026-11-26T05:30:00Z | 2026-11-26T06:00:00Z",
            "cron(15 10 L * ? *)    | 2027-02-01T00:00:00Z | 2027-02-28T10:15:00Z",
            "cron(15 10 L * ? *)    | 2028-02-01T00:00:00Z | 2028-02-29T10:15:00Z",
            "cron(0 12 15W * ? *)   | 2026-11-01T00:00:00Z | 2026-11-16T12:00:00Z",
            "cron(0 12 1W * ? *)    | 2026-08-01T00:00:00Z | 2026-08-03T12:00:00Z",
            "cron(0 12 LW * ? *)    | 2026-05-01T00:00:00Z | 2026-05-29T12:00:00Z",
            "cron(0 8 ? * 2#1 *)    | 2026-11-26T00:00:00Z | 2026-12-07T08:00:00Z",
            "cron(0 8 ? * 6L *)     | 2026-11-01T00:00:00Z | 2026-11-27T08:00:00Z",
            "cron(0 8 ? * MON-FRI *)| 2026-11-28T00:00:00Z | 2026-11-30T08:00:00Z",
            "cron(0 8 ? * FRI-MON *)| 2026-11-24T09:00:00Z | 2026-11-27T08:00:00Z",
            "cron(0 0/6 ? * * *)    | 2026-11-26T07:00:00Z | 2026-11-26T12:00:00Z",
            "cron(30 2 ? JAN,JUL * 2027) | 2026-11-26T00:00:00Z | 2027-01-01T02:30:00Z",
            "cron(0 5 ? * * 2020)   | 2026-11-26T00:00:00Z | ",
    })
    void nextRun(String cron, String after, String expected) {
        ZonedDateTime next = ScheduleExpression.parse(cron).next(ZonedDateTime.parse(after), UTC);
        assertThat(next == null ? null : next.toInstant().toString()).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"cron(0 5 * * *)", "cron(0 5 1 * MON *)", "cron(0 5 * * * *)", "0 5 ? * * *",
            "cron(60 5 ? * * *)", "cron(0 24 ? * * *)", "cron(0 5 ? * 0 *)", "rate(1 day)", "cron(0 5 32 * ? *)",
            "cron(0 5 ? * 2#6 *)", "cron(0 5 ? FOO * *)", "cron(a b c d e f)", "cron(0 5 ? * * 1969)", ""})
    void invalidExpressions(String cron) {
        assertThatThrownBy(() -> ScheduleExpression.parse(cron)).isInstanceOf(DomainException.class)
                .hasMessageContaining("Invalid schedule expression");
    }

    @ParameterizedTest
    @CsvSource({"cron(0/30 * ? * * *),30", "cron(0 * ? * * *),60", "cron(0 5 ? * * *),1440", "cron(59 23 ? * * *),1440"})
    void shortestInterval(String cron, long minutes) {
        assertThat(ScheduleExpression.parse(cron).shortestIntervalMinutes(ZonedDateTime.parse("2026-11-26T00:00:00Z"),
                UTC, 100)).isEqualTo(minutes);
    }

    @org.junit.jupiter.api.Test
    void timeZonesAndDaylightSaving() {
        ScheduleExpression daily = ScheduleExpression.parse("cron(0 5 ? * * *)");
        ZoneId ny = ZoneId.of("America/New_York");
        assertThat(daily.next(ZonedDateTime.parse("2026-11-26T00:00:00Z"), ny).toInstant().toString())
                .isEqualTo("2026-11-26T10:00:00Z");
        assertThat(daily.next(ZonedDateTime.parse("2026-07-01T00:00:00Z"), ny).toInstant().toString())
                .isEqualTo("2026-07-01T09:00:00Z");
        ScheduleExpression inGap = ScheduleExpression.parse("cron(30 2 ? * * *)");
        assertThat(inGap.next(ZonedDateTime.parse("2026-03-08T00:00:00Z"), ny)).isNotNull();
    }
}
