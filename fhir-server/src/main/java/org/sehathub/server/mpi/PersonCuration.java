package org.sehathub.server.mpi;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.sehathub.mappers.mpi.Blocking;
import org.sehathub.mappers.mpi.MatchGrade;
import org.sehathub.mappers.mpi.MatchResult;
import org.sehathub.server.mpi.PersonLinks.Kind;
import org.sehathub.server.mpi.PersonLinks.Link;
import org.sehathub.server.mpi.PersonLinks.Review;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * What operators decide about persons, each in one transaction and audited: a pair in review is the
 * same person (their persons merged) or two people (kept apart for good); a record split off its
 * person; two records' persons merged. Records an operator placed are pinned: the matcher no longer
 * moves them when they are updated.
 */
public class PersonCuration {

    /** A decision that cannot be made: the reason is a code for the API's problem detail. */
    public static class Refused extends RuntimeException {
        private final String code;
        private final int status;

        Refused(int status, String code, String message) {
            super(message);
            this.status = status;
            this.code = code;
        }

        public String code() {
            return code;
        }

        public int status() {
            return status;
        }
    }

    private static final MatchResult OPERATOR = new MatchResult(0, MatchGrade.POSSIBLE, List.of());

    private final PersonLinks links;
    private final TransactionTemplate transactions;
    private final PersonLinkEvents events;

    public PersonCuration(PersonLinks links, TransactionTemplate transactions, PersonLinkEvents events) {
        this.links = links;
        this.transactions = transactions;
        this.events = events;
    }

    /** Decides a pair in review: {@link PersonLinks#SAME} merges their persons, {@link PersonLinks#DIFFERENT} keeps them apart. */
    public Review decide(long reviewId, String decision, String operator) {
        // The decision comes from the request: only the two known ones name an audit subtype.
        String action = PersonLinks.SAME.equals(decision) || PersonLinks.DIFFERENT.equals(decision)
                ? "review-" + decision
                : "review-invalid";
        return audited(
                action,
                List.of(),
                () -> transactions.execute(status -> {
                    Review review = links.review(reviewId)
                            .orElseThrow(() -> new Refused(404, "no-such-review", "no review " + reviewId));
                    lockPersonsOf(List.of(review.recordA(), review.recordB()));
                    if (!PersonLinks.OPEN.equals(review.status())) {
                        throw new Refused(
                                409, "already-decided", "review " + reviewId + " was decided " + review.status());
                    }
                    if (PersonLinks.SAME.equals(decision)) {
                        join(review.recordA(), review.recordB(), operator);
                    } else if (PersonLinks.DIFFERENT.equals(decision)) {
                        keepApart(review.recordA(), review.recordB(), operator);
                    } else {
                        throw new Refused(400, "unknown-decision", "decision must be same or different");
                    }
                    return links.review(reviewId).orElseThrow();
                }));
    }

    /** Takes a record out of its person into one of its own, kept apart from the records it was with. */
    public Link split(String patient, String operator) {
        return audited(
                "split",
                List.of(patient),
                () -> transactions.execute(status -> {
                    lockPersonsOf(List.of(patient));
                    Link link = existing(patient);
                    for (Link other : links.members(link.person())) {
                        if (!other.patient().equals(patient)) {
                            links.decide(patient, other.patient(), PersonLinks.DIFFERENT, OPERATOR, operator);
                        }
                    }
                    links.put(patient, PersonLinks.newPerson(), Kind.MANUAL, null, link.features());
                    return links.of(patient).orElseThrow();
                }));
    }

    /** Puts {@code patient}'s whole person into {@code into}'s person. */
    public Link merge(String patient, String into, String operator) {
        return audited(
                "merge",
                List.of(patient, into),
                () -> transactions.execute(status -> {
                    lockPersonsOf(List.of(patient, into));
                    join(into, patient, operator);
                    return links.of(patient).orElseThrow();
                }));
    }

    private void join(String survivor, String joining, String operator) {
        Link kept = existing(survivor);
        Link moved = existing(joining);
        links.movePerson(moved.person(), kept.person());
        links.pin(survivor, Kind.MANUAL);
        links.pin(joining, Kind.MANUAL);
        // Also reverses an earlier "different" for this pair: the operator's latest word counts.
        links.decide(survivor, joining, PersonLinks.SAME, OPERATOR, operator);
        links.closeWithin(kept.person(), operator);
    }

    private void keepApart(String a, String b, String operator) {
        Link one = existing(a);
        Link other = existing(b);
        links.decide(a, b, PersonLinks.DIFFERENT, OPERATOR, operator);
        if (one.person().equals(other.person())) {
            // Linked meanwhile (through a third record): b leaves the person.
            links.put(b, PersonLinks.newPerson(), Kind.MANUAL, null, other.features());
        }
    }

    /**
     * Takes, until the transaction ends, the linker's locks ({@link PersonLinks#lock}) on the
     * blocking keys of every record in these records' persons: a record being linked meanwhile into
     * one of them (it shares a key with a member) waits for the decision, and is then placed by what
     * the decision left, rather than into a person id the decision just emptied. Members that joined
     * before the locks were held are locked too (read again until nothing new).
     */
    private void lockPersonsOf(List<String> patients) {
        Set<String> locked = new HashSet<>();
        while (true) {
            Set<String> keys = new TreeSet<>();
            for (String patient : patients) {
                links.of(patient)
                        .ifPresent(link -> links.members(link.person())
                                .forEach(member -> keys.addAll(Blocking.keys(member.features()))));
            }
            keys.removeAll(locked);
            if (keys.isEmpty()) {
                return;
            }
            links.lock(keys);
            locked.addAll(keys);
        }
    }

    private Link existing(String patient) {
        return links.of(patient).orElseThrow(() -> new Refused(404, "no-such-record", "no linked Patient " + patient));
    }

    private <T> T audited(String action, List<String> patients, Supplier<T> decision) {
        try {
            T done = decision.get();
            List<String> concerned = done instanceof Review review
                    ? List.of("Patient/" + review.recordA(), "Patient/" + review.recordB())
                    : patients.stream().map(p -> "Patient/" + p).toList();
            events.decided(action, concerned, null);
            return done;
        } catch (Refused e) {
            events.decided(action, patients.stream().map(p -> "Patient/" + p).toList(), e.status() + " " + e.code());
            throw e;
        }
    }

    /** The person of a record, with every record in it. */
    public Optional<List<Link>> person(String patient) {
        return links.of(patient).map(link -> links.members(link.person()));
    }
}
