package org.sehathub.server.analytics;

import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Answers an indicator broken down and filtered by dimensions, with small cells suppressed ({@link
 * Suppression}). The counts are computed over the breakdown and the filtered dimensions together
 * (a filter is a dimension whose other values are counted too), suppressed in that whole table, and
 * only then cut to the filter: so asking with a filter and without one, or by one dimension and by
 * two, cannot tell a hidden cell by difference. The total is the filtered slice's, suppressed in
 * the table of the filtered dimensions alone in the same way.
 */
final class IndicatorAnswers {

    /**
     * One cell: its coordinates (one per column), its count and lower end, or hidden; for a
     * proportion's numerator cell, its denominator where that is shown too.
     */
    record Row(List<String> coordinates, Long value, Long atLeast, boolean suppressed, Long denominator) {

        Row(List<String> coordinates, Long value, Long atLeast, boolean suppressed) {
            this(coordinates, value, atLeast, suppressed, null);
        }

        Row over(long total) {
            return new Row(coordinates, value, atLeast, suppressed, total);
        }

        /** The proportion, to four decimals; null unless both counts are shown. */
        Double ratio() {
            return denominator == null || denominator == 0 || value == null
                    ? null
                    : Math.round(10_000.0 * value / denominator) / 10_000.0;
        }
    }

    /**
     * The answer: the columns (breakdown dimensions), the cells, the slice's total; for a proportion,
     * the total's numerator over the total ({@code totalRatio}, null for a count).
     */
    record Answer(
            Indicator indicator,
            List<String> columns,
            Map<String, String> filters,
            Map<String, String> parameters,
            int threshold,
            List<Row> rows,
            Row total,
            Row totalRatio) {}

    private static final Comparator<Row> BY_COORDINATES =
            Comparator.comparing(r -> String.join("\u0000", r.coordinates()));

    /** The most cells a breakdown may have (every combination of the values present). */
    static final int MAX_CELLS = 20_000;

    private final JdbcTemplate jdbc;
    private final int threshold;
    private final Clock clock;
    private final int yearsShown;

    /**
     * @param yearsShown how many years, this one included, the time dimensions show one by one;
     *     earlier events are one value ({@link Dimensions#earlier})
     */
    IndicatorAnswers(JdbcTemplate jdbc, int threshold, Clock clock, int yearsShown) {
        this.jdbc = jdbc;
        this.threshold = threshold;
        this.clock = clock;
        this.yearsShown = yearsShown;
    }

    Answer answer(
            Indicator indicator, List<String> breakdown, Map<String, String> filters, Map<String, String> parameters) {
        List<String> columns = new ArrayList<>();
        for (String dimension : breakdown) {
            // A district is named within its province (names repeat, and a province's total is public).
            if (dimension.equals("district") && !breakdown.contains("province") && !columns.contains("province")) {
                columns.add("province");
            }
            if (!columns.contains(dimension)) {
                columns.add(dimension);
            }
        }
        Indicator.Ratio ratio = indicator.ratio();
        if (ratio != null && !columns.contains(ratio.dimension())) {
            columns.add(ratio.dimension()); // a proportion's cells are always split into numerator and the rest
        }
        for (String dimension : columns) {
            if (!indicator.dimensions().contains(dimension)) {
                throw new IllegalArgumentException(indicator.id() + " cannot be broken down by " + dimension
                        + "; it can by "
                        + String.join(
                                ", ", indicator.dimensions().stream().sorted().toList()));
            }
        }
        for (String dimension : filters.keySet()) {
            if (!indicator.dimensions().contains(dimension)) {
                throw new IllegalArgumentException(indicator.id() + " cannot be filtered by " + dimension);
            }
        }
        int firstYear = LocalDate.now(clock).getYear() - yearsShown + 1;
        filters.forEach((dimension, value) -> {
            int year = Dimensions.TIME.contains(dimension) ? Dimensions.yearOf(value) : -1;
            if (year >= 0 && year < firstYear) {
                throw new IllegalArgumentException(dimension + " " + value + " is before " + firstYear
                        + ", the first year answered on its own: events before it are counted together ("
                        + dimension + "=" + Dimensions.earlier(firstYear) + ")");
            }
        });
        Indicator.Sql events = indicator.events().apply(parameters);
        List<String> filterOnly = filters.keySet().stream()
                .filter(d -> !columns.contains(d))
                .sorted()
                .toList();
        List<String> table = new ArrayList<>(columns);
        table.addAll(filterOnly);
        List<String> filtered = filters.keySet().stream().sorted().toList();
        boolean withRatio = ratio != null && !filters.containsKey(ratio.dimension());
        List<String> margin = new ArrayList<>(table);
        List<String> split = new ArrayList<>(filtered);
        if (withRatio) {
            margin.remove(ratio.dimension());
            split.add(0, ratio.dimension());
        }
        Tables counts = counts(
                indicator,
                events,
                firstYear,
                withRatio ? List.of(table, filtered, margin, split) : List.of(table, filtered));
        List<Row> rows = slice(counts.of(table), table, filters, columns.size());
        List<Row> total = slice(counts.of(filtered), filtered, filters, 0);
        Row totalRow = total.isEmpty() ? new Row(List.of(), 0L, 0L, false) : total.get(0);
        Row totalRatio = null;
        if (withRatio) {
            rows = withDenominators(indicator, counts.of(margin), margin, columns, filters, rows);
            totalRatio = slice(counts.of(split), split, filters, 1).stream()
                    .filter(r -> r.coordinates().get(0).equals(ratio.numerator()))
                    .findFirst()
                    .orElse(new Row(List.of(ratio.numerator()), 0L, 0L, false));
            if (!totalRatio.suppressed() && !totalRow.suppressed()) {
                totalRatio = totalRatio.over(totalRow.value());
            }
        }
        return new Answer(indicator, List.copyOf(columns), filters, parameters, threshold, rows, totalRow, totalRatio);
    }

