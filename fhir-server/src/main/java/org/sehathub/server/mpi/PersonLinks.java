package org.sehathub.server.mpi;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.sehathub.mappers.mpi.MatchResult;
import org.sehathub.mappers.mpi.PersonRecord;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The person each Patient record belongs to ({@code sehat_person_link}) and the pairs waiting for an
 * operator ({@code sehat_person_review}). Every method runs in the caller's transaction.
 */
public class PersonLinks {

    /** How a record came to belong to its person. */
    public enum Kind {
        /** It founded the person: nothing it could be linked to was there. */
        FIRST,
        /** The matcher linked it: the same valid CNIC or B-form. */
        CERTAIN,
        /** The matcher linked it: the evidence passed the match threshold. */
        PROBABLE,
        /** An operator put it there; the matcher leaves it there whatever changes. */
        MANUAL,
        /**
         * The sending facility said so (HL7 merge A40/A34/A39 or link A24: {@code Patient.link}
         * {@code replaced-by} or {@code seealso}); the matcher leaves it there.
         */
        SOURCE;

        /** True when the matcher must not move the record. */
        boolean pinned() {
            return this == MANUAL || this == SOURCE;
        }

        String code() {
            return name().toLowerCase();
        }

        static Kind of(String code) {
            return valueOf(code.toUpperCase());
        }
    }

    /** One record's link. */
    public record Link(String patient, String person, Kind kind, Double score, PersonRecord features) {}

    /** A pair of records that may be one person, and what an operator made of it. */
    public record Review(
            long id,
            String recordA,
            String recordB,
            double score,
            String grade,
            List<String> evidence,
            String status,
            Instant created,
            Instant decided,
            String decidedBy) {}

    public static final String OPEN = "open";
    public static final String SAME = "same";
    public static final String DIFFERENT = "different";

    private static final ObjectMapper JSON = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final JdbcTemplate jdbc;

