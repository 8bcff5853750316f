package org.sehathub.server;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.api.IClientInterceptor;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.api.IHttpRequest;
import ca.uhn.fhir.rest.client.api.IHttpResponse;
import ca.uhn.fhir.rest.client.api.ServerValidationModeEnum;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JOSEException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.sehathub.server.security.SmartClientTool;

/**
 * A HAPI generic client and a plain HTTP client pointed at one running server, both sending the
 * access token of one test client ({@link TestClients}), fetched from the server's token endpoint
 * with a signed assertion and fetched again shortly before it expires.
 */
public final class FhirTestClient {

    public static final FhirContext FHIR = FhirContext.forR4Cached();

    static {
        FHIR.getRestfulClientFactory().setServerValidationMode(ServerValidationModeEnum.NEVER);
        FHIR.getRestfulClientFactory().setSocketTimeout(120_000);
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String root;
    private final IGenericClient client;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final TestClients.Client caller;
    private final String scopes;
    private String token;
    private Instant tokenExpires = Instant.EPOCH;

    /** As the test operator, who may do everything. */
    public FhirTestClient(int port) {
        this(port, TestClients.OPERATOR);
    }

    /** As {@code caller}, asking for all the scopes it is registered for. */
    public FhirTestClient(int port, TestClients.Client caller) {
        this(port, caller, String.join(" ", caller.scopes()));
    }

    /** As {@code caller}, asking for {@code scopes}; {@code null} caller sends no token. */
    public FhirTestClient(int port, TestClients.Client caller, String scopes) {
        this.root = "http://127.0.0.1:" + port;
        this.caller = caller;
        this.scopes = scopes;
        this.client = FHIR.newRestfulGenericClient(fhirBase());
        if (caller != null) {
            client.registerInterceptor(new BearerToken());
        }
    }

    /** A valid access token of this client, fetched when the last one is about to expire. */
    public synchronized String token() {
        if (Instant.now().isAfter(tokenExpires.minusSeconds(60))) {
            HttpResponse<byte[]> response = requestToken(scopes);
            if (response.statusCode() != 200) {
                throw new IllegalStateException("Token endpoint answered " + response.statusCode() + ": "
                        + new String(response.body(), StandardCharsets.UTF_8));
            }
            try {
                JsonNode body = JSON.readTree(response.body());
                token = body.path("access_token").asText();
                tokenExpires = Instant.now().plusSeconds(body.path("expires_in").asLong());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return token;
    }

    /** Asks the token endpoint as SMART Backend Services do, with a fresh assertion; the raw answer. */
    public HttpResponse<byte[]> requestToken(String requestedScopes) {
        try {
            String assertion =
                    SmartClientTool.assertion(caller.key(), caller.id(), tokenEndpoint(), Duration.ofMinutes(4));
            return tokenRequest(Map.of(
                    "grant_type",
                    "client_credentials",
                    "scope",
                    requestedScopes,
                    "client_assertion_type",
                    "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
                    "client_assertion",
                    assertion));
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Posts {@code form} to the token endpoint, as it is. */
    public HttpResponse<byte[]> tokenRequest(Map<String, String> form) {
        return send(
                HttpRequest.newBuilder()
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(SmartClientTool.formBody(form))),
                "/oauth2/token",
                false);
    }

    public String tokenEndpoint() {
        return root + "/oauth2/token";
    }

    public int port() {
        return URI.create(root).getPort();
    }

    public String root() {
        return root;
    }

    public String fhirBase() {
        return root + "/fhir";
    }

    public IGenericClient fhir() {
        return client;
    }

    /** Sends a raw request; {@code path} is relative to the server root (e.g. {@code /fhir/Patient}). */
    public HttpResponse<byte[]> send(HttpRequest.Builder request, String path) {
        return send(request, path, caller != null);
    }

    private HttpResponse<byte[]> send(HttpRequest.Builder request, String path, boolean withToken) {
        if (withToken) {
            request.setHeader("Authorization", "Bearer " + token());
        }
        try {
            return http.send(request.uri(URI.create(root + path)).build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new IllegalStateException("HTTP request to " + path + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Adds this client's token to every request of the HAPI client. */
    private final class BearerToken implements IClientInterceptor {
        @Override
        public void interceptRequest(IHttpRequest request) {
            request.addHeader("Authorization", "Bearer " + token());
        }

        @Override
        public void interceptResponse(IHttpResponse response) {}
    }

    public HttpResponse<byte[]> get(String path, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder().GET();
        if (headers.length > 0) {
            request.headers(headers);
        }
        return send(request, path);
    }

    /** The unqualified, versionless ids ({@code Patient/123}) of a Bundle's entries, in order. */
    public static java.util.List<String> ids(org.hl7.fhir.r4.model.Bundle bundle) {
        return bundle.getEntry().stream()
                .map(e -> e.getResource()
                        .getIdElement()
                        .toUnqualifiedVersionless()
                        .getValue())
                .toList();
    }
}