    /**
     * A proportion's numerator cells with their denominators: the same cells summed over the ratio's
     * dimension, an answer of its own (suppressed in its own table, as if asked for alone), so that
     * the ratio tells nothing that two answers would not.
     */
    private List<Row> withDenominators(
            Indicator indicator,
            Map<List<String>, long[]> marginCounts,
            List<String> marginTable,
            List<String> columns,
            Map<String, String> filters,
            List<Row> rows) {
        Indicator.Ratio ratio = indicator.ratio();
        int at = columns.indexOf(ratio.dimension());
        Map<List<String>, Row> margins = new HashMap<>();
        slice(marginCounts, marginTable, filters, columns.size() - 1).forEach(m -> margins.put(m.coordinates(), m));
        List<Row> result = new ArrayList<>();
        Set<List<String>> listed = new HashSet<>();
        for (Row row : rows) {
            List<String> cell = new ArrayList<>(row.coordinates());
            cell.remove(at);
            Row margin = margins.get(cell);
            boolean numerator = row.coordinates().get(at).equals(ratio.numerator());
            if (numerator) {
                listed.add(cell);
            }
            result.add(
                    numerator && !row.suppressed() && margin != null && !margin.suppressed()
                            ? row.over(margin.value())
                            : row);
        }
        // A numerator cell not listed is a zero shown: 0 over its denominator (0% coverage) is listed too.
        margins.forEach((cell, margin) -> {
            if (!listed.contains(cell) && !margin.suppressed() && margin.value() > 0) {
                List<String> coordinates = new ArrayList<>(cell);
                coordinates.add(at, ratio.numerator());
                result.add(new Row(List.copyOf(coordinates), 0L, 0L, false, margin.value()));
            }
        });
        result.sort(BY_COORDINATES);
        return result;
    }

    /** The table over these dimensions, suppressed whole, then cut to the filter and to the first {@code keep} columns. */
    private List<Row> slice(
            Map<List<String>, long[]> counts, List<String> dimensions, Map<String, String> filters, int keep) {
        Map<List<String>, Long> lower = new LinkedHashMap<>();
        counts.forEach((cell, values) -> lower.put(cell, values[1]));
        Map<List<String>, Long> grid = Suppression.grid(
                lower, dimensions.size(), MAX_CELLS, prefix -> Dimensions.consistent(dimensions, prefix));
        if (dimensions.isEmpty() && grid.isEmpty()) {
            grid.put(List.of(), 0L);
        }
        Map<Integer, List<UnaryOperator<String>>> ancestors = new HashMap<>();
        for (int i = 0; i < dimensions.size(); i++) {
            ancestors.put(i, Dimensions.ancestors(dimensions.get(i)));
        }
        Map<List<String>, Suppression.Cell> suppressed = Suppression.apply(grid, threshold, ancestors);
        List<Row> rows = new ArrayList<>();
        suppressed.forEach((cell, state) -> {
            for (int i = keep; i < dimensions.size(); i++) {
                if (!cell.get(i).equals(filters.get(dimensions.get(i)))) {
                    return;
                }
            }
            // A filtered dimension in the breakdown is cut to its value too.
            for (int i = 0; i < keep; i++) {
                String wanted = filters.get(dimensions.get(i));
                if (wanted != null && !wanted.equals(cell.get(i))) {
                    return;
                }
            }
            long[] values = counts.getOrDefault(cell, new long[] {0, 0});
            if (state.suppressed()) {
                rows.add(new Row(cell.subList(0, keep), null, null, true));
            } else if (values[0] > 0 || keep == 0) {
                rows.add(new Row(cell.subList(0, keep), values[0], values[1], false)); // a cell not listed is 0
            }
        });
        rows.sort(BY_COORDINATES);
        return rows;
    }

