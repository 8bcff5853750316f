package org.sehathub.ingest.deadletter;

import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.sehathub.ingest.IngestAudit;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The operators' API for dead letters, under {@code /ingest/dead-letters}: list, inspect, fetch the
 * raw payload, replay, discard. Discarding keeps the letter (status DISCARDED): refused clinical
 * data is evidence, and nothing here erases it. Errors are RFC 9457 problem details.
 */
@RestController
@RequestMapping("/ingest/dead-letters")
public class DeadLetterController {

    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 500;

    private final DeadLetterStore store;
    private final DeadLetterReplayer replayer;
    private final IngestAudit audit;

    public DeadLetterController(DeadLetterStore store, DeadLetterReplayer replayer, IngestAudit audit) {
        this.audit = audit;
        this.store = store;
        this.replayer = replayer;
    }

    /** A dead letter without its payload, for lists. */
    public record Summary(
            long id,
            String source,
            String transport,
            String sender,
            String messageId,
            Instant receivedAt,
            String reason,
            String contentType,
            int payloadBytes,
            DeadLetter.Status status,
            int replayCount,
            String lastOutcome,
            Instant updatedAt) {

        static Summary of(DeadLetter d) {
            return new Summary(
                    d.id(),
                    d.source(),
                    d.transport(),
                    d.sender(),
                    d.messageId(),
                    d.receivedAt(),
                    d.reason(),
                    d.contentType(),
                    d.payload() == null ? 0 : d.payload().length,
                    d.status(),
                    d.replayCount(),
                    d.lastOutcome(),
                    d.updatedAt());
        }
    }

    /** A dead letter with its payload as text (when it is UTF-8 text) and always as base64. */
    public record Detail(Summary letter, String payloadText, String payloadBase64) {}

    /** The answer to a list request. */
    public record Page(int count, List<Summary> items) {}

    /** The answer to a replay. */
    public record Replay(Summary letter, boolean stored, boolean duplicate, List<String> resourceIds) {}

    @GetMapping(produces = MediaType.APPLICATION_JSON_VALUE)
    public Page list(
            @RequestParam(required = false) String status,
            @RequestParam(required = false) String source,
            @RequestParam(required = false) Integer limit) {
        int max = limit == null ? DEFAULT_LIMIT : Math.max(1, Math.min(limit, MAX_LIMIT));
        List<Summary> items = store.list(status(status), blankToNull(source), max).stream()
                .map(Summary::of)
                .toList();
        return new Page(items.size(), items);
    }

    @GetMapping(path = "/{id}", produces = MediaType.APPLICATION_JSON_VALUE)
    public Detail get(@PathVariable long id) {
        DeadLetter letter = audited("read", id);
        byte[] payload = letter.payload() == null ? new byte[0] : letter.payload();
        return new Detail(Summary.of(letter), utf8(payload), Base64.getEncoder().encodeToString(payload));
    }

    @GetMapping("/{id}/payload")
    public ResponseEntity<byte[]> payload(@PathVariable long id) {
        DeadLetter letter = audited("read", id);
        MediaType type;
        try {
            type = letter.contentType() == null
                    ? MediaType.APPLICATION_OCTET_STREAM
                    : MediaType.parseMediaType(letter.contentType());
        } catch (RuntimeException e) {
            type = MediaType.APPLICATION_OCTET_STREAM;
        }
        return ResponseEntity.ok().contentType(type).body(letter.payload() == null ? new byte[0] : letter.payload());
    }

    @PostMapping(path = "/{id}/replay", produces = MediaType.APPLICATION_JSON_VALUE)
    public Replay replay(@PathVariable long id) {
        audited("replay", id);
        DeadLetterReplayer.Result result = replayer.replay(id);
        return new Replay(Summary.of(result.letter()), result.stored(), result.duplicate(), result.resourceIds());
    }

    @DeleteMapping(path = "/{id}", produces = MediaType.APPLICATION_JSON_VALUE)
    public Summary discard(@PathVariable long id) {
        audited("discard", id);
        store.discard(id);
        return Summary.of(find(id));
    }

    @ExceptionHandler(DeadLetterReplayer.UnknownDeadLetterException.class)
    ResponseEntity<ProblemDetail> unknown(DeadLetterReplayer.UnknownDeadLetterException e) {
        return problem(HttpStatus.NOT_FOUND, "unknown-dead-letter", "Unknown dead letter", e.getMessage());
    }

    @ExceptionHandler(DeadLetterReplayer.DiscardedDeadLetterException.class)
    ResponseEntity<ProblemDetail> discarded(DeadLetterReplayer.DiscardedDeadLetterException e) {
        return problem(HttpStatus.CONFLICT, "dead-letter-discarded", "Dead letter discarded", e.getMessage());
    }

    @ExceptionHandler(IllegalArgumentException.class)
    ResponseEntity<ProblemDetail> badRequest(IllegalArgumentException e) {
        return problem(HttpStatus.BAD_REQUEST, "bad-request", "Bad request", e.getMessage());
    }

    /** The dead letter, its use recorded in the audit trail whether or not it exists. */
    private DeadLetter audited(String action, long id) {
        Optional<DeadLetter> letter = store.find(id);
        audit.deadLetter(action, id, letter.isPresent());
        return letter.orElseThrow(() -> new DeadLetterReplayer.UnknownDeadLetterException(id));
    }

    private DeadLetter find(long id) {
        return store.find(id).orElseThrow(() -> new DeadLetterReplayer.UnknownDeadLetterException(id));
    }

    private static ResponseEntity<ProblemDetail> problem(HttpStatus status, String type, String title, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(URI.create("https://fhir.sehathub.pk/problems/" + type));
        problem.setTitle(title);
        return ResponseEntity.status(status)
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(problem);
    }

    private static DeadLetter.Status status(String status) {
        if (status == null || status.isBlank()) {
            return null;
        }
        try {
            return DeadLetter.Status.valueOf(status.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("status must be one of NEW, REPLAYED, FAILED_REPLAY, DISCARDED");
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    private static String utf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
