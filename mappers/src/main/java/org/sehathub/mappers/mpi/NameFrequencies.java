package org.sehathub.mappers.mpi;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * How often each name word (skeleton) occurs among the records linked so far: the share of
 * records whose names hold it. Agreeing on a word a tenth of the population has is weak evidence;
 * agreeing on one in a thousand is strong (the u-probability of Fellegi and Sunter). Until the
 * index has seen enough records, words of {@link NameKeys#isCommon} count as common and all others
 * as rare.
 */
public final class NameFrequencies {

    /** Below this many records the counts say little, and the built-in list decides. */
    static final int MINIMUM_RECORDS = 1000;

    static final double COMMON_SHARE = 0.04;
    static final double RARE_SHARE = 0.002;

    private final Map<String, Integer> counts = new HashMap<>();
    private int records;

    /** No counts: the built-in list of common words decides. */
    public static NameFrequencies builtIn() {
        return new NameFrequencies();
    }

    /**
     * Counts already made: how many records hold each word (by its skeleton), out of {@code
     * records}. A word not in {@code counts} is held by one record.
     */
    public static NameFrequencies of(Map<String, Integer> counts, int records) {
        NameFrequencies frequencies = new NameFrequencies();
        frequencies.counts.putAll(counts);
        frequencies.records = records;
        return frequencies;
    }

    /** Counts the words of these records, once per record. */
    public static NameFrequencies of(List<PersonRecord> records) {
        NameFrequencies frequencies = new NameFrequencies();
        for (PersonRecord record : records) {
            frequencies.add(record);
        }
        return frequencies;
    }

    /** Counts one more record's words. */
    public synchronized void add(PersonRecord record) {
        records++;
        record.names().stream().flatMap(List::stream).distinct().forEach(word -> counts.merge(word, 1, Integer::sum));
    }

    /** How many records were counted. */
    public synchronized int records() {
        return records;
    }

    /** The share of records that hold this word, never below one in ten thousand. */
    public synchronized double share(String word) {
        if (records < MINIMUM_RECORDS) {
            return NameKeys.isCommon(word) ? COMMON_SHARE : RARE_SHARE;
        }
        return Math.max(counts.getOrDefault(word, 0), 1) / (double) records + 0.0001;
    }
}
