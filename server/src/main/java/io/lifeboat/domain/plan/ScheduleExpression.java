package io.lifeboat.domain.plan;

import io.lifeboat.domain.DomainException;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.BitSet;
import java.util.Locale;
import java.util.Map;

/**
 * An AWS cron expression, {@code cron(min hour day-of-month month day-of-week year)}: lists, ranges,
 * steps, names, {@code ?}, {@code L} (last day, or last weekday n with {@code nL}), {@code W} (nearest
 * weekday), {@code #} (nth weekday). Day-of-week counts 1 = Sunday. Exactly one day field is {@code ?}.
 */
public final class ScheduleExpression {
    private static final Map<String, Integer> MONTHS = Map.ofEntries(Map.entry("JAN", 1), Map.entry("FEB", 2),
            Map.entry("MAR", 3), Map.entry("APR", 4), Map.entry("MAY", 5), Map.entry("JUN", 6), Map.entry("JUL", 7),
            Map.entry("AUG", 8), Map.entry("SEP", 9), Map.entry("OCT", 10), Map.entry("NOV", 11), Map.entry("DEC", 12));
    private static final Map<String, Integer> DAYS = Map.of("SUN", 1, "MON", 2, "TUE", 3, "WED", 4, "THU", 5,
            "FRI", 6, "SAT", 7);
    private static final int LAST_YEAR = 2199;

    private final String text;
    private final BitSet minutes;
    private final BitSet hours;
    private final BitSet months;
    private final BitSet years;
    private final DayRule dayRule;

    /** How days are chosen: by day-of-month or by day-of-week. */
    private sealed interface DayRule permits MonthDays, WeekDays {
        boolean matches(LocalDate d);
    }

    private record MonthDays(BitSet days, boolean last, int lastOffset, int nearestWeekday, boolean lastWeekday)
            implements DayRule {
        public boolean matches(LocalDate d) {
            int len = d.lengthOfMonth();
            if (last && d.getDayOfMonth() == len - lastOffset) {
                return true;
            }
            if (lastWeekday) {
                return d.equals(nearestWeekday(d.withDayOfMonth(len)));
            }
            if (nearestWeekday > 0) {
                return nearestWeekday <= len && d.equals(nearestWeekday(d.withDayOfMonth(nearestWeekday)));
            }
            return days.get(d.getDayOfMonth());
        }

        private static LocalDate nearestWeekday(LocalDate d) {
            if (d.getDayOfWeek() == DayOfWeek.SATURDAY) {
                return d.getDayOfMonth() == 1 ? d.plusDays(2) : d.minusDays(1);
            }
            if (d.getDayOfWeek() == DayOfWeek.SUNDAY) {
                return d.getDayOfMonth() == d.lengthOfMonth() ? d.minusDays(2) : d.plusDays(1);
            }
            return d;
        }
    }

    private record WeekDays(BitSet days, int lastOf, int nthDay, int nth) implements DayRule {
        public boolean matches(LocalDate d) {
            int dow = awsDay(d.getDayOfWeek());
            if (lastOf > 0) {
                return dow == lastOf && d.plusWeeks(1).getMonthValue() != d.getMonthValue();
            }
            if (nth > 0) {
                return dow == nthDay && (d.getDayOfMonth() - 1) / 7 + 1 == nth;
            }
            return days.get(dow);
        }
    }

    private ScheduleExpression(String text, BitSet minutes, BitSet hours, BitSet months, BitSet years, DayRule rule) {
        this.text = text;
        this.minutes = minutes;
        this.hours = hours;
        this.months = months;
        this.years = years;
        this.dayRule = rule;
    }

    static int awsDay(DayOfWeek d) {
        return d.getValue() % 7 + 1;
    }

    public static ScheduleExpression parse(String expression) {
        String s = expression == null ? "" : expression.trim();
        if (!s.startsWith("cron(") || !s.endsWith(")")) {
            throw invalid(expression, "it must have the form cron(minutes hours day-of-month month day-of-week year)");
        }
        String[] f = s.substring(5, s.length() - 1).trim().toUpperCase(Locale.ROOT).split("\\s+");
        if (f.length != 6) {
            throw invalid(expression, "it must have six fields, found " + f.length);
        }
        boolean domNone = f[2].equals("?");
        boolean dowNone = f[4].equals("?");
        if (domNone == dowNone) {
            throw invalid(expression, "exactly one of day-of-month and day-of-week must be '?'");
        }
        try {
            BitSet minutes = field(f[0], 0, 59, Map.of());
            BitSet hours = field(f[1], 0, 23, Map.of());
            BitSet months = field(f[3], 1, 12, MONTHS);
            BitSet years = field(f[5], 1970, LAST_YEAR, Map.of());
            DayRule rule = dowNone ? monthDays(f[2]) : weekDays(f[4]);
            return new ScheduleExpression(s, minutes, hours, months, years, rule);
        } catch (IllegalArgumentException e) {
            throw invalid(expression, e.getMessage());
        }
    }

    private static DomainException invalid(String expression, String why) {
        return DomainException.invalid("Invalid schedule expression " + expression + ": " + why + ".");
    }

