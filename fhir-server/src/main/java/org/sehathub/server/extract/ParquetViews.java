package org.sehathub.server.extract;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A de-identified extract as Parquet files of the analytical store's views (docs/analytics.md), for
 * Spark, DuckDB or pandas: {@code patient.parquet} (one row per person released: pseudonym, sex,
 * birth as generalized, province, district as the k-anonymity check left them) and one file per
 * event view ({@code encounter}, {@code condition}, {@code observation}, {@code immunization}),
 * their ids and patients as the NDJSON files' pseudonyms, dates to the month, the facility left
 * out, rows of people not released left out. Written with DuckDB (in memory, then {@code COPY ...
 * (FORMAT PARQUET)}; Parquet is built into its driver, nothing to download).
 */
final class ParquetViews {

    /** A view of the store and the resource type its rows come from. */
    record View(String name, String resourceType) {}

    static final List<View> VIEWS = List.of(
            new View("patient", "Patient"),
            new View("encounter", "Encounter"),
            new View("condition", "Condition"),
            new View("observation", "Observation"),
            new View("immunization", "Immunization"));

    /** Columns never in an extract: where the record came from, and the store's own key. */
    private static final Set<String> LEFT_OUT = Set.of("facility", "sehat_key");

    private static final Pattern DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}.*");

    private ParquetViews() {}

    static List<ExtractJob.Output> write(
            Path folder,
            JdbcTemplate store,
            List<String> types,
            Map<String, String> personOfRecord,
            KAnonymity.Result anonymity,
            Deidentifier deidentifier)
            throws SQLException {
        List<ExtractJob.Output> outputs = new ArrayList<>();
        try (Connection duck = DriverManager.getConnection("jdbc:duckdb:")) {
            for (View view : VIEWS) {
                if (!types.contains(view.resourceType())) {
                    continue;
                }
                int rows = view.name().equals("patient")
                        ? people(duck, anonymity, deidentifier)
                        : events(duck, store, view, personOfRecord, anonymity, deidentifier);
                Path file = folder.resolve(view.name() + ".parquet");
                try (Statement copy = duck.createStatement()) {
                    copy.execute("COPY \"" + view.name() + "\" TO '"
                            + file.toAbsolutePath().toString().replace("'", "''") + "' (FORMAT PARQUET)");
                }
                outputs.add(
                        new ExtractJob.Output(view.name(), file.getFileName().toString(), rows));
            }
        }
        return outputs;
    }

    private static int people(Connection duck, KAnonymity.Result anonymity, Deidentifier deidentifier)
            throws SQLException {
        try (Statement create = duck.createStatement()) {
            create.execute("CREATE TABLE patient (id VARCHAR, gender VARCHAR, birth VARCHAR, province VARCHAR,"
                    + " district VARCHAR)");
        }
        try (PreparedStatement insert = duck.prepareStatement("INSERT INTO patient VALUES (?, ?, ?, ?, ?)")) {
            for (Map.Entry<String, KAnonymity.Released> person :
                    anonymity.released().entrySet()) {
                KAnonymity.Released released = person.getValue();
                insert.setString(1, deidentifier.pseudonym("Person", person.getKey()));
                insert.setString(2, released.sex());
                insert.setString(3, released.birth().isEmpty() ? null : released.birth());
                insert.setString(4, released.province());
                insert.setString(5, released.district());
                insert.addBatch();
            }
            insert.executeBatch();
        }
        return anonymity.released().size();
    }

    private static int events(
            Connection duck,
            JdbcTemplate store,
            View view,
            Map<String, String> personOfRecord,
            KAnonymity.Result anonymity,
            Deidentifier deidentifier)
            throws SQLException {
        List<String> columns = new ArrayList<>();
        List<Integer> sqlTypes = new ArrayList<>();
        store.query("SELECT * FROM sehat_analytics.\"" + view.name() + "\" LIMIT 0", rs -> {
            ResultSetMetaData meta = rs.getMetaData();
            for (int i = 1; i <= meta.getColumnCount(); i++) {
                if (!LEFT_OUT.contains(meta.getColumnName(i))) {
                    columns.add(meta.getColumnName(i));
                    sqlTypes.add(meta.getColumnType(i));
                }
            }
            return null;
        });
        StringBuilder create = new StringBuilder("CREATE TABLE \"" + view.name() + "\" (");
        for (int i = 0; i < columns.size(); i++) {
            create.append(i == 0 ? "" : ", ")
                    .append('"')
                    .append(columns.get(i))
                    .append("\" ")
                    .append(duckType(sqlTypes.get(i)));
        }
        try (Statement statement = duck.createStatement()) {
            statement.execute(create.append(')').toString());
        }
        String placeholders = String.join(", ", java.util.Collections.nCopies(columns.size(), "?"));
        int[] rows = {0};
        try (PreparedStatement insert =
                duck.prepareStatement("INSERT INTO \"" + view.name() + "\" VALUES (" + placeholders + ")")) {
            store.query(
                    "SELECT "
                            + String.join(
                                    ", ",
                                    columns.stream().map(c -> '"' + c + '"').toList()) + " FROM sehat_analytics.\""
                            + view.name() + "\"",
                    rs -> {
                        String person = personOfRecord.get(rs.getString("patient"));
                        if (person == null || !anonymity.released().containsKey(person)) {
                            return; // of nobody released
                        }
                        try {
                            for (int i = 0; i < columns.size(); i++) {
                                Object value = rs.getObject(columns.get(i));
                                String column = columns.get(i);
                                if (column.equals("id")) {
                                    value = deidentifier.pseudonym(view.resourceType(), (String) value);
                                } else if (column.equals("patient")) {
                                    value = deidentifier.pseudonym("Person", person);
                                } else if (value instanceof String text
                                        && DATE.matcher(text).matches()) {
                                    value = text.substring(0, 7);
                                } else if (value instanceof java.math.BigDecimal number) {
                                    value = number.doubleValue();
                                } else if (value != null && !(value instanceof Number) && !(value instanceof Boolean)) {
                                    value = value.toString();
                                }
                                insert.setObject(i + 1, value);
                            }
                            insert.addBatch();
                            if (++rows[0] % 1000 == 0) {
                                insert.executeBatch();
                            }
                        } catch (SQLException e) {
                            throw new IllegalStateException(e);
                        }
                    });
            insert.executeBatch();
        }
        return rows[0];
    }

    private static String duckType(int sqlType) {
        return switch (sqlType) {
            case Types.BOOLEAN, Types.BIT -> "BOOLEAN";
            case Types.INTEGER, Types.SMALLINT -> "INTEGER";
            case Types.BIGINT -> "BIGINT";
            case Types.NUMERIC, Types.DECIMAL, Types.DOUBLE, Types.REAL, Types.FLOAT -> "DOUBLE";
            default -> "VARCHAR";
        };
    }
}
