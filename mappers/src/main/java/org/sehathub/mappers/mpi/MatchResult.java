package org.sehathub.mappers.mpi;

import java.util.List;

/**
 * The comparison of two records: the total weight of evidence (log-odds, higher is likelier the
 * same person), the grade it earns, and each piece of evidence with its weight, for the review
 * queue and for tuning.
 */
public record MatchResult(double score, MatchGrade grade, List<Evidence> evidence) {

    /** One comparison and what it weighed: {@code birthDate exact +5.0}. */
    public record Evidence(String field, String outcome, double weight) {
        @Override
        public String toString() {
            return field + " " + outcome + " " + (weight >= 0 ? "+" : "") + weight;
        }
    }

    /**
     * Evidence this strong against (a different CNIC, sex or birth year) says two different people,
     * whatever else agrees.
     */
    public static final double CONTRADICTION = -12.0;

    public MatchResult {
        evidence = List.copyOf(evidence);
    }

    /** True when one piece of evidence alone says these are different people. */
    public boolean contradicted() {
        return evidence.stream().anyMatch(e -> e.weight() <= CONTRADICTION);
    }
}
