package org.sehathub.server.analytics;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The analytical store's tables ({@link ViewTable}) and their progress, in the server's own
 * PostgreSQL (schema {@code sehat_analytics}): a view's table is built when it is missing or its
 * definition changed, and a batch of changed resources replaces their rows and moves the view's
 * watermark in one transaction, so a crash never leaves rows without their watermark or the other
 * way round.
 */
public class AnalyticsStore {

    /** How far a view's table has been brought: HAPI's {@code res_updated} and {@code res_id} of the last resource. */
    record Watermark(Timestamp updatedTo, long lastResId) {
        static final Watermark START = new Watermark(new Timestamp(0), 0);
    }

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    /** Tables whose indexes this process has made sure of (a store from an earlier release may lack one). */
    private final Set<String> indexed = ConcurrentHashMap.newKeySet();

    public AnalyticsStore(JdbcTemplate jdbc, TransactionTemplate transactions) {
        this.jdbc = jdbc;
        this.transactions = transactions;
    }

    /** The view's watermark; the table (re)built first, from the start, if it is new or its definition changed. */
    Watermark prepare(ViewTable table) {
        return transactions.execute(status -> {
            List<Map<String, Object>> state = jdbc.queryForList(
                    "SELECT fingerprint, updated_to, last_res_id FROM sehat_analytics.view_state"
                            + " WHERE view_name = ? FOR UPDATE",
                    table.name());
            if (!state.isEmpty() && table.fingerprint().equals(state.get(0).get("fingerprint"))) {
                if (indexed.add(table.name())) {
                    table.indexSql().forEach(jdbc::execute);
                }
                return new Watermark(
                        (Timestamp) state.get(0).get("updated_to"),
                        ((Number) state.get(0).get("last_res_id")).longValue());
            }
            jdbc.execute("DROP TABLE IF EXISTS " + table.qualified());
            jdbc.execute(table.createSql());
            table.indexSql().forEach(jdbc::execute);
            indexed.add(table.name());
            jdbc.update("DELETE FROM sehat_analytics.view_state WHERE view_name = ?", table.name());
            jdbc.update(
                    "INSERT INTO sehat_analytics.view_state (view_name, fingerprint, updated_to, last_res_id)"
                            + " VALUES (?, ?, ?, ?)",
                    table.name(),
                    table.fingerprint(),
                    Watermark.START.updatedTo(),
                    Watermark.START.lastResId());
            return Watermark.START;
        });
    }

    /** Replaces the rows of the resources named (deleted ones lose theirs) and moves the watermark. */
    void apply(ViewTable table, List<String> keys, Map<String, List<List<Object>>> rowsByKey, Watermark next) {
        transactions.executeWithoutResult(status -> {
            jdbc.update("DELETE FROM " + table.qualified() + " WHERE " + ViewTable.KEY + " = ANY (?)", (Object)
                    keys.toArray(String[]::new));
            List<Object[]> inserts = new ArrayList<>();
            rowsByKey.forEach((key, rows) -> rows.forEach(row -> inserts.add(values(table, key, row))));
            if (!inserts.isEmpty()) {
                jdbc.batchUpdate(table.insertSql(), inserts);
            }
            jdbc.update(
                    "UPDATE sehat_analytics.view_state SET updated_to = ?, last_res_id = ?, refreshed_at = now()"
                            + " WHERE view_name = ?",
                    next.updatedTo(),
                    next.lastResId(),
                    table.name());
        });
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Object[] values(ViewTable table, String key, List<Object> row) {
        Object[] values = new Object[row.size() + 1];
        values[0] = key;
        List<ViewDefinition.Column> columns = table.view().columns();
        for (int i = 0; i < row.size(); i++) {
            Object value = row.get(i);
            values[i + 1] = columns.get(i).collection() ? json(value) : value;
        }
        return values;
    }
}
