package org.sehathub.server.extract;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.sehathub.server.analytics.AnalyticsEvents;
import org.sehathub.server.analytics.ViewParquet;
import org.sehathub.server.config.Problems;
import org.sehathub.server.security.Caller;
import org.sehathub.server.security.Role;
import org.springframework.core.io.FileSystemResource;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/**
 * De-identified extracts over HTTP, as FHIR Bulk Data's asynchronous pattern has it: {@code GET
 * /analytics/$export} (with {@code Prefer: respond-async}) starts one and answers 202 with the
 * address to poll in {@code Content-Location}; that address answers 202 (with {@code X-Progress})
 * until the manifest is ready, then 200 with it; each file is an NDJSON of one type (or, with
 * {@code _outputFormat=application/vnd.apache.parquet}, a Parquet file of one analytic view); {@code
 * DELETE} discards the extract. Analysts and operators (as all of {@code /analytics}); an extract is
 * fetched and deleted by whoever asked for it, and by operators; every extract asked for is in the
 * audit trail.
 */
@RestController
class ExtractController {

    private static final MediaType NDJSON = MediaType.parseMediaType("application/fhir+ndjson");
    static final String PARQUET = ViewParquet.MEDIA_TYPE;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Extracts extracts;
    private final AnalyticsEvents events;
    private final int k;

    ExtractController(Extracts extracts, AnalyticsEvents events, int k) {
        this.extracts = extracts;
        this.events = events;
        this.k = k;
    }

    @GetMapping("/analytics/$export")
    ResponseEntity<Void> kickOff(
            @RequestParam(name = "_type", required = false) String types,
            @RequestParam(name = "_outputFormat", required = false) String format,
            @RequestHeader(name = "Prefer", required = false) String prefer,
            HttpServletRequest request)
            throws IOException {
        String asked = "$export" + (request.getQueryString() == null ? "" : "?" + request.getQueryString());
        try {
            if (prefer == null || !prefer.contains("respond-async")) {
                throw new IllegalArgumentException("an extract is asynchronous: send Prefer: respond-async");
            }
            boolean parquet = format != null && List.of(PARQUET, "parquet").contains(format);
            if (format != null
                    && !parquet
                    && !List.of("application/fhir+ndjson", "application/ndjson", "ndjson")
                            .contains(format)) {
                throw new IllegalArgumentException(
                        "_outputFormat: application/fhir+ndjson (resources) or " + PARQUET + " (the analytic views)");
            }
            List<String> wanted = types == null || types.isBlank()
                    ? Deidentifier.TYPES
                    : Arrays.stream(types.split(",")).map(String::trim).toList();
            for (String type : wanted) {
                if (!Deidentifier.TYPES.contains(type)) {
                    throw new IllegalArgumentException("_type: " + type + " is not extracted; these are: "
                            + String.join(", ", Deidentifier.TYPES));
                }
            }
            String id = extracts.start(wanted, k, requester(), asked, parquet);
            events.asked(asked, null);
            return ResponseEntity.accepted()
                    .header("Content-Location", base() + "/analytics/extracts/" + id)
                    .build();
        } catch (IllegalArgumentException e) {
            events.asked(asked, "bad-request");
            throw e;
        }
    }

    /** The caller as an extract records who asked for it: the signed-in user and her client, or the client. */
    private static String requester() {
        return Caller.current()
                .map(c -> c.fhirUser() != null ? c.fhirUser() + " (" + c.clientId() + ")" : c.clientId())
                .orElse("unknown");
    }

    /**
     * An extract is for whoever asked for it, and for operators (who manage the disk it fills);
     * another analyst is told there is no such extract, as Bulk Data servers do with others' jobs.
     */
    private boolean mayUse(String id) {
        boolean operator = Caller.current().map(c -> c.is(Role.OPERATOR)).orElse(false);
        return operator || extracts.askedBy(id, requester());
    }

    @GetMapping("/analytics/extracts/{id}")
    ResponseEntity<?> status(@PathVariable String id) throws IOException {
        Extracts.State state = mayUse(id) ? extracts.state(id).orElse(null) : null;
        if (state == null) {
            return Problems.of(HttpStatus.NOT_FOUND, "not-found", "no extract " + id);
        }
        return switch (state.status()) {
            case "running" ->
                ResponseEntity.accepted()
                        .header("X-Progress", state.detail())
                        .header("Retry-After", "2")
                        .build();
            case "failed" -> Problems.of(HttpStatus.INTERNAL_SERVER_ERROR, "extract-failed", state.detail());
            default ->
                ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(manifest(id));
        };
    }

    /** The manifest with each file's address in full, as Bulk Data clients expect. */
    private JsonNode manifest(String id) throws IOException {
        ObjectNode manifest = (ObjectNode) JSON.readTree(extracts.manifest(id).toFile());
        for (JsonNode output : manifest.withArray("output")) {
            ((ObjectNode) output)
                    .put(
                            "url",
                            base() + "/analytics/extracts/" + id + "/"
                                    + output.get("url").asText());
        }
        return manifest;
    }

    @GetMapping("/analytics/extracts/{id}/{file}")
    ResponseEntity<?> file(@PathVariable String id, @PathVariable String file) {
        return (mayUse(id) ? extracts.file(id, file) : Optional.<Path>empty())
                .<ResponseEntity<?>>map(path -> ResponseEntity.ok()
                        .contentType(file.endsWith(".parquet") ? MediaType.parseMediaType(PARQUET) : NDJSON)
                        .body(new FileSystemResource(path)))
                .orElseGet(
                        () -> Problems.of(HttpStatus.NOT_FOUND, "not-found", "no file " + file + " in extract " + id));
    }

    @DeleteMapping("/analytics/extracts/{id}")
    ResponseEntity<?> delete(@PathVariable String id) {
        return mayUse(id) && extracts.delete(id)
                ? ResponseEntity.accepted().build()
                : Problems.of(HttpStatus.NOT_FOUND, "not-found", "no finished extract " + id);
    }

    private static String base() {
        return ServletUriComponentsBuilder.fromCurrentContextPath().toUriString();
    }

    @ExceptionHandler(IllegalArgumentException.class)
    ResponseEntity<ProblemDetail> badRequest(IllegalArgumentException e) {
        return Problems.of(HttpStatus.BAD_REQUEST, "bad-request", e.getMessage());
    }
}
