package org.sehathub.server;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;

/**
 * A second, external OpenID Connect issuer for the tests, run separately from the server on a port
 * of its own, shaped like a Keycloak realm: discovery at
 * {@code <issuer>/.well-known/openid-configuration}, keys at {@code <issuer>/protocol/openid-connect/certs},
 * tokens with {@code azp} and {@code realm_access.roles}. Started once per test JVM.
 */
final class TestIssuer {

    private static TestIssuer instance;

    private final HttpServer server;
    private final RSAKey key;
    private final String issuer;

    private TestIssuer() throws IOException, JOSEException {
        key = new RSAKeyGenerator(2048).keyID("realm-key").generate();
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        issuer = "http://127.0.0.1:" + server.getAddress().getPort() + "/realms/test";
        server.createContext(
                "/realms/test/.well-known/openid-configuration",
                exchange -> json(
                        exchange,
                        "{\"issuer\":\"" + issuer + "\",\"jwks_uri\":\"" + issuer + "/protocol/openid-connect/certs\","
                                + "\"token_endpoint\":\"" + issuer + "/protocol/openid-connect/token\","
                                + "\"subject_types_supported\":[\"public\"],\"id_token_signing_alg_values_supported\":[\"RS256\"]}"));
        server.createContext(
                "/realms/test/protocol/openid-connect/certs",
                exchange -> json(exchange, new JWKSet(key.toPublicJWK()).toString()));
        server.setExecutor(Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "test-issuer");
            thread.setDaemon(true);
            return thread;
        }));
        server.start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> server.stop(0)));
    }

    static synchronized TestIssuer get() {
        if (instance == null) {
            try {
                instance = new TestIssuer();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (JOSEException e) {
                throw new IllegalStateException(e);
            }
        }
        return instance;
    }

    String issuer() {
        return issuer;
    }

    /** How the servers under test are told to trust this issuer (the realm's roles mapped to ours). */
    Map<String, String> properties() {
        String prefix = "sehat.security.trusted-issuers[0].";
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put(prefix + "issuer", issuer);
        properties.put(prefix + "audience", "sehat-hub");
        properties.put(prefix + "facilities-claim", "facilities");
        properties.put(prefix + "roles[sehat-hospital]", "hospital");
        properties.put(prefix + "roles[sehat-operator]", "operator");
        return properties;
    }

    /** A token signed by this issuer's key. */
    String token(JWTClaimsSet claims) {
        return sign(key, claims);
    }

    static String sign(RSAKey key, JWTClaimsSet claims) {
        try {
            SignedJWT jwt = new SignedJWT(
                    new JWSHeader.Builder(JWSAlgorithm.RS256)
                            .keyID(key.getKeyID())
                            .build(),
                    claims);
            jwt.sign(new RSASSASigner(key));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void json(HttpExchange exchange, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
