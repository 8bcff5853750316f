package org.sehathub.server.config;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.Constants;
import ca.uhn.fhir.rest.api.EncodingEnum;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Collections;
import org.hl7.fhir.r4.model.OperationOutcome;

/**
 * Refuses FHIR's RDF format (Turtle), which the server does not carry (the pom leaves Apache Jena,
 * HAPI's Turtle parser, out): a request asking for Turtle ({@code _format=ttl}, or an {@code Accept}
 * header whose preferred FHIR format is Turtle, chosen as HAPI chooses) gets 406, a Turtle body 415, each
 * with an OperationOutcome in JSON. Without this, HAPI would choose Turtle and fail with a bare 500.
 */
public class TurtleRefusal {

    private final FhirContext fhir;

    public TurtleRefusal(FhirContext fhir) {
        this.fhir = fhir;
    }

    @Hook(Pointcut.SERVER_INCOMING_REQUEST_PRE_PROCESSED)
    public boolean refuseTurtle(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String contentType = request.getContentType();
        if (contentType != null
                && EncodingEnum.forContentTypeStrict(contentType.split(";")[0].trim()) == EncodingEnum.RDF) {
            return refuse(
                    response,
                    415,
                    "Turtle (" + contentType + ") is not a format this server reads: send FHIR JSON or XML");
        }
        if (asksForTurtle(request)) {
            return refuse(response, 406, "Turtle is not a format this server writes: ask for FHIR JSON or XML");
        }
        return true;
    }

    /** As HAPI decides the response's format: a known {@code _format} first, else the best {@code Accept}. */
    private static boolean asksForTurtle(HttpServletRequest request) {
        String[] formats = request.getParameterValues(Constants.PARAM_FORMAT);
        if (formats != null) {
            for (String format : formats) {
                EncodingEnum encoding = EncodingEnum.forContentType(format);
                if (encoding != null) {
                    return encoding == EncodingEnum.RDF;
                }
            }
        }
        EncodingEnum best = null;
        float bestQ = -1f;
        for (String header : Collections.list(request.getHeaders(Constants.HEADER_ACCEPT))) {
            for (String range : header.split(",")) {
                String[] parts = range.split(";");
                EncodingEnum encoding = EncodingEnum.forContentType(parts[0].trim());
                float q = 1f;
                for (int i = 1; i < parts.length; i++) {
                    String[] parameter = parts[i].split("=", 2);
                    if (parameter.length == 2 && parameter[0].trim().equals("q")) {
                        try {
                            q = Math.max(Float.parseFloat(parameter[1].trim()), 0f);
                        } catch (NumberFormatException e) {
                            // HAPI ignores a q it cannot read too
                        }
                    }
                }
                // On a tie HAPI takes its default, JSON.
                if (encoding != null && (q > bestQ || q == bestQ && encoding == EncodingEnum.JSON)) {
                    best = encoding;
                    bestQ = q;
                }
            }
        }
        return best == EncodingEnum.RDF;
    }

    private boolean refuse(HttpServletResponse response, int status, String message) throws IOException {
        OperationOutcome outcome = new OperationOutcome();
        outcome.addIssue()
                .setSeverity(OperationOutcome.IssueSeverity.ERROR)
                .setCode(OperationOutcome.IssueType.NOTSUPPORTED)
                .setDiagnostics(message);
        response.setStatus(status);
        response.setContentType(Constants.CT_FHIR_JSON_NEW + ";charset=UTF-8");
        response.getWriter().write(fhir.newJsonParser().encodeResourceToString(outcome));
        response.getWriter().close();
        return false;
    }
}
