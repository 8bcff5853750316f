package org.sehathub.server.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import org.junit.jupiter.api.Test;

/**
 * Suppression tried as an attacker would: random tables of one to three dimensions (the first one a
 * month or a day, on either side of the ends of weeks, months, quarters and years), an attacker who
 * sees this answer and every coarser answer about the same data (each dimension summed away or not,
 * months summed into quarters or years, days into months, ISO weeks, quarters or years, or not; each
 * suppressed as the server would; weeks apart from the calendar's coarser values, which they do not
 * nest in), and tries to work out a hidden cell by elimination over every total shown (a hidden cell
 * fixed by the linear system). No small count (1 to the threshold) may be shown or recovered; a
 * complementary cell, never small, may be.
 */
class SuppressionPropertiesTest {

    /** A table whose first dimension is the time dimension {@code time} ({@code month} or {@code day}). */
    record Table(Map<List<String>, Long> counts, int threshold, String time) {}

    /** Months and days on either side of the ends of weeks, months, quarters and years. */
    private static final Map<String, List<String>> TIME_VALUES = Map.of(
            "month",
            List.of("2025-02", "2025-03", "2025-04", "2026-03", "2026-04", "2025-12", "2026-01"),
            "day",
            List.of(
                    "2025-03-29", // Saturday of 2025-W13
                    "2025-03-30", // its Sunday
                    "2025-03-31", // Monday of 2025-W14, in March
                    "2025-04-01", // 2025-W14 in April, another quarter
                    "2025-12-31", // 2026-W01 in 2025
                    "2026-01-01", // 2026-W01 in 2026
                    "2025-04-02"));

    /** What a time dimension's values add up to in coarser answers ({@link Dimensions#ancestors}, in its order). */
    private static final Map<String, List<String>> COARSER = Map.of(
            "month", List.of("quarter", "year"),
            "day", List.of("month", "week", "quarter", "year"),
            "quarter", List.of("year"),
            "week", List.of("year"), // the ISO year
            "year", List.of());

