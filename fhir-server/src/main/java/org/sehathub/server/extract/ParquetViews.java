package org.sehathub.server.extract;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.sehathub.server.analytics.ViewParquet;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A de-identified extract as Parquet files of the analytical store's views (docs/analytics.md), for
 * Spark, DuckDB or pandas: {@code patient.parquet} (one row per person released: pseudonym, sex,
 * birth as generalized, province, district as the k-anonymity check left them) and one file per
 * event view ({@code encounter}, {@code condition}, {@code observation}, {@code immunization}),
 * their ids and patients as the NDJSON files' pseudonyms, dates to the month, the facility left
 * out, rows of people not released left out. Written with DuckDB, in memory ({@link ViewParquet}).
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
                ViewParquet.write(duck, view.name(), file);
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
        return ViewParquet.copy(duck, store, view.name(), LEFT_OUT, (rs, columns) -> {
            String person = personOfRecord.get(rs.getString("patient"));
            if (person == null || !anonymity.released().containsKey(person)) {
                return null; // of nobody released
            }
            Object[] values = new Object[columns.size()];
            for (int i = 0; i < columns.size(); i++) {
                Object value = rs.getObject(columns.get(i));
                String column = columns.get(i);
                if (column.equals("id")) {
                    value = deidentifier.pseudonym(view.resourceType(), (String) value);
                } else if (column.equals("patient")) {
                    value = deidentifier.pseudonym("Person", person);
                } else if (value instanceof String text && DATE.matcher(text).matches()) {
                    value = text.substring(0, 7);
                }
                values[i] = value;
            }
            return values;
        });
    }
}
