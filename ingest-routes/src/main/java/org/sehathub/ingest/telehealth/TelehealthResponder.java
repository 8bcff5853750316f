package org.sehathub.ingest.telehealth;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
import org.sehathub.ingest.Inbound;
import org.sehathub.ingest.IngestResponder;
import org.sehathub.ingest.Refusal;
import org.sehathub.ingest.Refused;
import org.sehathub.ingest.Stored;
import org.sehathub.ingest.http.HttpRequests;
import org.sehathub.mappers.MappingIssue;

/**
 * Answers a teleconsultation: 201 with the ids stored (200 for a resend of the same document,
 * {@code duplicate: true}), or an RFC 9457 problem ({@code application/problem+json}) with an
 * {@code errors} array of JSON pointers: 400 not a consultation at all, 409 id reused for other
 * content, 422 schema or values refused, 503 storage unavailable (with {@code Retry-After}).
 */
public class TelehealthResponder implements IngestResponder {

    public static final String PROBLEM_TYPE_BASE = "https://fhir.sehathub.pk/problems/";

    private static final ObjectMapper JSON = new ObjectMapper().setSerializationInclusion(JsonInclude.Include.NON_NULL);

    /** The answer to an accepted consultation. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Accepted(String consultationId, boolean duplicate, List<String> resourceIds, List<Issue> warnings) {}

    /** One problem or warning: where (a JSON pointer) and what. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Issue(String pointer, String detail) {

        static Issue of(MappingIssue issue) {
            return new Issue(issue.location(), issue.reason());
        }
    }

    @Override
    public void accepted(Exchange exchange, Stored stored) {
        List<Issue> warnings = stored.mapped().issues(MappingIssue.Severity.WARNING).stream()
                .map(Issue::of)
                .toList();
        boolean duplicate = stored.duplicate();
        Accepted body = new Accepted(
                stored.inbound().messageId(), duplicate, stored.storedIds(), warnings.isEmpty() ? null : warnings);
        HttpRequests.response(exchange, duplicate ? 200 : 201, "application/json", json(body));
    }

    @Override
    public void refused(Exchange exchange, Refused refused) {
        Refusal refusal = refused.refusal();
        Inbound inbound = refused.inbound();
        int status = refusal.kind().httpStatus();
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("type", PROBLEM_TYPE_BASE + refusal.kind().slug());
        problem.put("title", title(refusal.kind()));
        problem.put("status", status);
        problem.put(
                "detail",
                refusal.issues().size() == 1
                        ? refusal.summary()
                        : refusal.issues().size() + " problems; see errors");
        problem.put("errors", refusal.issues().stream().map(Issue::of).toList());
        if (inbound.messageId() != null) {
            problem.put("consultationId", inbound.messageId());
        }
        if (refused.deadLetterId() != null) {
            problem.put("deadLetterId", refused.deadLetterId());
        }
        HttpRequests.response(exchange, status, "application/problem+json", json(problem));
        if (refusal.kind() == Refusal.Kind.UNAVAILABLE) {
            exchange.getMessage().setHeader("Retry-After", "30");
        }
    }

    static String title(Refusal.Kind kind) {
        return switch (kind) {
            case REJECTED -> "Not a teleconsultation document";
            case TOO_LARGE -> "Document too large";
            case NOT_PERMITTED -> "Not permitted for this sender";
            case UNMAPPABLE -> "Teleconsultation refused";
            case BUNDLE_REJECTED -> "Refused by the central record";
            case CONFLICT -> "Consultation id already used for other content";
            case UNAVAILABLE -> "Storage unavailable";
            case INTERNAL -> "Internal error";
        };
    }

    private static byte[] json(Object value) {
        try {
            return JSON.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }
}
