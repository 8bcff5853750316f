package org.sehathub.bench;

import java.io.IOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.TreeMap;

/**
 * Rows inserted per table so far, from PostgreSQL's statistics ({@code pg_stat_user_tables}), so a
 * lever that writes fewer index rows shows where. Backends report their counts when idle (within
 * 10 s in PostgreSQL 15 and later), so a reading waits that long first.
 */
final class TableInserts {

    private static final long REPORT_DELAY_MILLIS = 11_000;

    private TableInserts() {}

    static Map<String, Long> read(BenchDatabase database) throws IOException, SQLException, InterruptedException {
        Thread.sleep(REPORT_DELAY_MILLIS);
        Map<String, Long> inserted = new TreeMap<>();
        try (Connection connection = database.connect();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT relname, n_tup_ins FROM pg_stat_user_tables")) {
            while (rows.next()) {
                inserted.merge(rows.getString(1), rows.getLong(2), Long::sum);
            }
        }
        return inserted;
    }

    /** Rows inserted per table between two readings, per {@code unit} of work done in between. */
    static Map<String, Double> per(Map<String, Long> before, Map<String, Long> after, double units) {
        Map<String, Double> rates = new TreeMap<>();
        after.forEach((table, count) -> {
            long added = count - before.getOrDefault(table, 0L);
            if (added > 0) {
                rates.put(table, added / units);
            }
        });
        return rates;
    }
}
