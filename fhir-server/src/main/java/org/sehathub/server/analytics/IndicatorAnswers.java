package org.sehathub.server.analytics;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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

    /** One cell: its coordinates (one per column), its count and lower end, or hidden. */
    record Row(List<String> coordinates, Long value, Long atLeast, boolean suppressed) {}

    /** The answer: the columns (breakdown dimensions), the cells, the slice's total. */
    record Answer(
            Indicator indicator,
            List<String> columns,
            Map<String, String> filters,
            Map<String, String> parameters,
            int threshold,
            List<Row> rows,
            Row total) {}

    /** The most cells a breakdown may have (every combination of the values present). */
    static final int MAX_CELLS = 20_000;

    private final JdbcTemplate jdbc;
    private final int threshold;

    IndicatorAnswers(JdbcTemplate jdbc, int threshold) {
        this.jdbc = jdbc;
        this.threshold = threshold;
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
        Indicator.Sql events = indicator.events().apply(parameters);
        List<String> filterOnly = filters.keySet().stream()
                .filter(d -> !columns.contains(d))
                .sorted()
                .toList();
        List<String> table = new ArrayList<>(columns);
        table.addAll(filterOnly);
        List<Row> rows = slice(indicator, events, table, filters, columns.size());
        List<Row> total =
                slice(indicator, events, filters.keySet().stream().sorted().toList(), filters, 0);
        Row totalRow = total.isEmpty() ? new Row(List.of(), 0L, 0L, false) : total.get(0);
        return new Answer(indicator, List.copyOf(columns), filters, parameters, threshold, rows, totalRow);
    }

    /** The table over these dimensions, suppressed whole, then cut to the filter and to the first {@code keep} columns. */
    private List<Row> slice(
            Indicator indicator, Indicator.Sql events, List<String> dimensions, Map<String, String> filters, int keep) {
        Map<List<String>, long[]> counts = counts(indicator, events, dimensions);
        Map<List<String>, Long> lower = new LinkedHashMap<>();
        counts.forEach((cell, values) -> lower.put(cell, values[1]));
        Map<List<String>, Long> grid = Suppression.grid(
                lower, dimensions.size(), MAX_CELLS, prefix -> Dimensions.consistent(dimensions, prefix));
        if (dimensions.isEmpty() && grid.isEmpty()) {
            grid.put(List.of(), 0L);
        }
        Map<Integer, UnaryOperator<String>> parents = new HashMap<>();
        for (int i = 0; i < dimensions.size(); i++) {
            UnaryOperator<String> parent = Dimensions.parent(dimensions.get(i));
            if (parent != null) {
                parents.put(i, parent);
            }
        }
        Map<List<String>, Suppression.Cell> suppressed = Suppression.apply(grid, threshold, parents);
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
        rows.sort((a, b) -> String.join("\u0000", a.coordinates()).compareTo(String.join("\u0000", b.coordinates())));
        return rows;
    }

    /** Each cell's count and lower end (people if every open review pair were one person). */
    private Map<List<String>, long[]> counts(Indicator indicator, Indicator.Sql events, List<String> dimensions) {
        StringBuilder sql = new StringBuilder("SELECT ");
        for (int i = 0; i < dimensions.size(); i++) {
            sql.append(Dimensions.expression(dimensions.get(i)))
                    .append(" AS d")
                    .append(i)
                    .append(", ");
        }
        sql.append(
                indicator.counts() == Indicator.Counts.PEOPLE
                        ? "COUNT(DISTINCT b.person) AS value, COUNT(DISTINCT b.person_low) AS low"
                        : "COUNT(*) AS value, COUNT(*) AS low");
        sql.append(" FROM (").append(events.text()).append(") b");
        if (!dimensions.isEmpty()) {
            sql.append(" GROUP BY ");
            for (int i = 0; i < dimensions.size(); i++) {
                sql.append(i == 0 ? "" : ", ").append(i + 1);
            }
        }
        Map<List<String>, long[]> counts = new LinkedHashMap<>();
        jdbc.query(
                sql.toString(),
                rs -> {
                    List<String> cell = new ArrayList<>();
                    for (int i = 0; i < dimensions.size(); i++) {
                        cell.add(rs.getString("d" + i));
                    }
                    long value = rs.getLong("value");
                    if (value > 0) {
                        counts.put(List.copyOf(cell), new long[] {value, rs.getLong("low")});
                    }
                },
                events.arguments().toArray());
        return counts;
    }
}