    @Provide
    Arbitrary<Table> tables() {
        Arbitrary<Integer> dimensions = Arbitraries.integers().between(1, 3);
        Arbitrary<Integer> threshold = Arbitraries.integers().between(3, 10);
        Arbitrary<Long> count = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(3, Arbitraries.just(0L)),
                net.jqwik.api.Tuple.of(5, Arbitraries.longs().between(1, 12)),
                net.jqwik.api.Tuple.of(4, Arbitraries.longs().between(13, 60)),
                net.jqwik.api.Tuple.of(1, Arbitraries.longs().between(61, 400)));
        return Combinators.combine(
                        dimensions,
                        threshold,
                        Arbitraries.of("month", "day"),
                        Arbitraries.integers().between(1, 5),
                        Arbitraries.integers().between(1, 4))
                .flatAs((dims, t, time, times, others) -> Arbitraries.shuffle(TIME_VALUES.get(time))
                        .flatMap(order -> {
                            List<List<String>> cells = cells(dims, order.subList(0, times), others);
                            return count.list().ofSize(cells.size()).map(values -> {
                                Map<List<String>, Long> table = new LinkedHashMap<>();
                                for (int i = 0; i < cells.size(); i++) {
                                    table.put(cells.get(i), values.get(i));
                                }
                                return new Table(table, t, time);
                            });
                        }));
    }

    private static List<List<String>> cells(int dims, List<String> times, int others) {
        List<List<String>> cells = new ArrayList<>();
        cells.add(List.of());
        for (int d = 0; d < dims; d++) {
            List<String> values = new ArrayList<>();
            if (d == 0) {
                values.addAll(times);
            } else {
                for (int v = 0; v < others; v++) {
                    values.add("v" + d + "." + v);
                }
            }
            List<List<String>> next = new ArrayList<>();
            for (List<String> cell : cells) {
                for (String value : values) {
                    List<String> longer = new ArrayList<>(cell);
                    longer.add(value);
                    next.add(List.copyOf(longer));
                }
            }
            cells = next;
        }
        return cells;
    }

    /** The ancestors of the first dimension, as the server gives them. */
    private static Map<Integer, List<UnaryOperator<String>>> timeFirst(String time) {
        return Map.of(0, Dimensions.ancestors(time));
    }

    private static final Map<Integer, List<UnaryOperator<String>>> MONTH_IN_YEAR = timeFirst("month");

    @Property(tries = 400)
    void noHiddenCellCanBeWorkedOut(@ForAll("tables") Table table) {
        try {
            Map<List<String>, Suppression.Cell> result =
                    Suppression.apply(table.counts(), table.threshold(), timeFirst(table.time()));
            Statistics.collect(table.time(), "answered");
            result.forEach((cell, state) -> {
                if (small(state.count(), table.threshold())) {
                    assertThat(state.suppressed())
                            .as("a small count shown: %s", cell)
                            .isTrue();
                }
            });
        } catch (IllegalArgumentException tooSparse) {
            Statistics.collect(table.time(), "refused as too sparse"); // nothing shown; the coarser answers may be
        }
        // A partner (a zero, or a count above the threshold) may be worked out; a small count may not.
        assertThat(disclosed(table.counts(), table.threshold(), table.time(), timeFirst(table.time())))
                .isEmpty();
    }

    @Test
    void aTableWithRoomToHideIsAnsweredWithItsSmallCellsAndSomePartnersHidden() {
        Map<List<String>, Long> counts = new LinkedHashMap<>();
        long[][] values = {{40, 3, 55}, {61, 70, 2}, {33, 47, 52}};
        for (int m = 0; m < 3; m++) {
            for (int d = 0; d < 3; d++) {
                counts.put(List.of("2026-0" + (m + 1), "district" + d), values[m][d]);
            }
        }
        Map<List<String>, Suppression.Cell> result = Suppression.apply(counts, 10, MONTH_IN_YEAR);
        long hidden =
                result.values().stream().filter(Suppression.Cell::suppressed).count();
        assertThat(result.get(List.of("2026-01", "district1")).suppressed()).isTrue();
        assertThat(result.get(List.of("2026-02", "district2")).suppressed()).isTrue();
        // Greedy, not minimal: a partner per line where one small cell stood alone (four would do).
        assertThat(hidden).as("two small cells and their partners").isBetween(4L, 6L);
        assertThat(result.values().stream().filter(c -> !c.suppressed()).count())
                .isGreaterThanOrEqualTo(3);
        assertThat(disclosed(counts, 10, "month", MONTH_IN_YEAR)).isEmpty();
    }

    /**
     * Found by {@link #noHiddenCellCanBeWorkedOut} (shrunk): with one month in each year, the months
     * of a year are that month again, and the answer by year must hide what the answer by month
     * hides; it hid other partners (the same groups met in another order), and between the two
     * answers the count of 2 could be worked out.
     */
    @Test
    void aYearOfOneMonthIsAnsweredAsThatMonthIs() {
        long[] values = {4, 0, 0, 0, 0, 4, 4, 0, 0, 0, 0, 0, 0, 4, 0, 0, 0, 0, 0, 4, 0, 0, 0, 4, 2, 4, 0, 0, 4, 0, 4, 0
        };
        Map<List<String>, Long> byMonth = new LinkedHashMap<>();
        Map<List<String>, Long> byYear = new LinkedHashMap<>();
        List<List<String>> cells = cells(3, List.of("2025-01", "2026-01"), 4);
        for (int i = 0; i < cells.size(); i++) {
            List<String> cell = cells.get(i);
            byMonth.put(cell, values[i]);
            byYear.put(List.of(cell.get(0).substring(0, 4), cell.get(1), cell.get(2)), values[i]);
        }
        Map<List<String>, Suppression.Cell> months = Suppression.apply(byMonth, 3, MONTH_IN_YEAR);
        Map<List<String>, Suppression.Cell> years = Suppression.apply(byYear, 3, Map.of());

        assertThat(months.get(List.of("2026-01", "v1.2", "v2.0")).suppressed()).isTrue();
        months.forEach((cell, state) -> assertThat(
                        years.get(List.of(cell.get(0).substring(0, 4), cell.get(1), cell.get(2)))
                                .suppressed())
                .as("%s hidden by month and by year alike", cell)
                .isEqualTo(state.suppressed()));
        assertThat(disclosed(byMonth, 3, "month", MONTH_IN_YEAR)).isEmpty();
    }

    /**
     * A quarter's total is learnt from the answer by quarter as a year's is from the answer by year,
     * and an ISO week's from the answer by week: until 2026-12-08 months were grouped by year only and
     * days by month only, so a lone small month took its partner from another quarter, a lone small
     * day its partner from another week, and the coarser answer gave the small count away.
     */
    @Test
    void theMonthsOfAQuarterAndTheDaysOfAWeekAreTotalsTheyAreHiddenWithin() {
        Map<List<String>, Long> months = new LinkedHashMap<>();
        long[] monthly = {50, 3, 60, 40, 45, 20};
        for (int m = 0; m < monthly.length; m++) {
            months.put(List.of("2025-0" + (m + 1)), monthly[m]);
        }
        UnaryOperator<String> yearOnly = v -> v.substring(0, 4);
        assertThat(disclosed(months, 10, "month", Map.of(0, List.of(yearOnly))))
                .as("months grouped by year only: Q1 less January and March is February's 3")
                .containsExactly("month [2025-02]");
        Map<List<String>, Suppression.Cell> byMonth = Suppression.apply(months, 10, MONTH_IN_YEAR);
        assertThat(byMonth.get(List.of("2025-02")).suppressed()).isTrue();
        assertThat(byMonth.get(List.of("2025-01")).suppressed()
                        || byMonth.get(List.of("2025-03")).suppressed())
                .as("the partner is in February's quarter")
                .isTrue();
        assertThat(disclosed(months, 10, "month", MONTH_IN_YEAR)).isEmpty();

        Map<List<String>, Long> days = new LinkedHashMap<>();
        days.put(List.of("2025-03-24"), 50L); // 2025-W13, Monday
        days.put(List.of("2025-03-25"), 3L);
        days.put(List.of("2025-03-26"), 40L);
        days.put(List.of("2025-03-31"), 30L); // 2025-W14, still March
        days.put(List.of("2025-04-01"), 35L);
        UnaryOperator<String> monthOnly = v -> v.substring(0, 7);
        assertThat(disclosed(days, 10, "day", Map.of(0, List.of(monthOnly))))
                .as("days grouped by month only: 2025-W13 less the 24th and 26th is the 25th's 3")
                .containsExactly("day [2025-03-25]");
        Map<List<String>, Suppression.Cell> byDay = Suppression.apply(days, 10, timeFirst("day"));
        assertThat(byDay.get(List.of("2025-03-25")).suppressed()).isTrue();
        assertThat(disclosed(days, 10, "day", timeFirst("day"))).isEmpty();
    }

    @Test
    void aLoneSmallCellTakesAPartnerAndTwoOnesTakeAThird() {
        Map<List<String>, Long> counts = new LinkedHashMap<>();
        counts.put(List.of("a"), 4L);
        counts.put(List.of("b"), 30L);
        counts.put(List.of("c"), 25L);
        Map<List<String>, Suppression.Cell> one = Suppression.apply(counts, 10, Map.of());
        assertThat(one.get(List.of("a")).suppressed()).isTrue();
        assertThat(one.get(List.of("c")).suppressed())
                .as("the smallest shown cell hides with it")
                .isTrue();
        assertThat(one.get(List.of("b")).suppressed()).isFalse();

        counts.put(List.of("a"), 1L);
        counts.put(List.of("b"), 1L);
        Map<List<String>, Suppression.Cell> ones = Suppression.apply(counts, 10, Map.of());
        assertThat(ones.values()).as("1 + 1 would tell both").allMatch(Suppression.Cell::suppressed);
    }

    private static boolean small(long count, int threshold) {
        return count >= 1 && count <= threshold;
    }

    /**
     * The small counts hidden in this answer (suppressed with {@code ancestors}) that an attacker
     * works out from the cells it and every coarser answer show (the time dimension {@code time}
     * summed into any coarser one of a family, any dimensions summed away; each suppressed as the
     * server would): a hidden count is worked out when its row is a combination of the rows of the
     * cells shown (hidden cells are at least 0, so a total pins them only by elimination). Each as
     * the time dimension and the cell.
     */
    static List<String> disclosed(
            Map<List<String>, Long> counts,
            int threshold,
            String time,
            Map<Integer, List<UnaryOperator<String>>> ancestors) {
        List<String> found = new ArrayList<>(disclosed(counts, threshold, time, ancestors, false));
        disclosed(counts, threshold, time, ancestors, true).stream()
                .filter(cell -> !found.contains(cell))
                .forEach(found::add);
        return found;
    }

    /** As {@link #disclosed(Map, int, String, Map)}, to an attacker with the answers by week, or with the others. */
    private static List<String> disclosed(
            Map<List<String>, Long> counts,
            int threshold,
            String time,
            Map<Integer, List<UnaryOperator<String>>> ancestors,
            boolean weeks) {
        List<List<String>> cells = new ArrayList<>(counts.keySet());
        int dims = cells.get(0).size();
        int everyDimension = (1 << dims) - 1;
        Map<Coarsening, Map<List<String>, Suppression.Cell>> answers = new LinkedHashMap<>();
        for (Coarsening coarsening : coarsenings(dims, time, weeks)) {
            Map<List<String>, Long> coarse = new LinkedHashMap<>();
            counts.forEach((cell, count) -> coarse.merge(coarsening.cells().apply(cell), count, Long::sum));
            boolean asAsked = coarsening.level() == 0 && coarsening.mask() == everyDimension;
            try {
                answers.put(
                        coarsening,
                        Suppression.apply(
                                coarse,
                                threshold,
                                asAsked
                                        ? ancestors
                                        : coarsening.time() == null ? Map.of() : timeFirst(coarsening.time())));
            } catch (IllegalArgumentException tooSparse) {
                // that answer shows nothing
            }
        }
        Coarsening asked = answers.keySet().stream()
                .filter(coarsening -> coarsening.level() == 0 && coarsening.mask() == everyDimension)
                .findFirst()
                .orElse(null);
        if (asked == null) {
            return List.of(); // refused: nothing shown
        }
        RowSpace shown = new RowSpace(cells.size());
        answers.forEach((coarsening, answer) -> answer.forEach((coarseCell, state) -> {
            if (!state.suppressed()) {
                shown.add(sumOf(cells, coarsening.cells(), coarseCell));
            }
        }));
        List<String> found = new ArrayList<>();
        answers.get(asked).forEach((cell, state) -> {
            if (state.suppressed()
                    && small(state.count(), threshold)
                    && shown.contains(sumOf(cells, asked.cells(), cell))) {
                found.add(time + " " + cell);
            }
        });
        return found;
    }

    /** Which of the table's cells a coarse cell adds up, as a row. */
    private static double[] sumOf(
            List<List<String>> cells, UnaryOperator<List<String>> coarsen, List<String> coarseCell) {
        double[] row = new double[cells.size()];
        for (int i = 0; i < cells.size(); i++) {
            if (coarsen.apply(cells.get(i)).equals(coarseCell)) {
                row[i] = 1;
            }
        }
        return row;
    }

    /** The rows added, kept in echelon form, so that membership of a row in their span is a reduction. */
    private static final class RowSpace {
        private final List<double[]> basis = new ArrayList<>();
        private final List<Integer> pivots = new ArrayList<>();
        private final int columns;

        RowSpace(int columns) {
            this.columns = columns;
        }

        private double[] reduce(double[] row) {
            double[] r = row.clone();
            for (int i = 0; i < basis.size(); i++) {
                int p = pivots.get(i);
                if (Math.abs(r[p]) > 1e-9) {
                    double factor = r[p] / basis.get(i)[p];
                    for (int k = 0; k < columns; k++) {
                        r[k] -= factor * basis.get(i)[k];
                    }
                }
            }
            return r;
        }

        void add(double[] row) {
            double[] r = reduce(row);
            for (int k = 0; k < columns; k++) {
                if (Math.abs(r[k]) > 1e-9) {
                    // Clear the new pivot from the rows before, so reduction stays one pass.
                    for (double[] b : basis) {
                        if (Math.abs(b[k]) > 1e-9) {
                            double factor = b[k] / r[k];
                            for (int j = 0; j < columns; j++) {
                                b[j] -= factor * r[j];
                            }
                        }
                    }
                    basis.add(r);
                    pivots.add(k);
                    return;
                }
            }
        }

        boolean contains(double[] row) {
            double[] r = reduce(row);
            for (double v : r) {
                if (Math.abs(v) > 1e-9) {
                    return false;
                }
            }
            return true;
        }
    }

    /**
     * A coarser answer (or the answer itself): how a cell becomes its cell, the time dimension it
     * keeps first (null if summed away), the dimensions it keeps (a bit each) and how coarse its time
     * is (0 as asked, else 1 + the index of the ancestor).
     */
    record Coarsening(UnaryOperator<List<String>> cells, String time, int mask, int level) {}

    /**
     * Every coarser answer: any dimensions summed away, and the time dimension (dimension 0) kept or
     * summed into any coarser time dimension of one family: days into months, quarters and years, or
     * days into ISO weeks. (Weeks do not nest in months, quarters or years: answers by week and by
     * month together fix the counts of a week's days on either side of a month's end, a limit
     * documented in analytics.md, so they are not tried together here.)
     */
    private static List<Coarsening> coarsenings(int dims, String time, boolean weeks) {
        List<Coarsening> all = new ArrayList<>();
        List<UnaryOperator<String>> ancestors = Dimensions.ancestors(time);
        for (int keep = 0; keep < (1 << dims); keep++) {
            int mask = keep;
            // -1: the time dimension as it is; i: its ancestor i
            for (int into = -1; into < ancestors.size(); into++) {
                String kept = (mask & 1) == 0
                        ? null
                        : into < 0 ? time : COARSER.get(time).get(into);
                if (into >= 0 && ((mask & 1) == 0 || kept.equals("week") != weeks)) {
                    continue;
                }
                UnaryOperator<String> first = into < 0 ? v -> v : ancestors.get(into);
                all.add(new Coarsening(
                        cell -> {
                            List<String> coarse = new ArrayList<>();
                            for (int d = 0; d < dims; d++) {
                                if ((mask & (1 << d)) != 0) {
                                    coarse.add(d == 0 ? first.apply(cell.get(0)) : cell.get(d));
                                }
                            }
                            return coarse;
                        },
                        kept,
                        mask,
                        into + 1));
            }
        }
        return all;
    }
}
