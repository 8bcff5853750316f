package org.sehathub.server.mpi;

import java.util.List;
import java.util.Map;
import org.sehathub.server.config.Problems;
import org.sehathub.server.mpi.PersonLinks.Link;
import org.sehathub.server.mpi.PersonLinks.Review;
import org.sehathub.server.security.Caller;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The operators' side of patient linking (docs/mpi.md, "Review"), under {@code /admin/mpi}: the
 * review queue with each pair's evidence and its decision, a record's person, splits and merges,
 * and the people count. Operators only (as all of {@code /admin}); every decision audited.
 */
@RestController
@RequestMapping(path = "/admin/mpi", produces = MediaType.APPLICATION_JSON_VALUE)
public class PersonLinkController {

    private static final int MAX_PAGE = 500;

    private final PersonLinks links;
    private final PersonCuration curation;

    public PersonLinkController(PersonLinks links, PersonCuration curation) {
        this.links = links;
        this.curation = curation;
    }

    /** A pair in the queue as the API shows it: records as references. */
    public record ReviewView(
            long id,
            String record,
            String candidate,
            double score,
            String grade,
            List<String> evidence,
            String status,
            String created,
            String decided,
            String decidedBy) {
        static ReviewView of(Review r) {
            return new ReviewView(
                    r.id(),
                    "Patient/" + r.recordA(),
                    "Patient/" + r.recordB(),
                    Math.round(r.score() * 100) / 100.0,
                    r.grade(),
                    r.evidence(),
                    r.status(),
                    r.created().toString(),
                    r.decided() == null ? null : r.decided().toString(),
                    r.decidedBy());
        }
    }

    /** One record of a person: how it came to be there. */
    public record MemberView(String record, String link, Double score) {
        static MemberView of(Link link) {
            return new MemberView(
                    "Patient/" + link.patient(),
                    link.kind().name().toLowerCase(),
                    link.score() == null ? null : Math.round(link.score() * 100) / 100.0);
        }
    }

    public record PersonView(String person, List<MemberView> records) {
        static PersonView of(List<Link> members) {
            return new PersonView(
                    members.get(0).person(),
                    members.stream().map(MemberView::of).toList());
        }
    }

    /** People, not records, with the range the open reviews leave. */
    public record CountsView(
            long people, long peopleAtLeast, long records, long openReviews, long recordsAwaitingReview) {}

    /** The queue (or the decided pairs, with {@code status=same|different}), oldest first, a page after {@code after}. */
    @GetMapping("/reviews")
    public List<ReviewView> reviews(
            @RequestParam(defaultValue = PersonLinks.OPEN) String status,
            @RequestParam(defaultValue = "0") long after,
            @RequestParam(defaultValue = "100") int limit) {
        return links.reviews(status, after, Math.max(1, Math.min(limit, MAX_PAGE))).stream()
                .map(ReviewView::of)
                .toList();
    }

    @GetMapping("/reviews/{id}")
    public ResponseEntity<ReviewView> review(@PathVariable long id) {
        return links.review(id)
                .map(r -> ResponseEntity.ok(ReviewView.of(r)))
                .orElseGet(() -> ResponseEntity.notFound().build());
    }

    /** {@code {"decision": "same"}} merges the pair's persons; {@code "different"} keeps them apart. */
    @PostMapping(path = "/reviews/{id}", consumes = MediaType.APPLICATION_JSON_VALUE)
    public ReviewView decide(@PathVariable long id, @RequestBody Map<String, String> body) {
        return ReviewView.of(curation.decide(id, String.valueOf(body.get("decision")), operator()));
    }

    /** The person a record belongs to, with all its records. */
    @GetMapping("/patients/{id}/person")
    public ResponseEntity<PersonView> person(@PathVariable String id) {
        return curation.person(id)
                .map(members -> ResponseEntity.ok(PersonView.of(members)))
                .orElseGet(() -> ResponseEntity.notFound().build());
    }

    /** Takes a record out of its person (a wrong link): it is kept apart from the records it was with. */
    @PostMapping("/patients/{id}/split")
    public PersonView split(@PathVariable String id) {
        Link link = curation.split(id, operator());
        return PersonView.of(links.members(link.person()));
    }

    /** {@code {"into": "Patient/456"}}: this record's person and 456's are one. */
    @PostMapping(path = "/patients/{id}/merge", consumes = MediaType.APPLICATION_JSON_VALUE)
    public PersonView merge(@PathVariable String id, @RequestBody Map<String, String> body) {
        String into = String.valueOf(body.get("into")).replaceFirst("^Patient/", "");
        Link link = curation.merge(id, into, operator());
        return PersonView.of(links.members(link.person()));
    }

    @GetMapping("/counts")
    public CountsView counts() {
        PersonLinks.Counts counts = links.counts();
        return new CountsView(
                counts.persons(),
                counts.personsAtLeast(),
                counts.records(),
                counts.openReviews(),
                counts.recordsAwaitingReview());
    }

    private static String operator() {
        return Caller.current().map(Caller::clientId).orElse("anonymous");
    }

    @ExceptionHandler(PersonCuration.Refused.class)
    ResponseEntity<ProblemDetail> refused(PersonCuration.Refused e) {
        return Problems.of(HttpStatus.valueOf(e.status()), e.code(), e.getMessage());
    }
}
