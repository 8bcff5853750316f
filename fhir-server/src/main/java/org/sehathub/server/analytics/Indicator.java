package org.sehathub.server.analytics;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * One indicator of the catalogue ({@link Indicators}): what it counts, documented for analysts, and
 * the query of the analytical store that gives its events. The query ({@link #events}) yields one
 * row per counted event with the columns every breakdown reads: {@code person}, {@code person_low}
 * (the person if every open review pair were the same person), {@code event_date}, {@code gender},
 * {@code birth_date}, {@code province}, {@code district}, {@code facility}, {@code mode}.
 *
 * @param counts what a cell counts: {@link Counts#PEOPLE} (each person once) or events
 * @param parameters the indicator's own parameters (an ICD-10 code...), with what each means
 * @param dimensions the breakdowns it allows (time dimensions only where events have a date)
 * @param ratio for a proportion (coverage), the dimension that splits the denominator and its value
 *     that is the numerator; null ({@link Indicators#COUNT}) for a count
 */
record Indicator(
        String id,
        String title,
        String definition,
        String numerator,
        String denominator,
        String sources,
        Counts counts,
        Map<String, String> parameters,
        Set<String> dimensions,
        Function<Map<String, String>, Sql> events,
        Ratio ratio) {

    /**
     * A proportion: every cell is split by {@code dimension} (always in the breakdown), and its
     * {@code numerator} value over the cell's total (the same cell summed over {@code dimension}) is
     * the ratio, named {@code label} in answers.
     */
    record Ratio(String dimension, String numerator, String label) {}

    /** What a cell counts. */
    enum Counts {
        PEOPLE("people"),
        ENCOUNTERS("encounters"),
        DOSES("doses"),
        PREGNANCIES("pregnancies");

        final String label;

        Counts(String label) {
            this.label = label;
        }
    }

    /** A query with its bound arguments. */
    record Sql(String text, List<Object> arguments) {}
}
