package org.sehathub.server.audit;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A search of the audit trail as SQL over {@link AuditEventStore}'s tables: each condition is one
 * search parameter's occurrence (its comma-separated values are alternatives), all must hold.
 */
final class AuditQuery {

    /** How a string value matches, as FHIR string search defines it. */
    enum Match {
        /** Case-insensitive prefix: FHIR's default for strings. */
        PREFIX,
        EXACT,
        CONTAINS
    }

    /** One value of a parameter. */
    record Value(String text, Match match) {}

    private final List<String> conditions = new ArrayList<>();
    private final List<Object> args = new ArrayList<>();
    private boolean newestFirst;

    /** Events with a search key of this kind matching any of the values. */
    AuditQuery key(AuditEventStore.Key kind, List<Value> anyOf) {
        List<String> alternatives = new ArrayList<>();
        args.add(kind.code);
        for (Value value : anyOf) {
            switch (value.match()) {
                case EXACT -> {
                    alternatives.add("value = ?");
                    args.add(value.text());
                }
                case PREFIX -> {
                    alternatives.add("lower(value) LIKE ? ESCAPE '\\'");
                    args.add(escapeLike(value.text().toLowerCase(Locale.ROOT)) + "%");
                }
                case CONTAINS -> {
                    alternatives.add("lower(value) LIKE ? ESCAPE '\\'");
                    args.add("%" + escapeLike(value.text().toLowerCase(Locale.ROOT)) + "%");
                }
            }
        }
        conditions.add("e.id IN (SELECT event_id FROM sehat_audit_key WHERE kind = ? AND ("
                + String.join(" OR ", alternatives) + "))");
        return this;
    }

    /** Events with any of these outcome codes (0, 4, 8, 12). */
    AuditQuery outcome(List<String> anyOf) {
        conditions.add("e.outcome IN ("
                + String.join(", ", anyOf.stream().map(o -> "?").toList()) + ")");
        args.addAll(anyOf);
        return this;
    }

    /** Events recorded at or after {@code from}. */
    AuditQuery recordedFrom(Instant from) {
        conditions.add("e.recorded >= ?");
        args.add(Timestamp.from(from));
        return this;
    }

    /** Events recorded before {@code end}. */
    AuditQuery recordedBefore(Instant end) {
        conditions.add("e.recorded < ?");
        args.add(Timestamp.from(end));
        return this;
    }

    /** Newest first; by default oldest first, which pages stably while new events are added. */
    AuditQuery newestFirst() {
        newestFirst = true;
        return this;
    }

    /** The WHERE clause over {@code sehat_audit_event e}; appends its arguments to {@code into}. */
    String where(List<Object> into) {
        into.addAll(args);
        return conditions.isEmpty() ? "TRUE" : String.join(" AND ", conditions);
    }

    String order() {
        // By when it happened (the writer's queue may store a moment's events out of order), then as stored.
        return newestFirst ? "e.recorded DESC, e.id DESC" : "e.recorded, e.id";
    }

    private static String escapeLike(String text) {
        return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }
}
