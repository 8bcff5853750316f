package org.sehathub.server.analytics;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.time.temporal.IsoFields;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * The breakdowns every indicator's events can be cut by, as SQL over the events' columns
 * ({@link Indicator}): where (province, district, facility), who (sex, age band at the event's
 * date), when (year, quarter, month, ISO week, day of the event's date as written, never shifted to
 * another time zone), and how (mode: in person or virtual); for a coverage, the status that splits
 * its denominator (vaccinated or not). A value the record lacks is {@code unknown}, a cell of its
 * own. Events dated before the first year shown one by one are one value of every time dimension,
 * {@code before-<year>} (bottom-coding, as ages 85 and over are one band): decades of sparse
 * history (a record's old visits, migrated or sent with her file) would otherwise put hundreds of
 * small cells in every table with a time dimension, and make it too sparse to answer at all.
 */
final class Dimensions {

    static final String UNKNOWN = "unknown";

    private static final String EARLIER = "before-";

    /** The dimensions of the event's date. */
    static final Set<String> TIME = Set.of("year", "quarter", "month", "week", "day");

    /** Five-year age bands, 85 and over together (the bands of Pakistan's census and of the UN). */
    static final String AGE_BAND = "CASE WHEN a.years IS NULL OR a.years < 0 THEN 'unknown'"
            + " WHEN a.years >= 85 THEN '85+'"
            + " ELSE (a.years / 5 * 5)::text || '-' || (a.years / 5 * 5 + 4)::text END";

    private static final Map<String, String> EXPRESSIONS = Map.ofEntries(
            Map.entry("province", "COALESCE(b.province, 'unknown')"),
            Map.entry("district", "COALESCE(b.district, 'unknown')"),
            Map.entry("facility", "COALESCE(b.facility, 'unknown')"),
            Map.entry("sex", "COALESCE(b.gender, 'unknown')"),
            Map.entry("mode", "COALESCE(b.mode, 'unknown')"),
            Map.entry("status", "COALESCE(b.status, 'unknown')"),
            Map.entry(
                    "age_band",
                    "(SELECT " + AGE_BAND + " FROM (SELECT date_part('year', age("
                            + "COALESCE(sehat_analytics.fhir_date(b.event_date), current_date),"
                            + " sehat_analytics.fhir_date(b.birth_date)))::int AS years) a)"),
            Map.entry("year", "COALESCE(substr(b.event_date, 1, 4), 'unknown')"),
            Map.entry(
                    "quarter",
                    "CASE WHEN length(b.event_date) >= 7 THEN substr(b.event_date, 1, 4) || '-Q'"
                            + " || ((substr(b.event_date, 6, 2)::int + 2) / 3)::text ELSE 'unknown' END"),
            Map.entry(
                    "month", "CASE WHEN length(b.event_date) >= 7 THEN substr(b.event_date, 1, 7) ELSE 'unknown' END"),
            Map.entry(
                    "week",
                    "CASE WHEN length(b.event_date) >= 10 THEN to_char(substr(b.event_date, 1, 10)::date,"
                            + " 'IYYY-\"W\"IW') ELSE 'unknown' END"),
            Map.entry(
                    "day", "CASE WHEN length(b.event_date) >= 10 THEN substr(b.event_date, 1, 10) ELSE 'unknown' END"));

    static final Set<String> ALL = EXPRESSIONS.keySet();

    private Dimensions() {}

    /**
     * The dimension's value as SQL over the events ({@code b}); a time dimension's value is {@link
     * #earlier} for events before {@code firstYear}.
     */
    static String expression(String dimension, int firstYear) {
        String sql = EXPRESSIONS.get(dimension);
        if (sql == null) {
            throw new IllegalArgumentException("no dimension " + dimension);
        }
        if (!TIME.contains(dimension)) {
            return sql;
        }
        // firstYear is a number, never text from a request. The year's digits compare alike in any collation.
        return "CASE WHEN substr(b.event_date, 1, 4) < '" + String.format("%04d", firstYear) + "' THEN '"
                + earlier(firstYear) + "' ELSE " + sql + " END";
    }

    /** The value of every time dimension for the events before {@code firstYear}. */
    static String earlier(int firstYear) {
        return EARLIER + firstYear;
    }

    private static boolean isEarlier(String value) {
        return value.startsWith(EARLIER);
    }

    /**
     * The year a time dimension's value lies in (2026 for 2026-03, 2026-Q1, 2026-W10, 2026-03-14),
     * or -1 for {@code unknown}, {@link #earlier} and values that are not dates.
     */
    static int yearOf(String value) {
        return value.length() >= 4 && value.substring(0, 4).chars().allMatch(Character::isDigit)
                ? Integer.parseInt(value.substring(0, 4))
                : -1;
    }

    /**
     * Whether a cell's time values can go together (March 2026 is not in 2025): the grid of a table
     * with two time dimensions leaves out the combinations that cannot hold, which every analyst
     * knows to be empty (so they cannot hide anything either).
     */
    static boolean consistent(List<String> dimensions, List<String> cell) {
        // cell may be a prefix: its values are those of the first dimensions
        for (int i = 0; i < cell.size(); i++) {
            for (int j = 0; j < cell.size(); j++) {
                String coarse = cell.get(i);
                String fine = cell.get(j);
                if (i == j || coarse.equals(UNKNOWN) || fine.equals(UNKNOWN)) {
                    continue;
                }
                if (isEarlier(coarse) || isEarlier(fine)) {
                    // before-2017 goes with before-2017 only, in any two time dimensions
                    if (TIME.contains(dimensions.get(i)) && TIME.contains(dimensions.get(j)) && !coarse.equals(fine)) {
                        return false;
                    }
                    continue;
                }
                boolean within = switch (dimensions.get(i) + ">" + dimensions.get(j)) {
                    // (an ISO week's year is not always its days' year: weeks are not checked)
                    case "year>quarter", "year>month", "year>day", "month>day" -> fine.startsWith(coarse);
                    case "quarter>month", "quarter>day" -> coarse.equals(quarterOf(fine));
                    default -> true;
                };
                if (!within) {
                    return false;
                }
            }
        }
        return true;
    }

    private static String quarterOf(String date) {
        return date.length() < 7
                ? UNKNOWN
                : date.substring(0, 4) + "-Q" + ((Integer.parseInt(date.substring(5, 7)) + 2) / 3);
    }

    /**
     * The values a dimension's value lies within whose totals an analyst can learn from a coarser
     * answer, nearest first: a month's quarter and year; a day's month, ISO week, quarter and year (a
     * day nests in each, though weeks do not nest in months); a week's ISO year. Empty for dimensions
     * without any. The earlier events' value, and {@code unknown}, are their own.
     */
    static List<UnaryOperator<String>> ancestors(String dimension) {
        UnaryOperator<String> year = datePart(4, v -> v.substring(0, 4));
        UnaryOperator<String> quarter = datePart(7, Dimensions::quarterOf);
        return switch (dimension) {
            case "quarter", "week" -> List.of(year); // a week's year is its ISO year, the first four characters
            case "month" -> List.of(quarter, year);
            case "day" ->
                List.of(datePart(7, v -> v.substring(0, 7)), datePart(10, Dimensions::isoWeekOf), quarter, year);
            default -> List.of();
        };
    }

    /** The value as {@code part} gives it, for dates of at least {@code length} characters; others (earlier years, unknown) are their own. */
    private static UnaryOperator<String> datePart(int length, UnaryOperator<String> part) {
        return v -> yearOf(v) < 0 || v.length() < length ? v : part.apply(v);
    }

    /** The ISO week of a day, as the week dimension writes it ({@code 2026-W03}). */
    private static String isoWeekOf(String day) {
        try {
            LocalDate date = LocalDate.parse(day.substring(0, 10));
            return String.format(
                    "%04d-W%02d", date.get(IsoFields.WEEK_BASED_YEAR), date.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR));
        } catch (DateTimeParseException notADate) {
            return day; // a value PostgreSQL would not have made a week of either
        }
    }
}
