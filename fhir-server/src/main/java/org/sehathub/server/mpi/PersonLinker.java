package org.sehathub.server.mpi;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.sehathub.mappers.mpi.Blocking;
import org.sehathub.mappers.mpi.MatchGrade;
import org.sehathub.mappers.mpi.MatchResult;
import org.sehathub.mappers.mpi.PatientMatcher;
import org.sehathub.mappers.mpi.PersonLinkRule;
import org.sehathub.mappers.mpi.PersonRecord;
import org.sehathub.server.mpi.PersonLinks.Kind;
import org.sehathub.server.mpi.PersonLinks.Link;

/**
 * Puts a Patient record into its person when it is written, inside the transaction that writes it:
 * the record's blocking keys are locked (two writers of the same new person link one after the
 * other), indexed, its candidates compared, and {@link PersonLinkRule} decides; the pairs it leaves
 * open go to the review queue. A record whose compared details did not change keeps its link; one
 * an operator or its facility placed stays where it is.
 */
public class PersonLinker {

    /** Candidates compared at most, those sharing the most keys first. */
    static final int MAX_CANDIDATES = 200;

    private final PersonIndex index;
    private final PersonLinks links;
    private final PatientMatcher.Thresholds thresholds;

    public PersonLinker(PersonIndex index, PersonLinks links, PatientMatcher.Thresholds thresholds) {
        this.index = index;
        this.links = links;
        this.thresholds = thresholds;
    }

    /** The person a record was put in, and how. */
    public record Placed(String person, Kind kind) {}

    /** Indexes and links one record ({@code patient} is its id part); returns where it now belongs. */
    public Placed write(String patient, PersonRecord record) {
        Optional<Link> current = links.of(patient);
        if (current.isPresent() && current.get().features().equals(record)) {
            return new Placed(current.get().person(), current.get().kind());
        }
        Set<String> keys = Blocking.keys(record);
        links.lock(keys);
        Set<String> indexed = new LinkedHashSet<>(keys);
        indexed.addAll(Blocking.words(record));
        index.replace(patient, indexed);
        if (current.isPresent() && current.get().kind().pinned()) {
            Link pinned = current.get();
            links.put(patient, pinned.person(), pinned.kind(), pinned.score(), record);
            return new Placed(pinned.person(), pinned.kind());
        }

        List<String> ids = new ArrayList<>(index.candidates(keys, MAX_CANDIDATES + 1));
        ids.remove(patient);
        Map<String, Link> candidates = links.of(ids);
        List<PersonRecord> compared = new ArrayList<>();
        compared.add(record);
        candidates.values().forEach(c -> compared.add(c.features()));
        PatientMatcher matcher = index.matcher(thresholds, compared);
        Set<String> keptApart = new HashSet<>(links.keptApart(patient));
        List<PersonLinkRule.Compared> results = candidates.values().stream()
                .map(c -> new PersonLinkRule.Compared(
                        c.patient(),
                        c.person(),
                        matcher.compare(record, c.features()),
                        keptApart.contains(c.patient())))
                .toList();
        PersonLinkRule.Decision decision = PersonLinkRule.decide(results);

        Placed placed;
        if (decision.person() != null) {
            MatchResult via = decision.joinedBy().result();
            Kind kind = via.grade() == MatchGrade.CERTAIN ? Kind.CERTAIN : Kind.PROBABLE;
            links.put(patient, decision.person(), kind, via.score(), record);
            placed = new Placed(decision.person(), kind);
        } else {
            // Alone: a person of its own, keeping the one it had when nobody else is in it (a
            // person's id does not change because her record was corrected).
            String person = current.filter(c -> links.members(c.person()).size() == 1)
                    .map(Link::person)
                    .orElseGet(PersonLinks::newPerson);
            links.put(patient, person, Kind.FIRST, null, record);
            placed = new Placed(person, Kind.FIRST);
        }
        for (PersonLinkRule.Compared pair : decision.toReview()) {
            links.review(patient, pair.record(), pair.result());
        }
        if (current.isPresent()) {
            links.closeSettled(patient);
        }
        return placed;
    }

    /**
     * The sending facility says two of its records are one person (an HL7 merge or link: {@code
     * Patient.link} {@code replaced-by} or {@code seealso}): {@code record}'s person joins {@code
     * survivor}'s, both pinned. Nothing happens when either is not linked yet (not stored).
     *
     * @param link true for a link (A24, which an unlink can take back), false for a merge
     */
    public void sameBySource(String record, String survivor, boolean link) {
        Optional<Link> moved = links.of(record);
        Optional<Link> kept = links.of(survivor);
        if (moved.isEmpty() || kept.isEmpty()) {
            return;
        }
        if (moved.get().person().equals(kept.get().person())
                && moved.get().kind() == Kind.SOURCE
                && kept.get().kind() == Kind.SOURCE) {
            return; // followed already: every later update of a merged record says it again
        }
        links.movePerson(moved.get().person(), kept.get().person());
        links.pin(record, Kind.SOURCE);
        links.pin(survivor, Kind.SOURCE);
        links.decide(record, survivor, PersonLinks.SAME, SOURCE_DECISION, link ? SOURCE_LINK : SOURCE_MERGE);
        links.closeWithin(kept.get().person(), link ? SOURCE_LINK : SOURCE_MERGE);
    }

    /**
     * The sending facility says two of its records are not one person after all (HL7 unlink A37:
     * a {@code seealso} link taken away): they are kept apart, and {@code record} leaves the person
     * when they share one.
     */
    public void differentBySource(String record, String other) {
        Optional<Link> one = links.of(record);
        Optional<Link> two = links.of(other);
        if (one.isEmpty() || two.isEmpty()) {
            return;
        }
        links.decide(record, other, PersonLinks.DIFFERENT, SOURCE_DECISION, "source-unlink");
        if (one.get().person().equals(two.get().person())) {
            links.put(
                    record,
                    PersonLinks.newPerson(),
                    Kind.SOURCE,
                    null,
                    one.get().features());
        }
    }

    private static final MatchResult SOURCE_DECISION = new MatchResult(0, MatchGrade.POSSIBLE, List.of());

    /** Who decided, in the review table: a facility's link (A24) or merge (A40, A34, A39). */
    static final String SOURCE_LINK = "source-link";

    static final String SOURCE_MERGE = "source-merge";

    /** The records a facility's link (A24) joined with this one, and not unlinked since. */
    public List<String> linkedBySource(String patient) {
        return links.decidedSameBy(patient, SOURCE_LINK);
    }

    /** Forgets a deleted record. */
    public void remove(String patient) {
        index.remove(patient);
        links.remove(patient);
    }
}
