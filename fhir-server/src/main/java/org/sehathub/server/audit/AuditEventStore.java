package org.sehathub.server.audit;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.IdType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The audit trail's own tables ({@code sehat_audit_event}, {@code sehat_audit_key}; Flyway V3): an
 * event is one row of FHIR JSON plus the values it is searched by. Recording an access is a few
 * inserts in a batch, where storing it as a HAPI resource cost as much as ingesting one (search
 * indexes, full-text document, history): on the benchmark that was most of a read's time.
 */
public class AuditEventStore {

    /** Kinds of search key, each filled from the event as {@link #keys} says. */
    enum Key {
        AGENT("agent"),
        ALTID("altid"),
        ENTITY("entity"),
        SUBTYPE("subtype"),
        TYPE("type"),
        ACTION("action");

        /** The {@code kind} column's value. */
        final String code;

        Key(String code) {
            this.code = code;
        }
    }

    /** What one page of a search returned. */
    record Page(List<AuditEvent> events, int total) {}

    private static final int MAX_KEY_LENGTH = 200;

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final FhirContext fhir;
    private final Clock clock;

    public AuditEventStore(JdbcTemplate jdbc, TransactionTemplate transactions, FhirContext fhir, Clock clock) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.fhir = fhir;
        this.clock = clock;
    }

    /**
     * Stores the events in one database transaction, each given its id ({@code AuditEvent/<row id>},
     * version 1) and {@code meta.lastUpdated}; an event without {@code recorded} is recorded now.
     */
    public void insert(List<AuditEvent> events) {
        transactions.executeWithoutResult(status -> {
            // The trail's own commits do not wait for the disk (the records they audit do): a crash of
            // the database server, not of ours, can lose its last fraction of a second of events, and
            // reads no longer pay a flush each for their AuditEvent.
            jdbc.execute("SET LOCAL synchronous_commit TO OFF");
            List<Long> ids = jdbc.queryForList(
                    "SELECT nextval(pg_get_serial_sequence('sehat_audit_event', 'id')) FROM generate_series(1, ?)",
                    Long.class,
                    events.size());
            Date now = Date.from(clock.instant());
            IParser json = fhir.newJsonParser();
            List<Object[]> rows = new ArrayList<>();
            List<Object[]> keys = new ArrayList<>();
            for (int i = 0; i < events.size(); i++) {
                AuditEvent event = events.get(i);
                long id = ids.get(i);
                event.setIdElement(new IdType("AuditEvent", Long.toString(id), "1"));
                event.getMeta().setLastUpdated(now).setVersionId("1");
                if (!event.hasRecorded()) {
                    event.setRecorded(now);
                }
                rows.add(new Object[] {
                    id,
                    Timestamp.from(event.getRecorded().toInstant()),
                    outcome(event),
                    json.encodeResourceToString(event)
                });
                for (Key kind : Key.values()) {
                    keys(event, kind).forEach(value -> keys.add(new Object[] {id, kind.code, value}));
                }
            }
            jdbc.batchUpdate(
                    "INSERT INTO sehat_audit_event (id, recorded, outcome, resource) VALUES (?, ?, ?, ?)", rows);
            jdbc.batchUpdate("INSERT INTO sehat_audit_key (event_id, kind, value) VALUES (?, ?, ?)", keys);
        });
    }

    /** The event with this id, as stored. */
    public Optional<AuditEvent> find(long id) {
        return jdbc
                .query("SELECT resource FROM sehat_audit_event WHERE id = ?", (rs, n) -> parse(rs.getString(1)), id)
                .stream()
                .findFirst();
    }

    /** One page of the events matching the query, in the query's order. */
    Page search(AuditQuery query, int offset, int count) {
        List<Object> args = new ArrayList<>();
        String where = query.where(args);
        Integer total = jdbc.queryForObject(
                "SELECT count(*) FROM sehat_audit_event e WHERE " + where, Integer.class, args.toArray());
        List<Object> pageArgs = new ArrayList<>(args);
        pageArgs.add(count);
        pageArgs.add(offset);
        List<AuditEvent> events = jdbc.query(
                "SELECT resource FROM sehat_audit_event e WHERE " + where + " ORDER BY " + query.order()
                        + " LIMIT ? OFFSET ?",
                (rs, n) -> parse(rs.getString(1)),
                pageArgs.toArray());
        return new Page(events, total == null ? 0 : total);
    }

    /** Deletes the events recorded before {@code cutoff} (their keys go with them); returns how many. */
    public int deleteRecordedBefore(Instant cutoff) {
        return jdbc.update("DELETE FROM sehat_audit_event WHERE recorded < ?", Timestamp.from(cutoff));
    }

    private AuditEvent parse(String resource) {
        return fhir.newJsonParser().parseResource(AuditEvent.class, resource);
    }

    private static String outcome(AuditEvent event) {
        return event.hasOutcome() ? event.getOutcome().toCode() : "0";
    }

    /**
     * The values an event is found by, per kind: every agent's {@code name} and {@code altId}, every
     * entity's {@code name} and identifier value (a message's {@code source|facility|id}), every
     * subtype's and the type's code, the action. Longer values are cut to the column's size.
     */
    static Set<String> keys(AuditEvent event, Key kind) {
        Set<String> values = new LinkedHashSet<>();
        switch (kind) {
            case AGENT -> event.getAgent().forEach(a -> values.add(a.getName()));
            case ALTID -> event.getAgent().forEach(a -> values.add(a.getAltId()));
            case ENTITY ->
                event.getEntity().forEach(e -> {
                    values.add(e.getName());
                    values.add(e.getWhat().getIdentifier().getValue());
                });
            case SUBTYPE -> event.getSubtype().stream().map(Coding::getCode).forEach(values::add);
            case TYPE -> values.add(event.getType().getCode());
            case ACTION -> values.add(event.hasAction() ? event.getAction().toCode() : null);
        }
        values.remove(null);
        values.remove("");
        Set<String> cut = new LinkedHashSet<>();
        values.forEach(v -> cut.add(v.length() > MAX_KEY_LENGTH ? v.substring(0, MAX_KEY_LENGTH) : v));
        return cut;
    }
}
