package org.sehathub.server.analytics;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * Small-cell suppression of a table of counts: a count from 1 to {@code threshold} is not shown
 * (primary suppression), and further cells are hidden so that no small count can be worked out
 * from what is shown and the totals an analyst can learn (complementary suppression).
 *
 * <p>The totals an analyst can learn are those of every group of cells a coarser answer adds up
 * (here called lines): the cells that differ only in some dimensions (a district's months, a
 * month's districts, the whole table), and the same within a value a time dimension's values lie
 * in (the months of one quarter and of one year; the days of one month, ISO week, quarter and year);
 * those above the threshold or of nothing, as a small total is hidden wherever it would be a cell.
 * Three rules, applied until none adds a cell, each hiding a shown cell of the line concerned:
 *
 * <ol>
 *   <li>a line with exactly one hidden cell: the total less the shown cells is that cell;
 *   <li>a line whose hidden cells add up to their number: were each at least 1, each would be 1;
 *   <li>a small count that the known totals fix even so (found by elimination: the cell's value
 *       is the same in every solution of the totals' equations, as for a cell that links two
 *       otherwise separate groups of hidden cells; the totals include those of the groups of one
 *       cell formed within an ancestor, below).
 * </ol>
 *
 * The cell hidden is the smallest non-zero one of the line; else a zero (hiding nothing, but the
 * analyst can no longer tell which hidden cells are small counts and which are none); a cell a
 * known total shows anyway last. Where a small count stays fixed with nothing left to hide, the
 * table is too sparse to answer: refused ({@link IllegalArgumentException}), never answered
 * unsafely. The table is the whole grid ({@link #grid}): a missing cell would tell it is zero.
 */
final class Suppression {

    /** A cell's count, or that it is hidden. */
    record Cell(long count, boolean suppressed) {}

    private static final double EPSILON = 1e-9;

    /** Marks the key of a group whose cells are summed within an ancestor (the days of one month). */
    private static final String WITHIN = "within ";

    /** Past so many hidden cells the elimination (rule 3) takes too long for a request: refused. */
    static final int MAX_HIDDEN = 400;

    private Suppression() {}

    /**
     * @param counts the table: each cell's coordinates (one value per dimension, in order) and count,
     *     zeros included ({@link #grid})
     * @param ancestors for a dimension index, the values a value lies within whose totals an analyst
     *     can learn (a month's quarter and year), if it has any
     */
    static Map<List<String>, Cell> apply(
            Map<List<String>, Long> counts, int threshold, Map<Integer, List<UnaryOperator<String>>> ancestors) {
        Set<List<String>> hidden = new HashSet<>();
        counts.forEach((cell, count) -> {
            if (small(count, threshold)) {
                hidden.add(cell);
            }
        });
        int dimensions = counts.keySet().stream().findFirst().map(List::size).orElse(0);
        Map<List<String>, List<List<String>>> groups = groups(counts.keySet(), dimensions, ancestors);
        List<List<List<String>>> lines = groups.values().stream()
                .filter(group -> group.size() > 1)
                .distinct()
                .toList();
        List<List<List<String>>> known = lines.stream()
                .filter(line -> known(line.stream().mapToLong(counts::get).sum(), threshold))
                .toList();
        // A group of one cell is that cell again in a coarser answer. Where a dimension is summed
        // away whole (a province asked for, a district's province), or where every group formed
        // within an ancestor of the same dimensions is one cell (each year has one month, each
        // quarter one), that answer's table is this one relabelled and hides as this one does.
        // Otherwise (the days of a month that has one day in the table, beside a year or an ISO week
        // of two) it need not: its other groups differ and may leave shown there a cell this answer
        // hides as a partner. So those count as known totals when small counts are checked (rule 3).
        Set<String> summedWithMore = new HashSet<>();
        groups.forEach((key, group) -> {
            if (group.size() > 1 && key.get(0).startsWith(WITHIN)) {
                summedWithMore.add(summedOf(key));
            }
        });
        Set<List<List<String>>> singles = new LinkedHashSet<>();
        groups.forEach((key, group) -> {
            if (group.size() == 1
                    && key.get(0).startsWith(WITHIN)
                    && summedWithMore.contains(summedOf(key))
                    && known(counts.get(group.get(0)), threshold)) {
                singles.add(group);
            }
        });
        List<List<List<String>>> equations = new ArrayList<>(known);
        equations.addAll(singles);
        Set<List<String>> exposed = exposed(known, counts);
        boolean changed = !hidden.isEmpty();
        while (changed) {
            changed = false;
            for (List<List<String>> line : lines) {
                List<List<String>> hiddenHere =
                        line.stream().filter(hidden::contains).toList();
                long sum = hiddenHere.stream().mapToLong(counts::get).sum();
                if (hiddenHere.size() == 1 || !hiddenHere.isEmpty() && sum == hiddenHere.size()) {
                    changed |= hidePartner(line, counts, hidden, exposed);
                }
            }
            if (!changed) {
                changed = protectFixed(equations, lines, hidden, counts, threshold, exposed);
            }
        }
        Map<List<String>, Cell> table = new LinkedHashMap<>();
        counts.forEach((cell, count) -> table.put(cell, new Cell(count, hidden.contains(cell))));
        return table;
    }

    private static boolean small(long count, int threshold) {
        return count >= 1 && count <= threshold;
    }

    /** A total an analyst can learn: shown wherever it is a cell (above the threshold, or nothing). */
    private static boolean known(long total, int threshold) {
        return total == 0 || total > threshold;
    }

    /**
     * Hides a partner in a line of a small count the known totals still fix; false if none is fixed.
     *
     * @throws IllegalArgumentException if one is fixed and no partner can be hidden (the table is too
     *     sparse to answer), or if too many cells are hidden to check
     */
    private static boolean protectFixed(
            List<List<List<String>>> equations,
            List<List<List<String>>> lines,
            Set<List<String>> hidden,
            Map<List<String>, Long> counts,
            int threshold,
            Set<List<String>> exposed) {
        if (hidden.size() > MAX_HIDDEN) {
            throw new IllegalArgumentException("the breakdown is too sparse to answer safely (" + hidden.size()
                    + " cells would be hidden): break down by fewer dimensions, or filter");
        }
        Elimination totals = new Elimination(equations, hidden);
        boolean fixed = false;
        for (List<String> cell : totals.unknowns) {
            if (small(counts.get(cell), threshold) && totals.fixes(List.of(cell))) {
                fixed = true;
                for (List<List<String>> line : lines) {
                    if (line.contains(cell) && hidePartner(line, counts, hidden, exposed)) {
                        return true;
                    }
                }
            }
        }
        if (fixed) {
            throw new IllegalArgumentException("the breakdown is too sparse to answer safely (a small count could"
                    + " be worked out from the totals): break down by fewer dimensions, or filter");
        }
        return false;
    }

    /**
     * Hides a shown cell of the line: best a non-zero one that no known total shows; then a zero
     * (hiding nothing, but the analyst can no longer tell which hidden cells are small counts and
     * which are none); an exposed cell last. False if every cell of the line is hidden.
     */
    private static boolean hidePartner(
            List<List<String>> line,
            Map<List<String>, Long> counts,
            Set<List<String>> hidden,
            Set<List<String>> exposed) {
        Comparator<List<String>> preference = Comparator.comparingInt((List<String> c) -> exposed.contains(c) ? 1 : 0)
                .thenComparingInt(c -> counts.get(c) > 0 ? 0 : 1)
                .thenComparingLong(counts::get)
                .thenComparing(Object::toString);
        List<String> partner =
                line.stream().filter(c -> !hidden.contains(c)).min(preference).orElse(null);
        return partner != null && hidden.add(partner);
    }

    /** The cells a known total shows whatever is hidden: the only cell of such a line that is not zero. */
    private static Set<List<String>> exposed(List<List<List<String>>> known, Map<List<String>, Long> counts) {
        Set<List<String>> exposed = new HashSet<>();
        for (List<List<String>> line : known) {
            List<List<String>> nonZero =
                    line.stream().filter(c -> counts.get(c) > 0).toList();
            if (nonZero.size() == 1) {
                exposed.add(nonZero.get(0));
            } else if (nonZero.isEmpty()) {
                exposed.addAll(line); // a total of nothing: every cell in it is nothing
            }
        }
        return exposed;
    }

    /**
     * The table with every combination of the dimensions' values present that can hold ({@code
     * possible}, asked of each combination as it grows, dimension by dimension), those without a
     * count at 0; empty if there is no count at all. A cell with a count is always kept.
     *
     * @throws IllegalArgumentException past {@code limit} cells
     */
    static Map<List<String>, Long> grid(
            Map<List<String>, Long> nonZero, int dimensions, int limit, Predicate<List<String>> possible) {
        Map<List<String>, Long> grid = new LinkedHashMap<>();
        if (nonZero.isEmpty()) {
            return grid;
        }
        Set<List<String>> prefixes = new HashSet<>();
        for (List<String> cell : nonZero.keySet()) {
            for (int k = 1; k <= dimensions; k++) {
                prefixes.add(cell.subList(0, k));
            }
        }
        List<List<String>> cells = new ArrayList<>();
        cells.add(List.of());
        for (int d = 0; d < dimensions; d++) {
            Set<String> values = new TreeSet<>();
            for (List<String> cell : nonZero.keySet()) {
                values.add(cell.get(d));
            }
            List<List<String>> next = new ArrayList<>();
            for (List<String> cell : cells) {
                for (String value : values) {
                    List<String> longer = new ArrayList<>(cell);
                    longer.add(value);
                    if (possible.test(longer) || prefixes.contains(longer)) {
                        next.add(List.copyOf(longer));
                    }
                }
            }
            if (next.size() > limit) {
                throw new IllegalArgumentException(
                        "the breakdown has more than " + limit + " cells: break down by fewer dimensions, or filter");
            }
            cells = next;
        }
        cells.forEach(cell -> grid.put(cell, nonZero.getOrDefault(cell, 0L)));
        return grid;
    }

    /**
     * The known totals' equations over the hidden cells, in reduced row echelon form: a hidden cell
     * is fixed by the totals when its row is a combination of theirs (it reduces to nothing).
     */
    private static final class Elimination {

        final List<List<String>> unknowns;
        private final Map<List<String>, Integer> column = new HashMap<>();
        private final List<double[]> rows = new ArrayList<>();
        private final int[] pivotRowOf;

        Elimination(List<List<List<String>>> known, Set<List<String>> hidden) {
            unknowns = new ArrayList<>(hidden);
            unknowns.sort(Comparator.comparing(Object::toString));
            for (int i = 0; i < unknowns.size(); i++) {
                column.put(unknowns.get(i), i);
            }
            // Many totals hold the same hidden cells (the rest of each line is shown): one row each.
            Set<List<Integer>> seen = new HashSet<>();
            for (List<List<String>> line : known) {
                List<Integer> held = new ArrayList<>();
                for (List<String> cell : line) {
                    Integer c = column.get(cell);
                    if (c != null) {
                        held.add(c);
                    }
                }
                if (!held.isEmpty() && seen.add(held)) {
                    double[] row = new double[unknowns.size()];
                    held.forEach(c -> row[c] = 1);
                    rows.add(row);
                }
            }
            int n = unknowns.size();
            pivotRowOf = new int[n];
            Arrays.fill(pivotRowOf, -1);
            int rank = 0;
            for (int col = 0; col < n && rank < rows.size(); col++) {
                int pivot = -1;
                for (int r = rank; r < rows.size(); r++) {
                    if (Math.abs(rows.get(r)[col]) > EPSILON) {
                        pivot = r;
                        break;
                    }
                }
                if (pivot < 0) {
                    continue;
                }
                Collections.swap(rows, rank, pivot);
                double[] p = rows.get(rank);
                double scale = p[col];
                for (int k = 0; k < n; k++) {
                    p[k] /= scale;
                }
                for (int r = 0; r < rows.size(); r++) {
                    double[] other = rows.get(r);
                    if (r != rank && Math.abs(other[col]) > EPSILON) {
                        double factor = other[col];
                        for (int k = 0; k < n; k++) {
                            other[k] -= factor * p[k];
                        }
                    }
                }
                pivotRowOf[col] = rank;
                rank++;
            }
        }

        /** The row of a group of cells over the hidden ones; null if it holds none. */
        private double[] row(List<List<String>> cells) {
            double[] row = new double[unknowns.size()];
            boolean any = false;
            for (List<String> cell : cells) {
                Integer c = column.get(cell);
                if (c != null) {
                    row[c] = 1;
                    any = true;
                }
            }
            return any ? row : null;
        }

        /** Whether the totals fix the sum of these hidden cells (one cell: its value). */
        boolean fixes(List<List<String>> cells) {
            double[] v = row(cells);
            if (v == null) {
                return false;
            }
            for (int col = 0; col < v.length; col++) {
                if (Math.abs(v[col]) > EPSILON) {
                    if (pivotRowOf[col] < 0) {
                        return false; // a free unknown left in the sum: it can take any value
                    }
                    double[] p = rows.get(pivotRowOf[col]);
                    double factor = v[col];
                    for (int k = 0; k < v.length; k++) {
                        v[k] -= factor * p[k];
                    }
                }
            }
            return true;
        }
    }

    /**
     * Every group of cells whose total an analyst can learn from a coarser answer: the cells equal in
     * all dimensions but some (any non-empty set of dimensions summed away, up to the table's total),
     * and the same within an ancestor of a summed dimension (the months of one quarter, of one year);
     * groups of one cell included (that cell again), each under a key that tells how it was formed.
     */
    private static Map<List<String>, List<List<String>>> groups(
            Set<List<String>> cells, int dimensions, Map<Integer, List<UnaryOperator<String>>> ancestors) {
        Map<List<String>, List<List<String>>> groups = new LinkedHashMap<>();
        for (int summed = 1; summed < (1 << dimensions); summed++) {
            // Each summed dimension is summed whole (choice 0) or within its ancestor number choice - 1.
            int[] choices = new int[dimensions];
            int[] limits = new int[dimensions];
            for (int d = 0; d < dimensions; d++) {
                limits[d] = (summed & (1 << d)) != 0
                        ? 1 + ancestors.getOrDefault(d, List.of()).size()
                        : 1;
            }
            do {
                for (List<String> cell : cells) {
                    List<String> key = new ArrayList<>();
                    // first the group's kind: which dimensions are summed, each whole or within which ancestor
                    key.add((Arrays.stream(choices).anyMatch(c -> c > 0) ? WITHIN : "") + summed + "/"
                            + Arrays.toString(choices));
                    for (int d = 0; d < dimensions; d++) {
                        if ((summed & (1 << d)) == 0) {
                            key.add(cell.get(d));
                        } else if (choices[d] > 0) {
                            key.add("^" + ancestors.get(d).get(choices[d] - 1).apply(cell.get(d)));
                        } else {
                            key.add("*");
                        }
                    }
                    groups.computeIfAbsent(key, k -> new ArrayList<>()).add(cell);
                }
            } while (next(choices, limits));
        }
        return groups;
    }

    /** The dimensions a group's key says are summed (its kind without the ancestors chosen). */
    private static String summedOf(List<String> key) {
        return key.get(0).substring(0, key.get(0).indexOf('/'));
    }

    /** Steps the choices on like an odometer, the first dimension fastest; false once every one was had. */
    private static boolean next(int[] choices, int[] limits) {
        for (int d = 0; d < choices.length; d++) {
            if (++choices[d] < limits[d]) {
                return true;
            }
            choices[d] = 0;
        }
        return false;
    }
}
