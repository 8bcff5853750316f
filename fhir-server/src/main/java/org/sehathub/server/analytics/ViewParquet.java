package org.sehathub.server.analytics;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A view of the analytical store ({@code sehat_analytics.<view>}) copied into a DuckDB table of the
 * same name and written as a Parquet file ({@code COPY ... (FORMAT PARQUET)}: Parquet is built into
 * DuckDB's JDBC driver, nothing to download). Used for the operators' export of the store and,
 * row by row de-identified, for the researchers' extracts.
 */
public final class ViewParquet {

    /** A stored row's values as written, one per column in order; null to leave the row out. */
    @FunctionalInterface
    public interface Rows {
        Object[] values(ResultSet row, List<String> columns) throws SQLException;
    }

    /** Every row as stored. */
    public static final Rows AS_STORED = (row, columns) -> {
        Object[] values = new Object[columns.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = row.getObject(columns.get(i));
        }
        return values;
    };

    /** Parquet's media type (IANA, 2024). */
    public static final String MEDIA_TYPE = "application/vnd.apache.parquet";

    private static final int FETCH_ROWS = 5_000;

    private ViewParquet() {}

    /**
     * Copies the view's rows (all columns but {@code leftOut}) into a new DuckDB table named as the
     * view.
     *
     * @return the rows copied
     */
    public static int copy(Connection duck, JdbcTemplate store, String view, Set<String> leftOut, Rows rows)
            throws SQLException {
        List<String> columns = new ArrayList<>();
        List<Integer> sqlTypes = new ArrayList<>();
        store.query("SELECT * FROM sehat_analytics." + quote(view) + " LIMIT 0", rs -> {
            ResultSetMetaData meta = rs.getMetaData();
            for (int i = 1; i <= meta.getColumnCount(); i++) {
                if (!leftOut.contains(meta.getColumnName(i))) {
                    columns.add(meta.getColumnName(i));
                    sqlTypes.add(meta.getColumnType(i));
                }
            }
            return null;
        });
        StringBuilder create = new StringBuilder("CREATE TABLE " + quote(view) + " (");
        for (int i = 0; i < columns.size(); i++) {
            create.append(i == 0 ? "" : ", ")
                    .append(quote(columns.get(i)))
                    .append(' ')
                    .append(duckType(sqlTypes.get(i)));
        }
        try (Statement statement = duck.createStatement()) {
            statement.execute(create.append(')').toString());
        }
        String select = "SELECT "
                + String.join(", ", columns.stream().map(ViewParquet::quote).toList()) + " FROM sehat_analytics."
                + quote(view);
        int copied = 0;
        // DuckDB's appender, not INSERTs: an INSERT per row wrote some 3,500 rows a second. The view
        // is read through a cursor, FETCH_ROWS at a time, not held whole in the heap (PostgreSQL's
        // driver streams only inside a transaction).
        try (DuckDBAppender appender = duck.unwrap(DuckDBConnection.class).createAppender(view);
                Connection source = store.getDataSource().getConnection()) {
            source.setAutoCommit(false);
            try (PreparedStatement statement = source.prepareStatement(select)) {
                statement.setFetchSize(FETCH_ROWS);
                try (ResultSet rs = statement.executeQuery()) {
                    while (rs.next()) {
                        Object[] values = rows.values(rs, columns);
                        if (values == null) {
                            continue;
                        }
                        appender.beginRow();
                        for (int i = 0; i < values.length; i++) {
                            append(appender, duckType(sqlTypes.get(i)), values[i]);
                        }
                        appender.endRow();
                        copied++;
                    }
                }
            } finally {
                source.rollback(); // it only read
            }
        }
        return copied;
    }

    /** Writes the DuckDB table as a Parquet file. */
    public static void write(Connection duck, String table, Path file) throws SQLException {
        try (Statement copy = duck.createStatement()) {
            copy.execute("COPY " + quote(table) + " TO '"
                    + file.toAbsolutePath().toString().replace("'", "''") + "' (FORMAT PARQUET)");
        }
    }

    /** A value as its column's DuckDB type takes it. */
    private static void append(DuckDBAppender appender, String type, Object value) throws SQLException {
        if (value == null) {
            appender.appendNull();
            return;
        }
        switch (type) {
            case "BOOLEAN" -> appender.append((Boolean) value);
            case "INTEGER" -> appender.append(((Number) value).intValue());
            case "BIGINT" -> appender.append(((Number) value).longValue());
            case "DOUBLE" -> appender.append(((Number) value).doubleValue());
            default -> appender.append(value.toString());
        }
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

    private static String quote(String name) {
        return '"' + name.replace("\"", "\"\"") + '"';
    }
}
