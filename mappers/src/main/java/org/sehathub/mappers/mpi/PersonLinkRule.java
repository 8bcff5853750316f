package org.sehathub.mappers.mpi;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which person a record joins, given how it compares with the records that could be the same
 * person. A false link shows one person's history to another, so the rule errs on the side of not
 * linking:
 *
 * <ul>
 *   <li>a record joins the person of its best linking candidate (certain before probable, then the
 *       higher score);
 *   <li>never a person one of whose records it contradicts (a different CNIC, sex or birth year), nor
 *       one an operator has kept apart from it: that candidate goes to review instead;
 *   <li>other persons it matches or possibly matches go to review, one pair per person (the best);
 *   <li>without a linking candidate it is a person of its own.
 * </ul>
 *
 * <p>It never merges two persons: when a record links to records of two persons, it joins one and
 * the other waits for an operator.
 */
public final class PersonLinkRule {

    private PersonLinkRule() {}

    /**
     * One candidate and how the record compares with it.
     *
     * @param record the candidate record
     * @param person the person the candidate belongs to
     * @param keptApart true when an operator decided the two are different people
     */
    public record Compared(String record, String person, MatchResult result, boolean keptApart) {}

    /**
     * @param person the person to join, or null for a person of its own
     * @param joinedBy the candidate it joins through (null when none)
     * @param toReview the pairs an operator should look at, one per other person
     */
    public record Decision(String person, Compared joinedBy, List<Compared> toReview) {

        public Decision {
            toReview = List.copyOf(toReview);
        }
    }

    private static final Comparator<Compared> BEST_FIRST = Comparator.comparing(
                    (Compared c) -> c.result().grade() == MatchGrade.CERTAIN ? 0 : 1)
            .thenComparing(c -> -c.result().score());

    public static Decision decide(List<Compared> candidates) {
        Set<String> barred = new HashSet<>();
        for (Compared c : candidates) {
            if (c.keptApart() || c.result().contradicted()) {
                barred.add(c.person());
            }
        }
        Compared join = candidates.stream()
                .filter(c -> c.result().grade().links() && !barred.contains(c.person()))
                .min(BEST_FIRST)
                .orElse(null);
        String person = join == null ? null : join.person();
        Map<String, Compared> review = new LinkedHashMap<>();
        candidates.stream()
                .filter(c -> !c.keptApart()
                        && c.result().grade() != MatchGrade.CERTAINLY_NOT
                        && !c.person().equals(person))
                .sorted(BEST_FIRST)
                .forEach(c -> review.putIfAbsent(c.person(), c));
        return new Decision(person, join, new ArrayList<>(review.values()));
    }
}
