package org.sehathub.server.security;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.server.resource.web.BearerTokenAuthenticationEntryPoint;
import org.springframework.security.oauth2.server.resource.web.access.BearerTokenAccessDeniedHandler;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;

/**
 * The answers to a request without a valid token (401) or beyond the caller's role (403): the
 * {@code WWW-Authenticate: Bearer} header RFC 6750 asks for, and a body saying what is wrong, an
 * OperationOutcome under {@code /fhir} and an RFC 9457 problem detail elsewhere. Spring Security
 * alone sends an empty body. Each is reported for the audit trail ({@link AccessEvents}).
 */
public final class AccessErrors implements AuthenticationEntryPoint, AccessDeniedHandler {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final BearerTokenAuthenticationEntryPoint entryPoint = new BearerTokenAuthenticationEntryPoint();
    private final BearerTokenAccessDeniedHandler deniedHandler = new BearerTokenAccessDeniedHandler();
    private final AccessEvents events;

    public AccessErrors(AccessEvents events) {
        this.events = events;
    }

    @Override
    public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException failure)
            throws IOException {
        entryPoint.commence(request, response, failure);
        events.requestRefused(
                "anonymous", request.getMethod(), request.getRequestURI(), HttpServletResponse.SC_UNAUTHORIZED);
        write(
                request,
                response,
                "login",
                "Unauthorized",
                "A valid access token is required (Authorization: Bearer ...). How to get one: "
                        + SmartConfiguration.PATH);
    }

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, AccessDeniedException denied)
            throws IOException {
        deniedHandler.handle(request, response, denied);
        events.requestRefused(
                Caller.current().map(Caller::clientId).orElse("anonymous"),
                request.getMethod(),
                request.getRequestURI(),
                HttpServletResponse.SC_FORBIDDEN);
        write(
                request,
                response,
                "forbidden",
                "Forbidden",
                "The token's role does not allow " + request.getMethod() + " " + request.getRequestURI());
    }

    private static void write(
            HttpServletRequest request, HttpServletResponse response, String code, String title, String detail)
            throws IOException {
        Map<String, Object> body = new LinkedHashMap<>();
        if (request.getRequestURI().startsWith(request.getContextPath() + "/fhir")) {
            response.setContentType("application/fhir+json");
            body.put("resourceType", "OperationOutcome");
            body.put("issue", List.of(Map.of("severity", "error", "code", code, "diagnostics", detail)));
        } else {
            response.setContentType("application/problem+json");
            body.put("type", "about:blank");
            body.put("title", title);
            body.put("status", response.getStatus());
            body.put("detail", detail);
            body.put("instance", request.getRequestURI());
        }
        JSON.writeValue(response.getOutputStream(), body);
    }
}
