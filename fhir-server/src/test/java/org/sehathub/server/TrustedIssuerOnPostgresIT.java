package org.sehathub.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import java.net.http.HttpRequest;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Production trusts an external OpenID Connect issuer (a Keycloak realm; here {@link TestIssuer},
 * a second issuer on a port of its own): its tokens are accepted beside the server's own, with its
 * role names mapped to ours by configuration, never by the token naming our roles itself.
 */
@PostgresServerTest
class TrustedIssuerOnPostgresIT {

    @LocalServerPort
    int port;

    @Test
    void aHospitalTokenFromTheTrustedIssuerReadsAsItsScopesAllowAndNoMore() {
        String token = TestIssuer.get()
                .token(claims(c -> c.claim("realm_access", Map.of("roles", List.of("offline_access", "sehat-hospital")))
                        .claim("scope", "profile system/*.rs")));

        assertThat(get("/fhir/Patient?_count=1", token)).isEqualTo(200);
        assertThat(post("/fhir/Patient", token)).as("no write scope").isEqualTo(403);
        assertThat(get("/ingest/dead-letters", token)).as("not an operator").isEqualTo(403);
    }

    @Test
    void theIssuersOperatorRoleMapsToOurs() {
        String token = TestIssuer.get()
                .token(claims(c -> c.claim("realm_access", Map.of("roles", List.of("sehat-operator")))
                        .claim("scope", "system/*.cruds")));

        assertThat(get("/ingest/dead-letters", token)).isEqualTo(200);
        assertThat(post("/fhir/Patient", token)).isEqualTo(201);
    }

    @Test
    void aTokenNamingOurRoleClaimItselfGetsNothingFromIt() {
        String token = TestIssuer.get()
                .token(claims(c -> c.claim("sehat_role", "operator")
                        .claim("realm_access", Map.of("roles", List.of("some-other-role")))
                        .claim("scope", "system/*.cruds")));

        assertThat(get("/ingest/dead-letters", token)).isEqualTo(403);
        assertThat(get("/fhir/Patient", token)).isEqualTo(403);
    }

    @Test
    void aWrongAudienceAnExpiredTokenOrAnotherKeyIsRefused() throws Exception {
        String hospital = "sehat-hospital";
        UnaryOperator<JWTClaimsSet.Builder> role =
                c -> c.claim("realm_access", Map.of("roles", List.of(hospital))).claim("scope", "system/*.rs");
        assertThat(get(
                        "/fhir/Patient",
                        TestIssuer.get().token(claims(c -> role.apply(c).audience("another-api")))))
                .isEqualTo(401);
        assertThat(get(
                        "/fhir/Patient",
                        TestIssuer.get()
                                .token(claims(c -> role.apply(c)
                                        .issueTime(Date.from(Instant.now().minusSeconds(900)))
                                        .expirationTime(Date.from(Instant.now().minusSeconds(600)))))))
                .isEqualTo(401);
        RSAKey stranger = new RSAKeyGenerator(2048).keyID("realm-key").generate();
        assertThat(get("/fhir/Patient", TestIssuer.sign(stranger, claims(role))))
                .isEqualTo(401);
    }

    private static JWTClaimsSet claims(UnaryOperator<JWTClaimsSet.Builder> change) {
        Instant now = Instant.now();
        return change.apply(new JWTClaimsSet.Builder()
                        .issuer(TestIssuer.get().issuer())
                        .subject(UUID.randomUUID().toString())
                        .audience(List.of("sehat-hub", "account"))
                        .claim("azp", "keycloak-clinic")
                        .claim("facilities", List.of("Mayo Hospital Lahore"))
                        .jwtID(UUID.randomUUID().toString())
                        .issueTime(Date.from(now))
                        .expirationTime(Date.from(now.plusSeconds(300))))
                .build();
    }

    private int get(String path, String token) {
        return new FhirTestClient(port, null, "")
                .get(path, "Authorization", "Bearer " + token)
                .statusCode();
    }

    private int post(String path, String token) {
        return new FhirTestClient(port, null, "")
                .send(
                        HttpRequest.newBuilder()
                                .POST(HttpRequest.BodyPublishers.ofString(
                                        "{\"resourceType\":\"Patient\",\"active\":true}"))
                                .header("Content-Type", "application/fhir+json")
                                .header("Authorization", "Bearer " + token),
                        path)
                .statusCode();
    }
}