    /** The counts of several tables of one answer, each over its dimensions in its order. */
    private record Tables(Map<List<String>, Map<List<String>, long[]>> byDimensions) {

        Map<List<String>, long[]> of(List<String> dimensions) {
            return byDimensions.get(dimensions);
        }
    }

    /**
     * Each cell's count and lower end (people if every open review pair were one person) of every
     * table asked for, in one pass over the events: PostgreSQL's grouping sets count all the tables
     * at once, where a query per table would read the events once per table.
     */
    private Tables counts(Indicator indicator, Indicator.Sql events, int firstYear, List<List<String>> tables) {
        List<String> all = new ArrayList<>();
        tables.forEach(t -> t.stream().filter(d -> !all.contains(d)).forEach(all::add));
        StringBuilder inner = new StringBuilder("SELECT ");
        for (int i = 0; i < all.size(); i++) {
            inner.append(Dimensions.expression(all.get(i), firstYear))
                    .append(" AS d")
                    .append(i)
                    .append(", ");
        }
        inner.append("b.person, b.person_low FROM (").append(events.text()).append(") b");
        StringBuilder sql = new StringBuilder("SELECT ");
        for (int i = 0; i < all.size(); i++) {
            sql.append("x.d").append(i).append(", ");
        }
        sql.append(
                indicator.counts() == Indicator.Counts.PEOPLE
                        ? "COUNT(DISTINCT x.person) AS value, COUNT(DISTINCT x.person_low) AS low"
                        : "COUNT(*) AS value, COUNT(*) AS low");
        // Which set a row counts: GROUPING's bit for a dimension (the last one lowest) is 1 when it is summed away.
        sql.append(all.isEmpty() ? ", 0 AS g" : ", GROUPING(" + joined(all, all) + ") AS g");
        sql.append(" FROM (").append(inner).append(") x");
        Map<Integer, List<List<String>>> byMask = new LinkedHashMap<>();
        for (List<String> table : tables) {
            int mask = 0;
            for (int i = 0; i < all.size(); i++) {
                if (!table.contains(all.get(i))) {
                    mask |= 1 << (all.size() - 1 - i);
                }
            }
            byMask.computeIfAbsent(mask, m -> new ArrayList<>()).add(table);
        }
        if (!all.isEmpty()) {
            List<String> sets = new ArrayList<>();
            byMask.values().forEach(sameSet -> sets.add("(" + joined(sameSet.get(0), all) + ")"));
            sql.append(" GROUP BY GROUPING SETS (")
                    .append(String.join(", ", sets))
                    .append(")");
        }
        Map<List<String>, Map<List<String>, long[]>> counts = new HashMap<>();
        tables.forEach(t -> counts.put(t, new LinkedHashMap<>()));
        jdbc.query(
                sql.toString(),
                rs -> {
                    long value = rs.getLong("value");
                    if (value == 0) {
                        return;
                    }
                    long low = rs.getLong("low");
                    for (List<String> table : byMask.getOrDefault(rs.getInt("g"), List.of())) {
                        List<String> cell = new ArrayList<>();
                        for (String dimension : table) {
                            cell.add(rs.getString("d" + all.indexOf(dimension)));
                        }
                        counts.get(table).put(List.copyOf(cell), new long[] {value, low});
                    }
                },
                events.arguments().toArray());
        return new Tables(counts);
    }

    /** The columns {@code x.d<i>} of a table's dimensions, numbered as in {@code all}. */
    private static String joined(List<String> table, List<String> all) {
        return String.join(", ", table.stream().map(d -> "x.d" + all.indexOf(d)).toList());
    }
}
