package org.sehathub.server.config;

import java.net.URI;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;

/**
 * The problem details (RFC 9457) the server's own endpoints outside {@code /fhir} answer errors
 * with: a type under {@code https://fhir.sehathub.pk/problems/} naming what went wrong by a code,
 * never by a value from the request.
 */
public final class Problems {

    public static final String TYPE_BASE = "https://fhir.sehathub.pk/problems/";

    private Problems() {}

    /** A problem titled with the status's reason phrase. */
    public static ResponseEntity<ProblemDetail> of(HttpStatus status, String code, String detail) {
        return of(status, code, status.getReasonPhrase(), detail);
    }

    public static ResponseEntity<ProblemDetail> of(HttpStatus status, String code, String title, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(URI.create(TYPE_BASE + code));
        problem.setTitle(title);
        return ResponseEntity.status(status)
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(problem);
    }
}
