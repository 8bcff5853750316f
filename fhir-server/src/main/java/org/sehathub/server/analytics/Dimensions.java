package org.sehathub.server.analytics;

import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * The breakdowns every indicator's events can be cut by, as SQL over the events' columns
 * ({@link Indicator}): where (province, district, facility), who (sex, age band at the event's
 * date), when (year, quarter, month, ISO week, day of the event's date as written, never shifted to
 * another time zone), and how (mode: in person or virtual). A value the record lacks is {@code
 * unknown}, a cell of its own.
 */
final class Dimensions {

    static final String UNKNOWN = "unknown";

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

    static String expression(String dimension) {
        String sql = EXPRESSIONS.get(dimension);
        if (sql == null) {
            throw new IllegalArgumentException("no dimension " + dimension);
        }
        return sql;
    }

    /**
     * The value a dimension's value lies within, whose total an analyst can learn from a coarser
     * answer: a month's year, a day's month; null for dimensions without one.
     */
    static UnaryOperator<String> parent(String dimension) {
        return switch (dimension) {
            case "quarter", "month", "week" -> v -> v.length() >= 4 ? v.substring(0, 4) : v;
            case "day" -> v -> v.length() >= 7 ? v.substring(0, 7) : v;
            default -> null;
        };
    }
}