    public PersonLinks(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** A new person's id. */
    static String newPerson() {
        return UUID.randomUUID().toString();
    }

    /**
     * Holds, until the transaction ends, a lock for each blocking key: two transactions writing
     * records that could be the same person (they share a key) link one after the other, so that the
     * second sees the first's person. Taken in one order, so two of them never wait for each other.
     */
    public void lock(Collection<String> keys) {
        keys.stream()
                .map(PersonLinks::lockId)
                .sorted()
                .distinct()
                .forEach(id -> jdbc.queryForList("SELECT pg_advisory_xact_lock(?)", id));
    }

    /** A 64-bit FNV-1a hash of the key: collisions only make two writers wait for each other. */
    public static long lockId(String key) {
        long hash = 0xcbf29ce484222325L;
        for (byte b : ("sehat-person:" + key).getBytes(StandardCharsets.UTF_8)) {
            hash ^= b & 0xff;
            hash *= 0x100000001b3L;
        }
        return hash;
    }

    public Optional<Link> of(String patient) {
        return of(List.of(patient)).values().stream().findFirst();
    }

    /** The links of these records (those that have one). */
    public Map<String, Link> of(Collection<String> patients) {
        Map<String, Link> links = new HashMap<>();
        if (patients.isEmpty()) {
            return links;
        }
        jdbc.query(
                "SELECT patient_id, person_id, link, score, features FROM sehat_person_link WHERE patient_id IN ("
                        + placeholders(patients.size()) + ")",
                row -> {
                    Link link = link(row);
                    links.put(link.patient(), link);
                },
                patients.toArray());
        return links;
    }

    /** The records of a person, in the order they joined it. */
    public List<Link> members(String person) {
        return jdbc.query(
                "SELECT patient_id, person_id, link, score, features FROM sehat_person_link WHERE person_id = ?"
                        + " ORDER BY updated_at, patient_id",
                (row, n) -> link(row),
                person);
    }

    /** The ids of the records of the person this record belongs to (itself only when it has no link yet). */
    public List<String> samePerson(String patient) {
        List<String> ids = jdbc.queryForList(
                "SELECT l.patient_id FROM sehat_person_link l JOIN sehat_person_link me"
                        + " ON me.person_id = l.person_id WHERE me.patient_id = ? ORDER BY l.patient_id",
                String.class,
                patient);
        return ids.isEmpty() ? List.of(patient) : ids;
    }

    public void put(String patient, String person, Kind kind, Double score, PersonRecord features) {
        jdbc.update(
                "INSERT INTO sehat_person_link (patient_id, person_id, link, score, features, updated_at)"
                        + " VALUES (?, ?, ?, ?, ?, now()) ON CONFLICT (patient_id) DO UPDATE SET"
                        + " person_id = EXCLUDED.person_id, link = EXCLUDED.link, score = EXCLUDED.score,"
                        + " features = EXCLUDED.features, updated_at = now()",
                patient,
                person,
                kind.code(),
                score,
                json(features));
    }

    /** Moves every record of person {@code from} to person {@code into}. */
    public int movePerson(String from, String into) {
        return jdbc.update(
                "UPDATE sehat_person_link SET person_id = ?, updated_at = now() WHERE person_id = ?", into, from);
    }

    /** Pins a record where it is: the matcher no longer moves it. */
    public void pin(String patient, Kind kind) {
        jdbc.update("UPDATE sehat_person_link SET link = ? WHERE patient_id = ?", kind.code(), patient);
    }

    /** Forgets a deleted record: its link and its open reviews (decisions stay, as the audit of what was decided). */
    public void remove(String patient) {
        jdbc.update("DELETE FROM sehat_person_link WHERE patient_id = ?", patient);
        jdbc.update(
                "DELETE FROM sehat_person_review WHERE status = 'open' AND (record_a = ? OR record_b = ?)",
                patient,
                patient);
    }

    public boolean isEmpty() {
        return jdbc.queryForList("SELECT 1 FROM sehat_person_link LIMIT 1", Integer.class)
                .isEmpty();
    }

    /** Queues a pair for review unless it is queued or decided already. */
    public void review(String one, String other, MatchResult result) {
        String a = one.compareTo(other) < 0 ? one : other;
        String b = a.equals(one) ? other : one;
        jdbc.update(
                "INSERT INTO sehat_person_review (record_a, record_b, score, grade, evidence)"
                        + " VALUES (?, ?, ?, ?, ?) ON CONFLICT (record_a, record_b) DO NOTHING",
                a,
                b,
                result.score(),
                result.grade().code(),
                String.join(
                        "\n", result.evidence().stream().map(Object::toString).toList()));
    }

    /** The records an operator kept apart from this one. */
    public List<String> keptApart(String patient) {
        return jdbc.queryForList(
                "SELECT CASE WHEN record_a = ? THEN record_b ELSE record_a END FROM sehat_person_review"
                        + " WHERE status = 'different' AND (record_a = ? OR record_b = ?)",
                String.class,
                patient,
                patient,
                patient);
    }

    /** The records decided the same person as this one by {@code decidedBy}. */
    public List<String> decidedSameBy(String patient, String decidedBy) {
        return jdbc.queryForList(
                "SELECT CASE WHEN record_a = ? THEN record_b ELSE record_a END FROM sehat_person_review"
                        + " WHERE status = 'same' AND decided_by = ? AND (record_a = ? OR record_b = ?)",
                String.class,
                patient,
                decidedBy,
                patient,
                patient);
    }

    /** Records an operator's decision on a pair (queued or not): {@link #SAME} or {@link #DIFFERENT}. */
    public void decide(String one, String other, String status, MatchResult result, String operator) {
        String a = one.compareTo(other) < 0 ? one : other;
        String b = a.equals(one) ? other : one;
        jdbc.update(
                "INSERT INTO sehat_person_review (record_a, record_b, score, grade, evidence, status, decided_at,"
                        + " decided_by) VALUES (?, ?, ?, ?, ?, ?, now(), ?) ON CONFLICT (record_a, record_b) DO"
                        + " UPDATE SET status = EXCLUDED.status, decided_at = now(), decided_by = EXCLUDED.decided_by",
                a,
                b,
                result.score(),
                result.grade().code(),
                String.join(
                        "\n", result.evidence().stream().map(Object::toString).toList()),
                status,
                operator);
    }

    public Optional<Review> review(long id) {
        return jdbc.query(REVIEW_COLUMNS + " WHERE id = ?", (row, n) -> review(row), id).stream()
                .findFirst();
    }

    /** Reviews of a status, oldest first, after {@code afterId}. */
    public List<Review> reviews(String status, long afterId, int limit) {
        return jdbc.query(
                REVIEW_COLUMNS + " WHERE status = ? AND id > ? ORDER BY id LIMIT ?",
                (row, n) -> review(row),
                status,
                afterId,
                limit);
    }

    /** Closes the open reviews between two persons' records that a merge made moot. */
    public int closeWithin(String person, String operator) {
        return jdbc.update(
                "UPDATE sehat_person_review r SET status = 'same', decided_at = now(), decided_by = ? WHERE status ="
                        + " 'open' AND EXISTS (SELECT 1 FROM sehat_person_link a JOIN sehat_person_link b ON"
                        + " a.person_id = b.person_id WHERE a.patient_id = r.record_a AND b.patient_id ="
                        + " r.record_b AND a.person_id = ?)",
                operator,
                person);
    }

    /** Closes this record's open reviews with records now in its own person (linked since they were queued). */
    public int closeSettled(String patient) {
        return jdbc.update(
                "UPDATE sehat_person_review r SET status = 'same', decided_at = now(), decided_by = 'matcher'"
                        + " WHERE status = 'open' AND (record_a = ? OR record_b = ?) AND (SELECT COUNT(DISTINCT"
                        + " person_id) FROM sehat_person_link WHERE patient_id IN (r.record_a, r.record_b)) = 1",
                patient,
                patient);
    }

    /**
     * People, not records: how many persons, how many records, and how many open review pairs (each
     * could, if accepted, merge two persons into one: the people count is between {@code persons -
     * openReviews} and {@code persons}).
     */
    public record Counts(long persons, long records, long openReviews, long recordsAwaitingReview) {
        public long personsAtLeast() {
            return Math.max(persons == 0 ? 0 : 1, persons - openReviews);
        }
    }

    public Counts counts() {
        return jdbc.queryForObject(
                "SELECT (SELECT COUNT(DISTINCT person_id) FROM sehat_person_link),"
                        + " (SELECT COUNT(*) FROM sehat_person_link),"
                        + " (SELECT COUNT(*) FROM sehat_person_review WHERE status = 'open'),"
                        + " (SELECT COUNT(*) FROM (SELECT record_a FROM sehat_person_review WHERE status = 'open'"
                        + " UNION SELECT record_b FROM sehat_person_review WHERE status = 'open') r)",
                (row, n) -> new Counts(row.getLong(1), row.getLong(2), row.getLong(3), row.getLong(4)));
    }

    private static final String REVIEW_COLUMNS =
            "SELECT id, record_a, record_b, score, grade, evidence, status, created_at, decided_at, decided_by"
                    + " FROM sehat_person_review";

    private static Review review(ResultSet row) throws SQLException {
        Timestamp decided = row.getTimestamp("decided_at");
        String evidence = row.getString("evidence");
        return new Review(
                row.getLong("id"),
                row.getString("record_a"),
                row.getString("record_b"),
                row.getDouble("score"),
                row.getString("grade"),
                evidence.isEmpty() ? List.of() : List.of(evidence.split("\n")),
                row.getString("status"),
                row.getTimestamp("created_at").toInstant(),
                decided == null ? null : decided.toInstant(),
                row.getString("decided_by"));
    }

    private static Link link(ResultSet row) throws SQLException {
        double score = row.getDouble("score");
        boolean noScore = row.wasNull();
        return new Link(
                row.getString("patient_id"),
                row.getString("person_id"),
                Kind.of(row.getString("link")),
                noScore ? null : score,
                features(row.getString("features")));
    }

    static String json(PersonRecord record) {
        try {
            return JSON.writeValueAsString(record);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a PersonRecord could not be written as JSON", e);
        }
    }

    static PersonRecord features(String json) {
        try {
            return JSON.readValue(json, PersonRecord.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a stored PersonRecord could not be read", e);
        }
    }

    private static String placeholders(int n) {
        return String.join(",", Collections.nCopies(n, "?"));
    }
}
