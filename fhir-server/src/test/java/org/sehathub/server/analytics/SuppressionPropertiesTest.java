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
 * month), an attacker who sees this answer and every coarser answer about the same data (each
 * dimension summed away or not, months summed into years or not; each suppressed as the server
 * would), and tries to work out a hidden cell by elimination over every total shown (a hidden cell
 * fixed by the linear system). No small count (1 to the threshold) may be shown or recovered; a
 * complementary cell, never small, may be.
 */
class SuppressionPropertiesTest {

    record Table(Map<List<String>, Long> counts, int threshold) {}

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
                        Arbitraries.integers().between(1, 5),
                        Arbitraries.integers().between(1, 4))
                .flatAs((dims, t, months, others) -> {
                    List<List<String>> cells = cells(dims, months, others);
                    return count.list().ofSize(cells.size()).map(values -> {
                        Map<List<String>, Long> table = new LinkedHashMap<>();
                        for (int i = 0; i < cells.size(); i++) {
                            table.put(cells.get(i), values.get(i));
                        }
                        return new Table(table, t);
                    });
                });
    }

    private static List<List<String>> cells(int dims, int months, int others) {
        List<List<String>> cells = new ArrayList<>();
        cells.add(List.of());
        for (int d = 0; d < dims; d++) {
            List<String> values = new ArrayList<>();
            int size = d == 0 ? months : others;
            for (int v = 0; v < size; v++) {
                // The first dimension is a month: two years of them.
                values.add(d == 0 ? (2025 + v % 2) + "-0" + (1 + v / 2) : "v" + d + "." + v);
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

    private static final Map<Integer, UnaryOperator<String>> MONTH_IN_YEAR = Map.of(0, v -> v.substring(0, 4));

    @Property(tries = 400)
    void noHiddenCellCanBeWorkedOut(@ForAll("tables") Table table) {
        Map<List<String>, Suppression.Cell> result;
        try {
            result = Suppression.apply(table.counts(), table.threshold(), MONTH_IN_YEAR);
        } catch (IllegalArgumentException tooSparse) {
            Statistics.collect("refused as too sparse");
            return; // nothing shown
        }
        Statistics.collect("answered");

        result.forEach((cell, state) -> {
            if (state.count() >= 1 && state.count() <= table.threshold()) {
                assertThat(state.suppressed())
                        .as("a small count shown: %s", cell)
                        .isTrue();
            }
        });
        // A partner (a zero, or a count above the threshold) may be worked out; a small count may not.
        assertThat(recoverable(result, table.threshold()))
                .filteredOn(cell ->
                        result.get(cell).count() >= 1 && result.get(cell).count() <= table.threshold())
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
        assertThat(recoverable(result, 10)).isEmpty();
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
        List<List<String>> cells = cells(3, 2, 4);
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
        assertThat(recoverable(months, 3)).isEmpty();
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

    /**
     * The hidden cells an attacker works out from this answer's shown cells and from every coarser
     * answer about the same data (any dimensions summed away, months summed into years), each
     * suppressed as the server would answer it.
     */
    static List<List<String>> recoverable(Map<List<String>, Suppression.Cell> table, int threshold) {
        List<List<String>> hidden = table.entrySet().stream()
                .filter(e -> e.getValue().suppressed())
                .map(Map.Entry::getKey)
                .toList();
        if (hidden.isEmpty()) {
            return List.of();
        }
        List<double[]> equations = new ArrayList<>();
        int dims = table.keySet().iterator().next().size();
        for (UnaryOperator<List<String>> coarsen : coarsenings(dims)) {
            Map<List<String>, Long> coarse = new LinkedHashMap<>();
            table.forEach((cell, state) -> coarse.merge(coarsen.apply(cell), state.count(), Long::sum));
            List<String> sample = coarsen.apply(table.keySet().iterator().next());
            boolean monthsKept = !sample.isEmpty() && sample.get(0).length() == 7;
            Map<List<String>, Suppression.Cell> answer;
            try {
                answer = Suppression.apply(coarse, threshold, monthsKept ? MONTH_IN_YEAR : Map.of());
            } catch (IllegalArgumentException tooSparse) {
                continue; // that answer shows nothing
            }
            answer.forEach((coarseCell, state) -> {
                if (state.suppressed()) {
                    return;
                }
                double[] row = new double[hidden.size()];
                int hiddenCount = 0;
                for (var fine : table.entrySet()) {
                    if (!coarsen.apply(fine.getKey()).equals(coarseCell)) {
                        continue;
                    }
                    int i = hidden.indexOf(fine.getKey());
                    if (i >= 0) {
                        row[i] = 1;
                        hiddenCount++;
                    }
                }
                if (hiddenCount > 0) {
                    equations.add(row);
                }
            });
        }
        // Hidden cells are at least 0 (zeros are hidden too, as partners), so a total pins them only
        // by elimination: a hidden cell is fixed if adding "this cell = x" does not raise the rank.
        List<List<String>> found = new ArrayList<>();
        int rank = rank(equations, hidden.size());
        for (int i = 0; i < hidden.size(); i++) {
            List<double[]> more = new ArrayList<>();
            equations.forEach(e -> more.add(e.clone()));
            double[] unit = new double[hidden.size()];
            unit[i] = 1;
            more.add(unit);
            if (rank(more, hidden.size()) == rank) {
                found.add(hidden.get(i));
            }
        }
        return found;
    }

    /** Every coarser answer: any dimensions summed away, and the months (dimension 0) summed into years or not. */
    private static List<UnaryOperator<List<String>>> coarsenings(int dims) {
        List<UnaryOperator<List<String>>> all = new ArrayList<>();
        for (int keep = 0; keep < (1 << dims); keep++) {
            for (boolean years : List.of(false, true)) {
                int mask = keep;
                if (years && (mask & 1) == 0) {
                    continue;
                }
                all.add(cell -> {
                    List<String> coarse = new ArrayList<>();
                    for (int d = 0; d < dims; d++) {
                        if ((mask & (1 << d)) != 0) {
                            coarse.add(d == 0 && years ? cell.get(0).substring(0, 4) : cell.get(d));
                        }
                    }
                    return coarse;
                });
            }
        }
        return all;
    }

    private static int rank(List<double[]> rows, int columns) {
        List<double[]> m = new ArrayList<>();
        rows.forEach(r -> m.add(r.clone()));
        int rank = 0;
        for (int c = 0; c < columns && rank < m.size(); c++) {
            int pivot = -1;
            for (int r = rank; r < m.size(); r++) {
                if (Math.abs(m.get(r)[c]) > 1e-9) {
                    pivot = r;
                    break;
                }
            }
            if (pivot < 0) {
                continue;
            }
            double[] p = m.get(pivot);
            m.set(pivot, m.get(rank));
            m.set(rank, p);
            for (int r = rank + 1; r < m.size(); r++) {
                double factor = m.get(r)[c] / p[c];
                for (int k = c; k < columns; k++) {
                    m.get(r)[k] -= factor * p[k];
                }
            }
            rank++;
        }
        return rank;
    }
}
