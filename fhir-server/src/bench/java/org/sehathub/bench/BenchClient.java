package org.sehathub.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.sehathub.server.security.SmartClientTool;

/**
 * The benchmark's own clients, registered on the server under test with a key pair made for this
 * run and getting their tokens as any SMART backend service does (so the benchmark measures the
 * server with authorization on, as shipped): an operator, which loads and reads, and a telehealth
 * app, which reads only what its patients' consents grant it; and an analyst, who asks the
 * indicators. When the server runs with
 * authorization off (mode {@code nosec}), there is no token endpoint and requests go without a token.
 */
final class BenchClient {

    private static final String ID = "sehat-bench";
    /** The telehealth app's client id, which the benchmark's consents name. */
    static final String APP_ID = "sehat-bench-app";

    private static final String ANALYST_ID = "sehat-bench-analyst";

    private static final String OPERATOR_SCOPE = "system/*.cruds";
    private static final String APP_SCOPE = "system/*.rs";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ECKey KEY = newKey();

    private final String root;
    private final String id;
    private final String scope;
    private final HttpClient http = HttpClient.newHttpClient();
    private String token;
    private Instant expires = Instant.EPOCH;
    private boolean tokensOffered = true;

    private BenchClient(String root, String id, String scope) {
        this.root = root;
        this.id = id;
        this.scope = scope;
    }

    /** The operator: loads the population, reads without consent checks. */
    static BenchClient operator(String root) {
        return new BenchClient(root, ID, OPERATOR_SCOPE);
    }

    /** The telehealth app: reads a patient only where her consent names it. */
    static BenchClient app(String root) {
        return new BenchClient(root, APP_ID, APP_SCOPE);
    }

    /** The ministry analyst: aggregates only. */
    static BenchClient analyst(String root) {
        return new BenchClient(root, ANALYST_ID, APP_SCOPE);
    }

    /**
     * The server arguments registering this client, and the hospital the MLLP load sends as (plain
     * MLLP from loopback, for the facilities of {@link Hl7v2Stream}).
     */
    static List<String> serverArgs() {
        String jwks = new JWKSet(KEY.toPublicJWK()).toString();
        String operator = "--sehat.security.clients[0].";
        String hospital = "--sehat.security.clients[1].";
        String app = "--sehat.security.clients[2].";
        String analyst = "--sehat.security.clients[3].";
        return List.of(
                operator + "id=" + ID,
                operator + "role=operator",
                operator + "scopes=" + OPERATOR_SCOPE,
                operator + "jwks=" + jwks,
                app + "id=" + APP_ID,
                app + "role=app",
                app + "scopes=" + APP_SCOPE,
                app + "jwks=" + jwks,
                analyst + "id=" + ANALYST_ID,
                analyst + "role=analyst",
                analyst + "scopes=" + APP_SCOPE,
                analyst + "jwks=" + jwks,
                hospital + "id=" + ID + "-mllp",
                hospital + "role=hospital",
                hospital + "scopes=system/*.rs",
                hospital + "facilities=" + String.join(",", Hl7v2Stream.facilities()),
                hospital + "mllp-loopback=true",
                hospital + "jwks=" + jwks);
    }

    /** The {@code Authorization} header value, or empty when the server issues no tokens. */
    synchronized Optional<String> authorization() {
        if (tokensOffered && Instant.now().isAfter(expires.minusSeconds(60))) {
            fetch();
        }
        return tokensOffered ? Optional.of("Bearer " + token) : Optional.empty();
    }

    private void fetch() {
        try {
            String endpoint = root + "/oauth2/token";
            String form = SmartClientTool.formBody(Map.of(
                    "grant_type",
                    "client_credentials",
                    "scope",
                    scope,
                    "client_assertion_type",
                    "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
                    "client_assertion",
                    SmartClientTool.assertion(KEY, id, endpoint, Duration.ofMinutes(4))));
            HttpResponse<String> response = http.send(
                    HttpRequest.newBuilder(URI.create(endpoint))
                            .header("Content-Type", "application/x-www-form-urlencoded")
                            .POST(HttpRequest.BodyPublishers.ofString(form))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                // Authorization off: the path is not the token endpoint, so no tokens.
                tokensOffered = false;
                return;
            }
            JsonNode body = JSON.readTree(response.body());
            token = body.path("access_token").asText();
            expires = Instant.now().plusSeconds(body.path("expires_in").asLong());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ECKey newKey() {
        try {
            return new ECKeyGenerator(Curve.P_384)
                    .keyUse(KeyUse.SIGNATURE)
                    .algorithm(JWSAlgorithm.ES384)
                    .keyID(ID)
                    .generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }
}
