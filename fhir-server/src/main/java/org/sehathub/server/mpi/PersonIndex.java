package org.sehathub.server.mpi;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.sehathub.mappers.mpi.Blocking;
import org.sehathub.mappers.mpi.NameFrequencies;
import org.sehathub.mappers.mpi.PatientMatcher;
import org.sehathub.mappers.mpi.PersonRecord;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The blocking keys of every Patient ({@code sehat_person_key}): which records could be the same
 * person as a given one. Written inside HAPI's transaction by {@link PersonLinker}; read by
 * {@code Patient/$match}.
 */
public class PersonIndex {

    private static final long COUNT_EVERY_NANOS = 60_000_000_000L;

    private final JdbcTemplate jdbc;
    private volatile CountedAt counted;

    private record CountedAt(long patients, long nanos) {}

    public PersonIndex(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** The keys of one Patient, replacing those it had. */
    public void replace(String patientId, Collection<String> keys) {
        jdbc.update("DELETE FROM sehat_person_key WHERE patient_id = ?", patientId);
        List<Object[]> rows = new ArrayList<>();
        for (String key : keys) {
            rows.add(new Object[] {patientId, key.length() > 300 ? key.substring(0, 300) : key});
        }
        if (!rows.isEmpty()) {
            jdbc.batchUpdate("INSERT INTO sehat_person_key (patient_id, key) VALUES (?, ?)", rows);
        }
    }

    public void remove(String patientId) {
        jdbc.update("DELETE FROM sehat_person_key WHERE patient_id = ?", patientId);
    }

    /**
     * The Patients (their id parts) sharing at least one of {@code keys}, at most {@code limit} of them, those sharing
     * the most keys first.
     */
    public List<String> candidates(Collection<String> keys, int limit) {
        if (keys.isEmpty()) {
            return List.of();
        }
        String in = String.join(",", java.util.Collections.nCopies(keys.size(), "?"));
        List<Object> args = new ArrayList<>(keys);
        args.add(limit);
        return jdbc.queryForList(
                "SELECT patient_id FROM sehat_person_key WHERE key IN (" + in + ")"
                        + " GROUP BY patient_id ORDER BY COUNT(*) DESC, patient_id LIMIT ?",
                String.class,
                args.toArray());
    }

    /** How many indexed Patients hold each of these word keys ({@code word:<skeleton>}). */
    public Map<String, Integer> counts(Collection<String> wordKeys) {
        Map<String, Integer> counts = new HashMap<>();
        if (wordKeys.isEmpty()) {
            return counts;
        }
        String in = String.join(",", java.util.Collections.nCopies(wordKeys.size(), "?"));
        jdbc.query(
                "SELECT key, COUNT(*) FROM sehat_person_key WHERE key IN (" + in + ") GROUP BY key",
                row -> {
                    counts.put(row.getString(1), row.getInt(2));
                },
                wordKeys.toArray());
        return counts;
    }

    /**
     * A matcher for comparing these records: their name words weighed by how many indexed Patients
     * hold each, the thresholds raised for the index's size.
     */
    public PatientMatcher matcher(PatientMatcher.Thresholds thresholds, Collection<PersonRecord> records) {
        Set<String> words = new HashSet<>();
        records.forEach(r -> words.addAll(Blocking.words(r)));
        Map<String, Integer> frequencies = new HashMap<>();
        counts(words).forEach((key, count) -> frequencies.put(key.substring(Blocking.WORD.length()), count));
        return new PatientMatcher(
                thresholds, NameFrequencies.of(frequencies, (int) Math.min(Integer.MAX_VALUE, patients())));
    }

    /**
     * About how many Patients are indexed: counted at most once a minute, because counting scans
     * the whole index and the figure only scales weights and thresholds (a minute's new Patients
     * change neither measurably).
     */
    public long patients() {
        long now = System.nanoTime();
        CountedAt last = counted;
        if (last == null || now - last.nanos() > COUNT_EVERY_NANOS) {
            Long count = jdbc.queryForObject("SELECT COUNT(DISTINCT patient_id) FROM sehat_person_key", Long.class);
            last = new CountedAt(count == null ? 0 : count, now);
            counted = last;
        }
        return last.patients();
    }
}
