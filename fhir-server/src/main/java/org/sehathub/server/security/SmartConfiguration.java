package org.sehathub.server.security;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * {@code GET /fhir/.well-known/smart-configuration}: how a SMART client gets a token from this
 * server (SMART App Launch 2.x, "Conformance"). A servlet of its own because {@code /fhir/*}
 * belongs to HAPI; the servlet container gives an exact path precedence over that prefix.
 */
public class SmartConfiguration extends HttpServlet {

    public static final String PATH = "/fhir/.well-known/smart-configuration";
    static final String TOKEN_PATH = "/oauth2/token";
    static final String AUTHORIZE_PATH = "/oauth2/authorize";
    static final String JWKS_PATH = "/oauth2/jwks";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String configuredIssuer;

    public SmartConfiguration(String configuredIssuer) {
        this.configuredIssuer = configuredIssuer;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setContentType("application/json");
        response.setHeader("Cache-Control", "max-age=3600");
        JSON.writeValue(response.getOutputStream(), document(issuer(configuredIssuer, request)));
    }

    /** The issuer as configured, or the server's own URL as the request reached it. */
    static String issuer(String configured, HttpServletRequest request) {
        if (!configured.isBlank()) {
            return configured;
        }
        return UriComponentsBuilder.fromUriString(request.getRequestURL().toString())
                .replacePath(request.getContextPath())
                .replaceQuery(null)
                .build()
                .toUriString();
    }

    static Map<String, Object> document(String issuer) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("issuer", issuer);
        doc.put("jwks_uri", issuer + JWKS_PATH);
        doc.put("authorization_endpoint", issuer + AUTHORIZE_PATH);
        doc.put("token_endpoint", issuer + TOKEN_PATH);
        doc.put("userinfo_endpoint", issuer + "/userinfo");
        doc.put("grant_types_supported", List.of("authorization_code", "client_credentials", "refresh_token"));
        doc.put("token_endpoint_auth_methods_supported", List.of("private_key_jwt", "none"));
        doc.put(
                "token_endpoint_auth_signing_alg_values_supported",
                ClientAssertionDecoders.ALGORITHMS.stream()
                        .map(a -> a.getName())
                        .sorted()
                        .toList());
        doc.put("response_types_supported", List.of("code"));
        doc.put("code_challenge_methods_supported", List.of("S256"));
        doc.put(
                "scopes_supported",
                List.of(
                        "openid",
                        "fhirUser",
                        "launch/patient",
                        "offline_access",
                        "patient/*.rs",
                        "user/*.rs",
                        "system/*.cruds",
                        "system/*.rs",
                        "system/*.read",
                        "system/*.write"));
        doc.put(
                "capabilities",
                List.of(
                        "launch-standalone",
                        "client-public",
                        "client-confidential-asymmetric",
                        "context-standalone-patient",
                        "sso-openid-connect",
                        "permission-offline",
                        "permission-patient",
                        "permission-user",
                        "permission-v2",
                        "permission-v1"));
        return doc;
    }
}
