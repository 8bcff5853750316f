package org.sehathub.server.analytics;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
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
 * month's districts, the whole table), and the same within one parent of a dimension (the months of
 * one year); those above the threshold or of nothing, as a small total is hidden wherever it would
 * be a cell. Three rules, applied until none adds a cell, each hiding a shown cell of the line
 * concerned:
 *
 * <ol>
 *   <li>a line with exactly one hidden cell: the total less the shown cells is that cell;
 *   <li>a line whose hidden cells add up to their number: were each at least 1, each would be 1;
 *   <li>a small count that the known totals fix even so (found by elimination: the cell's value
 *       is the same in every solution of the totals' equations, as for a cell that links two
 *       otherwise separate groups of hidden cells).
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

    /** Past so many hidden cells the elimination (rule 3) takes too long for a request: refused. */
    static final int MAX_HIDDEN = 400;

    private Suppression() {}

    /**
     * @param counts the table: each cell's coordinates (one value per dimension, in order) and count,
     *     zeros included ({@link #grid})
     * @param parents for a dimension index, the parent of a value (a month's year), if it has one
     */
    static Map<List<String>, Cell> apply(
            Map<List<String>, Long> counts, int threshold, Map<Integer, UnaryOperator<String>> parents) {
        Set<List<String>> hidden = new HashSet<>();
        counts.forEach((cell, count) -> {
            if (small(count, threshold)) {
                hidden.add(cell);
            }
        });
        int dimensions = counts.keySet().stream().findFirst().map(List::size).orElse(0);
        List<List<List<String>>> lines = lines(counts.keySet(), dimensions, parents);
        List<List<List<String>>> known = lines.stream()
                .filter(line -> known(line.stream().mapToLong(counts::get).sum(), threshold))
                .toList();
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
                changed = protectFixed(known, lines, hidden, counts, threshold, exposed);
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
            List<List<List<String>>> known,
            List<List<List<String>>> lines,
            Set<List<String>> hidden,
            Map<List<String>, Long> counts,
            int threshold,
            Set<List<String>> exposed) {
        if (hidden.size() > MAX_HIDDEN) {
            throw new IllegalArgumentException("the breakdown is too sparse to answer safely (" + hidden.size()
                    + " cells would be hidden): break down by fewer dimensions, or filter");
        }
        List<List<String>> fixed = fixedByTotals(known, hidden).stream()
                .filter(c -> small(counts.get(c), threshold))
                .toList();
        for (List<String> cell : fixed) {
            for (List<List<String>> line : lines) {
                if (line.contains(cell) && hidePartner(line, counts, hidden, exposed)) {
                    return true;
                }
            }
        }
        if (!fixed.isEmpty()) {
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
     * The hidden cells whose value the lines' totals fix: those with a zero in every solution of the
     * homogeneous system (the known lines restricted to hidden cells), found from its reduced row
     * echelon form.
     */
    private static List<List<String>> fixedByTotals(List<List<List<String>>> known, Set<List<String>> hidden) {
        List<List<String>> unknowns = new ArrayList<>(hidden);
        unknowns.sort(Comparator.comparing(Object::toString));
        Map<List<String>, Integer> column = new HashMap<>();
        for (int i = 0; i < unknowns.size(); i++) {
            column.put(unknowns.get(i), i);
        }
        List<double[]> rows = new ArrayList<>();
        for (List<List<String>> line : known) {
            double[] row = new double[unknowns.size()];
            boolean any = false;
            for (List<String> cell : line) {
                Integer c = column.get(cell);
                if (c != null) {
                    row[c] = 1;
                    any = true;
                }
            }
            if (any) {
                rows.add(row);
            }
        }
        int n = unknowns.size();
        int[] pivotRowOf = new int[n];
        java.util.Arrays.fill(pivotRowOf, -1);
        int rank = 0;
        for (int col = 0; col < n && rank < rows.size(); col++) {
            int pivot = -1;
            for (int r = rank; r < rows.size(); r++) {
                if (Math.abs(rows.get(r)[col]) > 1e-9) {
                    pivot = r;
                    break;
                }
            }
            if (pivot < 0) {
                continue;
            }
            java.util.Collections.swap(rows, rank, pivot);
            double[] p = rows.get(rank);
            double scale = p[col];
            for (int k = 0; k < n; k++) {
                p[k] /= scale;
            }
            for (int r = 0; r < rows.size(); r++) {
                double[] other = rows.get(r);
                if (r != rank && Math.abs(other[col]) > 1e-9) {
                    double factor = other[col];
                    for (int k = 0; k < n; k++) {
                        other[k] -= factor * p[k];
                    }
                }
            }
            pivotRowOf[col] = rank;
            rank++;
        }
        List<List<String>> fixed = new ArrayList<>();
        for (int col = 0; col < n; col++) {
            if (pivotRowOf[col] < 0) {
                continue; // a free unknown: never fixed
            }
            double[] row = rows.get(pivotRowOf[col]);
            boolean determined = true;
            for (int free = 0; free < n && determined; free++) {
                if (pivotRowOf[free] < 0 && Math.abs(row[free]) > 1e-9) {
                    determined = false;
                }
            }
            if (determined) {
                fixed.add(unknowns.get(col));
            }
        }
        return fixed;
    }

    /**
     * Every group of cells whose total an analyst can learn from a coarser answer: the cells equal in
     * all dimensions but some (any non-empty set of dimensions summed away, up to the table's total),
     * and the same within the parent of a summed dimension (the months of one year); groups of more
     * than one cell.
     */
    private static List<List<List<String>>> lines(
            Set<List<String>> cells, int dimensions, Map<Integer, UnaryOperator<String>> parents) {
        Map<List<String>, List<List<String>>> groups = new LinkedHashMap<>();
        for (int summed = 1; summed < (1 << dimensions); summed++) {
            List<Integer> withParent = new ArrayList<>();
            for (int d = 0; d < dimensions; d++) {
                if ((summed & (1 << d)) != 0 && parents.containsKey(d)) {
                    withParent.add(d);
                }
            }
            for (int within = 0; within < (1 << withParent.size()); within++) {
                for (List<String> cell : cells) {
                    List<String> key = new ArrayList<>();
                    key.add(summed + "/" + within);
                    for (int d = 0; d < dimensions; d++) {
                        int p = withParent.indexOf(d);
                        if ((summed & (1 << d)) == 0) {
                            key.add(cell.get(d));
                        } else if (p >= 0 && (within & (1 << p)) != 0) {
                            key.add("^" + parents.get(d).apply(cell.get(d)));
                        } else {
                            key.add("*");
                        }
                    }
                    groups.computeIfAbsent(key, k -> new ArrayList<>()).add(cell);
                }
            }
        }
        // A group of one cell is that cell again (the dimensions summed away have one value there: a
        // province asked for, a month's year): a coarser answer shows it only as this one does. That
        // holds because the coarser answer is worked out from the same groups in the same order: a
        // group met again (the months of a year that has one month are that month) is the one met
        // first, so the greedy choices, and the cells hidden, are the same in both answers.
        return groups.values().stream()
                .filter(group -> group.size() > 1)
                .distinct()
                .toList();
    }
}