    private static DayRule monthDays(String f) {
        if (f.equals("L")) {
            return new MonthDays(new BitSet(), true, 0, 0, false);
        }
        if (f.matches("L-\\d{1,2}")) {
            int offset = Integer.parseInt(f.substring(2));
            if (offset > 30) {
                throw new IllegalArgumentException("day-of-month offset " + f + " is out of range");
            }
            return new MonthDays(new BitSet(), true, offset, 0, false);
        }
        if (f.equals("LW")) {
            return new MonthDays(new BitSet(), false, 0, 0, true);
        }
        if (f.matches("\\d{1,2}W")) {
            int day = Integer.parseInt(f.substring(0, f.length() - 1));
            if (day < 1 || day > 31) {
                throw new IllegalArgumentException("day-of-month " + f + " is out of range");
            }
            return new MonthDays(new BitSet(), false, 0, day, false);
        }
        return new MonthDays(field(f, 1, 31, Map.of()), false, 0, 0, false);
    }

    private static DayRule weekDays(String f) {
        if (f.matches("[1-7A-Z]{1,3}L")) {
            return new WeekDays(new BitSet(), value(f.substring(0, f.length() - 1), 1, 7, DAYS), 0, 0);
        }
        if (f.contains("#")) {
            String[] p = f.split("#");
            int nth = p.length == 2 && p[1].matches("[1-5]") ? Integer.parseInt(p[1]) : -1;
            if (nth < 0) {
                throw new IllegalArgumentException("day-of-week " + f + " must be weekday#1..5");
            }
            return new WeekDays(new BitSet(), 0, value(p[0], 1, 7, DAYS), nth);
        }
        return new WeekDays(field(f, 1, 7, DAYS), 0, 0, 0);
    }

    private static BitSet field(String f, int min, int max, Map<String, Integer> names) {
        BitSet set = new BitSet(max + 1);
        for (String part : f.split(",", -1)) {
            int step = 1;
            String range = part;
            int slash = part.indexOf('/');
            if (slash >= 0) {
                step = value(part.substring(slash + 1), 1, max - min + 1, Map.of());
                range = part.substring(0, slash);
            }
            int from;
            int to;
            if (range.equals("*")) {
                from = min;
                to = max;
            } else if (range.contains("-")) {
                String[] ends = range.split("-", -1);
                if (ends.length != 2) {
                    throw new IllegalArgumentException("range " + range + " is malformed");
                }
                from = value(ends[0], min, max, names);
                to = value(ends[1], min, max, names);
            } else {
                from = value(range, min, max, names);
                to = slash >= 0 ? max : from;
            }
            int span = to >= from ? to - from : to + (max - min + 1) - from;
            for (int i = 0; i <= span; i += step) {
                set.set(min + Math.floorMod(from - min + i, max - min + 1));
            }
        }
        return set;
    }

    private static int value(String s, int min, int max, Map<String, Integer> names) {
        Integer named = names.get(s);
        int v;
        if (named != null) {
            v = named;
        } else if (s.matches("\\d{1,4}")) {
            v = Integer.parseInt(s);
        } else {
            throw new IllegalArgumentException("'" + s + "' is not a valid value");
        }
        if (v < min || v > max) {
            throw new IllegalArgumentException("value " + v + " is outside " + min + "-" + max);
        }
        return v;
    }

    /** The first run strictly after {@code after}, in {@code zone}; null if the expression never fires again. */
    public ZonedDateTime next(ZonedDateTime after, ZoneId zone) {
        LocalDateTime start = after.withZoneSameInstant(zone).toLocalDateTime().truncatedTo(ChronoUnit.MINUTES)
                .plusMinutes(1);
        LocalDate day = start.toLocalDate();
        while (day.getYear() <= LAST_YEAR) {
            if (!years.get(day.getYear())) {
                day = LocalDate.of(day.getYear() + 1, 1, 1);
                continue;
            }
            if (!months.get(day.getMonthValue())) {
                day = day.with(TemporalAdjusters.firstDayOfNextMonth());
                continue;
            }
            if (dayRule.matches(day)) {
                int from = day.equals(start.toLocalDate()) ? start.getHour() * 60 + start.getMinute() : 0;
                for (int h = hours.nextSetBit(from / 60); h >= 0; h = hours.nextSetBit(h + 1)) {
                    int m = minutes.nextSetBit(h == from / 60 ? from % 60 : 0);
                    if (m >= 0) {
                        ZonedDateTime candidate = day.atTime(h, m).atZone(zone);
                        if (candidate.isAfter(after)) {
                            return candidate;
                        }
                    }
                }
            }
            day = day.plusDays(1);
        }
        return null;
    }

    /** The shortest gap between consecutive runs among the next {@code runs} runs after {@code from}, in minutes. */
    public long shortestIntervalMinutes(ZonedDateTime from, ZoneId zone, int runs) {
        long shortest = Long.MAX_VALUE;
        ZonedDateTime previous = next(from, zone);
        for (int i = 0; i < runs && previous != null; i++) {
            ZonedDateTime n = next(previous, zone);
            if (n == null) {
                break;
            }
            shortest = Math.min(shortest, ChronoUnit.MINUTES.between(previous, n));
            previous = n;
        }
        return shortest;
    }

    @Override
    public String toString() {
        return text;
    }
}
