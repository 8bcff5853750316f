package org.sehathub.server;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.batch2.api.IJobMaintenanceService;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.UnaryOperator;
import org.hl7.fhir.instance.model.api.IIdType;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sehathub.mappers.NamingSystems;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Access control over real HTTP on PostgreSQL (docs/security.md): the token endpoint refuses every
 * forged, replayed or over-long client assertion and every scope not registered; no data without a
 * valid token; each role reaches what it may and is refused the rest.
 */
@PostgresServerTest
class AccessControlOnPostgresIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @LocalServerPort
    int port;

    @Autowired
    IJobMaintenanceService jobMaintenance;

    FhirTestClient operator;

    @BeforeEach
    void connect() {
        operator = new FhirTestClient(port);
    }

    // ---------------------------------------------------------------- the token endpoint

    @Test
    void backendServiceGetsAFiveMinuteTokenForTheScopesItAsksAndTheJwksVerifiesIt() throws Exception {
        FhirTestClient narrow = new FhirTestClient(port, TestClients.OBSERVATIONS);
        HttpResponse<byte[]> response = narrow.requestToken("system/Observation.read");

        assertThat(response.statusCode()).as(body(response)).isEqualTo(200);
        JsonNode token = JSON.readTree(response.body());
        assertThat(token.get("token_type").asText()).isEqualTo("Bearer");
        assertThat(token.get("expires_in").asLong()).isBetween(290L, 300L);
        assertThat(token.get("scope").asText()).isEqualTo("system/Observation.read");

        SignedJWT accessToken = SignedJWT.parse(token.get("access_token").asText());
        JWKSet published = JWKSet.parse(body(operator.get("/oauth2/jwks")));
        RSAKey key = (RSAKey) published.getKeyByKeyId(accessToken.getHeader().getKeyID());
        assertThat(key).as("the token's key is published").isNotNull();
        assertThat(key.isPrivate()).isFalse();
        assertThat(accessToken.verify(new com.nimbusds.jose.crypto.RSASSAVerifier(key)))
                .isTrue();
        assertThat(accessToken.getJWTClaimsSet().getSubject()).isEqualTo(TestClients.OBSERVATIONS.id());
        assertThat(accessToken.getJWTClaimsSet().getStringClaim("sehat_role")).isEqualTo("hospital");
    }

    @Test
    void smartConfigurationNamesTheTokenEndpointAndWhatItAccepts() throws IOException {
        HttpResponse<byte[]> response = new FhirTestClient(port, null, "").get("/fhir/.well-known/smart-configuration");

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode smart = JSON.readTree(response.body());
        assertThat(smart.get("token_endpoint").asText()).isEqualTo(operator.tokenEndpoint());
        assertThat(smart.get("token_endpoint_auth_methods_supported").toString())
                .contains("private_key_jwt");
        assertThat(smart.get("token_endpoint_auth_signing_alg_values_supported").toString())
                .contains("RS384", "ES384");
        assertThat(smart.get("capabilities").toString()).contains("client-confidential-asymmetric", "permission-v2");
    }

    @Test
    void forgedAndMalformedAssertionsAreRefusedAsInvalidClient() throws Exception {
        TestClients.Client client = TestClients.HOSPITAL;
        ECKey stranger =
                new ECKeyGenerator(Curve.P_384).keyID(client.key().getKeyID()).generate();
        ECKey unknownKid =
                new ECKeyGenerator(Curve.P_384).keyID("nobody-knows-this-kid").generate();
        String endpoint = operator.tokenEndpoint();

        Map<String, String> refused = new java.util.LinkedHashMap<>();
        refused.put("alg none", new PlainJWT(claims(client.id(), endpoint, c -> c)).serialize());
        refused.put("HS256 keyed with the public key", hs256WithPublicKey(client, endpoint));
        refused.put(
                "signed by another key with the client's kid",
                sign(stranger, JWSAlgorithm.ES384, claims(client.id(), endpoint, c -> c)));
        refused.put("unknown kid", sign(unknownKid, JWSAlgorithm.ES384, claims(client.id(), endpoint, c -> c)));
        refused.put("iss is not sub", signed(client, claims(client.id(), endpoint, c -> c.issuer("someone-else"))));
        refused.put(
                "aud is not the token endpoint",
                signed(client, claims(client.id(), endpoint, c -> c.audience("https://elsewhere.example/token"))));
        refused.put(
                "expired",
                signed(
                        client,
                        claims(
                                client.id(),
                                endpoint,
                                c -> c.issueTime(ago(Duration.ofMinutes(10)))
                                        .expirationTime(ago(Duration.ofMinutes(5))))));
        refused.put(
                "not yet valid",
                signed(
                        client,
                        claims(
                                client.id(),
                                endpoint,
                                c -> c.notBeforeTime(Date.from(Instant.now().plus(Duration.ofMinutes(3)))))));
        refused.put(
                "valid for more than five minutes",
                signed(
                        client,
                        claims(
                                client.id(),
                                endpoint,
                                c -> c.expirationTime(Date.from(Instant.now().plus(Duration.ofMinutes(30)))))));
        refused.put("no exp", signed(client, claims(client.id(), endpoint, c -> c.expirationTime(null))));
        refused.put("no jti", signed(client, claims(client.id(), endpoint, c -> c.jwtID(null))));
        refused.put("not a JWT", "not-a-jwt");

        for (Map.Entry<String, String> assertion : refused.entrySet()) {
            HttpResponse<byte[]> response = operator.tokenRequest(form(assertion.getValue(), "system/*.rs"));
            assertThat(response.statusCode())
                    .as(assertion.getKey() + ": " + body(response))
                    .isIn(400, 401);
            assertThat(JSON.readTree(response.body()).get("error").asText())
                    .as(assertion.getKey())
                    .isIn("invalid_client", "invalid_request");
        }
    }

    @Test
    void aReplayedAssertionIsRefusedEvenThoughItWasValid() throws Exception {
        TestClients.Client client = TestClients.HOSPITAL;
        String assertion = signed(client, claims(client.id(), operator.tokenEndpoint(), c -> c));

        HttpResponse<byte[]> first = operator.tokenRequest(form(assertion, "system/*.rs"));
        HttpResponse<byte[]> replay = operator.tokenRequest(form(assertion, "system/*.rs"));

        assertThat(first.statusCode()).as(body(first)).isEqualTo(200);
        assertThat(replay.statusCode()).isEqualTo(401);
        assertThat(JSON.readTree(replay.body()).get("error").asText()).isEqualTo("invalid_client");
    }

    @Test
    void anAssertionWithClientIdIsAcceptedTooAndAnUnknownClientIsNot() throws Exception {
        TestClients.Client client = TestClients.HOSPITAL;
        Map<String, String> withClientId = new java.util.HashMap<>(
                form(signed(client, claims(client.id(), operator.tokenEndpoint(), c -> c)), "system/*.rs"));
        withClientId.put("client_id", client.id());
        assertThat(operator.tokenRequest(withClientId).statusCode()).isEqualTo(200);

        HttpResponse<byte[]> unknown = operator.tokenRequest(
                form(signed(client, claims("no-such-client", operator.tokenEndpoint(), c -> c)), "system/*.rs"));
        assertThat(unknown.statusCode()).isEqualTo(401);
        assertThat(JSON.readTree(unknown.body()).get("error").asText()).isEqualTo("invalid_client");
    }

    @Test
    void scopesNotRegisteredForTheClientAreRefusedAsInvalidScope() throws Exception {
        FhirTestClient narrow = new FhirTestClient(port, TestClients.OBSERVATIONS);
        for (String scope : List.of(
                "system/Patient.rs",
                "system/Observation.cruds",
                "system/*.rs",
                "patient/Observation.rs",
                "system/Observation.rs?category=laboratory",
                "not-a-scope",
                "")) {
            HttpResponse<byte[]> response = narrow.requestToken(scope);
            assertThat(response.statusCode()).as(scope + ": " + body(response)).isEqualTo(400);
            assertThat(JSON.readTree(response.body()).get("error").asText())
                    .as(scope)
                    .isEqualTo("invalid_scope");
        }
        assertThat(narrow.requestToken("system/Observation.rs").statusCode()).isEqualTo(200);
        assertThat(narrow.requestToken("system/Observation.r system/Observation.s")
                        .statusCode())
                .isEqualTo(200);
    }

    // ---------------------------------------------------------------- no data without a valid token

    @Test
    void withoutAValidTokenOnlyTheServersDescriptionAnswers() throws Exception {
        IIdType patient = operator.fhir()
                .create()
                .resource(new Patient().setActive(true))
                .execute()
                .getId()
                .toVersionless();
        FhirTestClient anonymous = new FhirTestClient(port, null, "");

        for (String path : List.of(
                "/fhir/Patient",
                "/fhir/Patient/" + patient.getIdPart(),
                "/fhir/Patient/" + patient.getIdPart() + "/$everything",
                "/fhir/_history",
                "/fhir/$export",
                "/ingest/dead-letters",
                "/admin/backups",
                "/actuator/prometheus",
                "/actuator/metrics")) {
            HttpResponse<byte[]> response = anonymous.get(path);
            assertThat(response.statusCode()).as(path).isEqualTo(401);
            assertThat(response.headers().firstValue("WWW-Authenticate"))
                    .as(path)
                    .hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
        }
        assertThat(JSON.readTree(anonymous.get("/fhir/Patient").body())
                        .get("resourceType")
                        .asText())
                .isEqualTo("OperationOutcome");
        assertThat(anonymous
                        .send(
                                HttpRequest.newBuilder().POST(HttpRequest.BodyPublishers.ofString("MSH|")),
                                "/ingest/hl7v2")
                        .statusCode())
                .isEqualTo(401);

        assertThat(anonymous.get("/fhir/metadata").statusCode()).isEqualTo(200);
        assertThat(anonymous.get("/actuator/health").statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(anonymous.get("/actuator/health").body()).has("components"))
                .as("details for operators only")
                .isFalse();

        RSAKey forger = new RSAKeyGenerator(2048).keyID("forged").generate();
        JWTClaimsSet operatorClaims = new JWTClaimsSet.Builder()
                .subject(TestClients.OPERATOR.id())
                .claim("sehat_role", "operator")
                .claim("scope", List.of("system/*.cruds"))
                .expirationTime(Date.from(Instant.now().plusSeconds(300)))
                .build();
        for (String token : List.of(
                sign(forger, JWSAlgorithm.RS256, operatorClaims),
                new PlainJWT(operatorClaims).serialize(),
                "garbage")) {
            HttpResponse<byte[]> response = anonymous.get("/fhir/Patient", "Authorization", "Bearer " + token);
            assertThat(response.statusCode()).as(token).isEqualTo(401);
        }
    }

    @Test
    void onlyTheConfiguredWebOriginMayCallFromABrowser() {
        FhirTestClient anonymous = new FhirTestClient(port, null, "");
        for (String path : List.of("/fhir/Patient", "/oauth2/token")) {
            HttpResponse<byte[]> allowed = anonymous.send(preflight(TestClients.BROWSER_APP_ORIGIN), path);
            assertThat(allowed.statusCode()).as(path + ": " + body(allowed)).isEqualTo(200);
            assertThat(allowed.headers().firstValue("Access-Control-Allow-Origin"))
                    .as(path)
                    .hasValue(TestClients.BROWSER_APP_ORIGIN);
            assertThat(allowed.headers().firstValue("Access-Control-Allow-Credentials"))
                    .as(path)
                    .isEmpty();

            HttpResponse<byte[]> refused = anonymous.send(preflight("https://elsewhere.example"), path);
            assertThat(refused.statusCode()).as(path).isEqualTo(403);
            assertThat(refused.headers().firstValue("Access-Control-Allow-Origin"))
                    .as(path)
                    .isEmpty();
        }
        HttpResponse<byte[]> read = operator.get("/fhir/metadata", "Origin", TestClients.BROWSER_APP_ORIGIN);
        assertThat(read.headers().firstValue("Access-Control-Allow-Origin")).hasValue(TestClients.BROWSER_APP_ORIGIN);
        assertThat(operator.get("/fhir/metadata", "Origin", "https://elsewhere.example")
                        .statusCode())
                .isEqualTo(403);
    }

    private static HttpRequest.Builder preflight(String origin) {
        return HttpRequest.newBuilder()
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", origin)
                .header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "authorization,content-type");
    }

    // ---------------------------------------------------------------- each role reaches what it may

    @Test
    void rolesAndScopesDecideWhatEachCallerReaches() {
        IIdType patient = operator.fhir()
                .create()
                .resource(forTestHospitals(new Patient().setActive(true)))
                .execute()
                .getId()
                .toVersionless();
        Observation obs = new Observation();
        obs.setStatus(Observation.ObservationStatus.FINAL).getCode().setText("Haemoglobin");
        obs.setSubject(new Reference(patient.toUnqualifiedVersionless()));
        IIdType observation = operator.fhir()
                .create()
                .resource(forTestHospitals(obs))
                .execute()
                .getId()
                .toVersionless();
        TestConsents.record(operator, TestConsents.grant(patient.getIdPart(), TestClients.APP.id()));
        String patientPath = "/fhir/Patient/" + patient.getIdPart();
        String patientJson = "{\"resourceType\":\"Patient\",\"active\":true}";
        String searchParameterUrl = "https://fhir.sehathub.pk/SearchParameter/test-" + UUID.randomUUID();
        String searchParameter = "{\"resourceType\":\"SearchParameter\",\"url\":\"" + searchParameterUrl
                + "\",\"name\":\"test\",\"status\":\"retired\",\"description\":\"test\",\"code\":\"test"
                + UUID.randomUUID().toString().substring(0, 8)
                + "\",\"base\":[\"Patient\"],\"type\":\"token\",\"expression\":\"Patient.gender\"}";
        String encounterJson = "{\"resourceType\":\"Encounter\",\"status\":\"finished\",\"class\":{\"code\":\"VR\"}}";

        Map<TestClients.Client, List<Expectation>> matrix = new java.util.LinkedHashMap<>();
        matrix.put(
                TestClients.OPERATOR,
                List.of(
                        get(patientPath, 200),
                        get("/fhir/Patient", 200),
                        get(patientPath + "/$everything", 200),
                        get("/fhir/_history", 200),
                        post("/fhir/Patient", patientJson, 201),
                        get("/ingest/dead-letters", 200),
                        get("/fhir/Patient?_summary=count", 200),
                        post("/fhir/SearchParameter", searchParameter, 201),
                        get("/actuator/metrics", 200),
                        get("/actuator/prometheus", 200)));
        matrix.put(
                TestClients.HOSPITAL,
                List.of(
                        get(patientPath, 200),
                        get("/fhir/Patient", 200),
                        post("/fhir/Patient", patientJson, 201),
                        get(patientPath + "/$everything", 200),
                        get("/ingest/dead-letters", 403),
                        get("/admin/backups", 403),
                        // A count would include what is left out of the caller's answers: HAPI refuses it.
                        get("/fhir/Patient?_summary=count", 400),
                        post("/fhir/Patient/$validate", patientJson, 200),
                        get(patientPath + "/$meta", 200),
                        get("/fhir/Observation?subject:Patient.active=true", 200),
                        post("/fhir/SearchParameter", searchParameter, 403),
                        // Not its facility's: as if it did not exist (nothing matched, nothing deleted).
                        delete("/fhir/SearchParameter?url=" + searchParameterUrl, 200),
                        get("/actuator/prometheus", 403),
                        // Administrative operations: operators only, whatever the scopes.
                        post("/fhir/$reindex", "{\"resourceType\":\"Parameters\"}", 403),
                        post("/fhir/$mark-all-resources-for-reindexing", "{\"resourceType\":\"Parameters\"}", 403),
                        post("/fhir/$hapi.fhir.replace-references", "{\"resourceType\":\"Parameters\"}", 403),
                        // $merge is not served at all (HAPI's merge provider is not registered).
                        post("/fhir/Patient/$merge", "{\"resourceType\":\"Parameters\"}", 400),
                        post("/fhir/$expunge", "{\"resourceType\":\"Parameters\"}", 403)));
        matrix.put(
                TestClients.APP,
                List.of(
                        get(patientPath, 200), get("/fhir/Observation?subject=" + patient.getIdPart(), 200),
                        post("/fhir/Encounter", encounterJson, 201), post("/fhir/Patient", patientJson, 403),
                        delete("/fhir/Observation/" + observation.getIdPart(), 403), get("/ingest/dead-letters", 403),
                        post("/ingest/hl7v2", "MSH|^~\\&|", 403), get(patientPath + "/$meta", 200)));
        matrix.put(
                TestClients.ANALYST,
                List.of(
                        get("/fhir/metadata", 200),
                        get(patientPath, 403),
                        get("/fhir/Patient", 403),
                        get("/fhir/Observation", 403),
                        get(patientPath + "/$everything", 403),
                        get("/fhir/_history", 403),
                        get("/fhir/Patient/" + patient.getIdPart() + "/_history", 403),
                        get("/fhir/$export", 403),
                        get("/ingest/dead-letters", 403),
                        post("/fhir/Patient", patientJson, 403),
                        post("/fhir/Patient/$validate", patientJson, 403),
                        get(patientPath + "/$meta", 403),
                        get("/fhir/$meta", 403)));
        matrix.put(
                TestClients.NARROW,
                List.of(
                        get(patientPath, 200),
                        get("/fhir/Patient", 403),
                        get("/fhir/Observation/" + observation.getIdPart(), 403),
                        post("/fhir/Patient", patientJson, 403),
                        get(patientPath + "/$everything", 200)));
        matrix.put(
                TestClients.OBSERVATIONS,
                List.of(
                        get("/fhir/Observation/" + observation.getIdPart(), 200),
                        get(patientPath, 403),
                        get("/fhir/Observation?subject=" + patient.getIdPart(), 200),
                        // Criteria on a type its scopes do not cover would reveal that type's data (hapi-fhir #6065).
                        get("/fhir/Observation?subject:Patient.active=true", 403),
                        get("/fhir/Observation?patient.active=true", 403),
                        get("/fhir/Observation?_has:Provenance:target:agent=Practitioner/1", 403)));

        List<String> wrong = new java.util.ArrayList<>();
        matrix.forEach((client, expectations) -> {
            FhirTestClient caller = new FhirTestClient(port, client);
            for (Expectation e : expectations) {
                HttpResponse<byte[]> response = caller.send(e.request(), e.path());
                if (response.statusCode() != e.status()) {
                    wrong.add(client.id() + " " + e + " -> " + response.statusCode() + " " + body(response));
                }
            }
        });
        assertThat(wrong).isEmpty();
    }

    @Test
    void includedResourcesOfATypeNotGrantedAreLeftOutAsIfTheyDidNotExist() throws Exception {
        IIdType patient = operator.fhir()
                .create()
                .resource(forTestHospitals(new Patient().setActive(true)))
                .execute()
                .getId()
                .toVersionless();
        Observation obs = new Observation();
        obs.setStatus(Observation.ObservationStatus.FINAL).getCode().setText("Glucose");
        obs.setSubject(new Reference(patient.toUnqualifiedVersionless()));
        IIdType observation = operator.fhir()
                .create()
                .resource(forTestHospitals(obs))
                .execute()
                .getId()
                .toVersionless();
        FhirTestClient observationsOnly = new FhirTestClient(port, TestClients.OBSERVATIONS);

        HttpResponse<byte[]> response = observationsOnly.get(
                "/fhir/Observation?_id=" + observation.getIdPart() + "&_include=Observation:subject");

        String text = body(response);
        assertThat(response.statusCode()).as(text).isEqualTo(200);
        assertThat(text).contains("\"resourceType\":\"Observation\"").doesNotContain("\"resourceType\":\"Patient\"");

        HttpResponse<byte[]> everything = new FhirTestClient(port, TestClients.NARROW)
                .get("/fhir/Patient/" + patient.getIdPart() + "/$everything");
        assertThat(everything.statusCode()).isEqualTo(200);
        assertThat(body(everything))
                .contains("\"resourceType\":\"Patient\"")
                .doesNotContain("\"resourceType\":\"Observation\"");
    }

    @Test
    void bulkExportStatusAndFilesAreForTheClientThatAskedAndNoOneElse() throws Exception {
        operator.fhir().create().resource(forTestHospitals(patient("Exported"))).execute();
        HttpResponse<byte[]> kickoff = operator.get("/fhir/$export?_type=Patient", "Prefer", "respond-async");
        assertThat(kickoff.statusCode()).as(body(kickoff)).isEqualTo(202);
        String status =
                relative(kickoff.headers().firstValue("Content-Location").orElseThrow());

        // HAPI moves a job from step to step in a maintenance pass, once a minute by default.
        HttpResponse<byte[]> done = org.awaitility.Awaitility.await()
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(250))
                .until(
                        () -> {
                            jobMaintenance.forceMaintenancePass();
                            return operator.get(status);
                        },
                        response -> response.statusCode() != 202);
        assertThat(done.statusCode()).as(body(done)).isEqualTo(200);
        List<String> files = new java.util.ArrayList<>();
        JSON.readTree(done.body())
                .path("output")
                .forEach(o -> files.add(relative(o.path("url").asText())));
        assertThat(files).isNotEmpty();
        assertThat(operator.get(files.get(0)).statusCode()).isEqualTo(200);

        for (TestClients.Client client : List.of(TestClients.HOSPITAL, TestClients.APP, TestClients.ANALYST)) {
            FhirTestClient other = new FhirTestClient(port, client);
            assertThat(other.get(status).statusCode())
                    .as(client.id() + " polls the operator's export")
                    .isIn(403, 404);
            for (String file : files) {
                assertThat(other.get(file).statusCode())
                        .as(client.id() + " reads " + file)
                        .isIn(403, 404);
            }
        }
    }

    /** The path of an absolute URL this server wrote. */
    private static String relative(String url) {
        return url.substring(url.indexOf("/fhir"));
    }

    @Test
    void aTransactionMayOnlyDoWhatEachOfItsEntriesMay() {
        Bundle transaction = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        transaction
                .addEntry()
                .setResource(new Encounter().setStatus(Encounter.EncounterStatus.FINISHED))
                .getRequest()
                .setMethod(Bundle.HTTPVerb.POST)
                .setUrl("Encounter");
        transaction
                .addEntry()
                .setResource(new Patient().setActive(true))
                .getRequest()
                .setMethod(Bundle.HTTPVerb.POST)
                .setUrl("Patient");
        String body = FhirTestClient.FHIR.newJsonParser().encodeResourceToString(transaction);
        FhirTestClient app = new FhirTestClient(port, TestClients.APP);

        HttpResponse<byte[]> response = app.send(
                HttpRequest.newBuilder()
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .header("Content-Type", "application/fhir+json"),
                "/fhir");

        assertThat(response.statusCode()).as(body(response)).isEqualTo(403);
    }

    // ---------------------------------------------------------------- a hospital sees its facilities' data

    @Test
    void aHospitalReadsAndChangesOnlyWhatItsFacilitiesWroteAndTheRestDoesNotExistForIt() {
        String family = "Facility" + UUID.randomUUID().toString().substring(0, 8);
        FhirTestClient hospital = new FhirTestClient(port, TestClients.HOSPITAL);
        IIdType own = hospital.fhir()
                .create()
                .resource(patient(family))
                .execute()
                .getId()
                .toVersionless();
        Patient fromBhu = patient(family);
        fromBhu.getMeta().addTag(NamingSystems.FACILITY_TAG, "bhu-chak-45", "BHU Chak 45");
        IIdType sister =
                operator.fhir().create().resource(fromBhu).execute().getId().toVersionless();
        Patient fromServices = patient(family);
        fromServices
                .getMeta()
                .addTag(NamingSystems.FACILITY_TAG, "services-hospital-lahore", "Services Hospital Lahore");
        IIdType other = operator.fhir()
                .create()
                .resource(fromServices)
                .execute()
                .getId()
                .toVersionless();
        IIdType untagged = operator.fhir()
                .create()
                .resource(patient(family))
                .execute()
                .getId()
                .toVersionless();

        // A resource of its facility and another's: it may read it and send it back, tags and all.
        Patient shared = patient("Shared" + UUID.randomUUID().toString().substring(0, 8));
        shared.getMeta().addTag(NamingSystems.FACILITY_TAG, "services-hospital-lahore", null);
        shared.getMeta().addTag(NamingSystems.FACILITY_TAG, "bhu-chak-45", null);
        IIdType sharedId =
                operator.fhir().create().resource(shared).execute().getId().toVersionless();
        Patient sharedRead = hospital.fhir()
                .read()
                .resource(Patient.class)
                .withId(sharedId.getIdPart())
                .execute();
        sharedRead.setActive(true);
        assertThat(hospital.fhir()
                        .update()
                        .resource(sharedRead)
                        .execute()
                        .getId()
                        .getVersionIdPart())
                .isEqualTo("2");

        Patient read = hospital.fhir()
                .read()
                .resource(Patient.class)
                .withId(own.getIdPart())
                .execute();
        assertThat(read.getMeta().getTag())
                .extracting(t -> t.getSystem() + "|" + t.getCode())
                .contains(NamingSystems.FACILITY_TAG + "|mayo-hospital-lahore");
        Bundle found = hospital.fhir()
                .search()
                .byUrl(hospital.fhirBase() + "/Patient?family=" + family)
                .returnBundle(Bundle.class)
                .execute();
        assertThat(found.getEntry())
                .extracting(e -> e.getResource().getIdElement().getIdPart())
                .containsExactlyInAnyOrder(own.getIdPart(), sister.getIdPart());

        for (IIdType absent : List.of(other, untagged)) {
            String path = "/fhir/Patient/" + absent.getIdPart();
            assertThat(hospital.get(path).statusCode()).as("read " + path).isEqualTo(404);
            assertThat(hospital.send(
                                    HttpRequest.newBuilder()
                                            .PUT(HttpRequest.BodyPublishers.ofString(
                                                    "{\"resourceType\":\"Patient\",\"id\":\"" + absent.getIdPart()
                                                            + "\",\"active\":false}"))
                                            .header("Content-Type", "application/fhir+json"),
                                    path)
                            .statusCode())
                    .as("update " + path)
                    .isEqualTo(404);
            assertThat(hospital.send(HttpRequest.newBuilder().DELETE(), path).statusCode())
                    .as("delete " + path)
                    .isEqualTo(404);
            HttpResponse<byte[]> everything = hospital.get(path + "/$everything");
            assertThat(body(everything)).as("$everything " + path).doesNotContain("\"family\":\"" + family + "\"");
        }
        TestConsents.record(operator, TestConsents.grant(other.getIdPart(), TestClients.APP.id()));
        assertThat(new FhirTestClient(port, TestClients.APP)
                        .get("/fhir/Patient/" + other.getIdPart())
                        .statusCode())
                .as("apps are not narrowed to facilities, only to consenting patients")
                .isEqualTo(200);
        assertThat(hospital.get("/fhir/Patient/" + other.getIdPart() + "/_history/1")
                        .statusCode())
                .as("vread")
                .isEqualTo(404);
        assertThat(body(hospital.get("/fhir/Patient/" + other.getIdPart() + "/_history")))
                .as("history")
                .doesNotContain("\"family\":\"" + family + "\"");

        // A paging link of the operator's search, fetched by the hospital: only what it may see.
        Bundle firstPage = operator.fhir()
                .search()
                .byUrl(operator.fhirBase() + "/Patient?family=" + family + "&_count=1")
                .returnBundle(Bundle.class)
                .execute();
        String next = firstPage.getLink(Bundle.LINK_NEXT).getUrl();
        Set<String> seenByHospital = new HashSet<>();
        while (next != null) {
            HttpResponse<byte[]> paged = hospital.get(next.substring(next.indexOf("/fhir")));
            assertThat(paged.statusCode()).as(next + " -> " + body(paged)).isEqualTo(200);
            Bundle page = FhirTestClient.FHIR.newJsonParser().parseResource(Bundle.class, body(paged));
            page.getEntry()
                    .forEach(e ->
                            seenByHospital.add(e.getResource().getIdElement().getIdPart()));
            next = page.getLink(Bundle.LINK_NEXT) == null
                    ? null
                    : page.getLink(Bundle.LINK_NEXT).getUrl();
        }
        assertThat(seenByHospital).doesNotContain(other.getIdPart(), untagged.getIdPart());
    }

    @Test
    void aHospitalsConditionalUrlsDoNotMatchWhatItMayNotSee() {
        String cnic = "35202-" + (1_000_000 + new java.util.Random().nextInt(8_999_999)) + "-1";
        String system = NamingSystems.CNIC;
        Patient elsewhere = patient("Elsewhere");
        elsewhere.addIdentifier().setSystem(system).setValue(cnic);
        elsewhere.getMeta().addTag(NamingSystems.FACILITY_TAG, "services-hospital-lahore", null);
        IIdType other =
                operator.fhir().create().resource(elsewhere).execute().getId().toVersionless();
        FhirTestClient hospital = new FhirTestClient(port, TestClients.HOSPITAL);
        String match = "identifier=" + system + "|" + cnic;
        String matchInUrl = "identifier=" + system + "%7C" + cnic;
        String body = "{\"resourceType\":\"Patient\",\"identifier\":[{\"system\":\"" + system + "\",\"value\":\"" + cnic
                + "\"}]}";

        // The control: for the operator, who sees everything, the URL matches the other facility's patient.
        HttpResponse<byte[]> operatorCreate = operator.send(
                HttpRequest.newBuilder()
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .header("Content-Type", "application/fhir+json")
                        .header("If-None-Exist", match),
                "/fhir/Patient");
        assertThat(operatorCreate.statusCode()).as(body(operatorCreate)).isEqualTo(200);
        assertThat(operatorCreate.headers().firstValue("Location").orElseThrow())
                .contains("/Patient/" + other.getIdPart() + "/");

        // If-None-Exist: the other facility's patient is no match; a new one is created.
        HttpResponse<byte[]> create = hospital.send(
                HttpRequest.newBuilder()
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .header("Content-Type", "application/fhir+json")
                        .header("If-None-Exist", match),
                "/fhir/Patient");
        assertThat(create.statusCode()).as(body(create)).isEqualTo(201);
        String created = create.headers().firstValue("Location").orElseThrow();
        assertThat(created).doesNotContain("/Patient/" + other.getIdPart() + "/");

        // Its own patient does match.
        HttpResponse<byte[]> again = hospital.send(
                HttpRequest.newBuilder()
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .header("Content-Type", "application/fhir+json")
                        .header("If-None-Exist", match),
                "/fhir/Patient");
        assertThat(again.statusCode()).as(body(again)).isEqualTo(200);
        assertThat(again.headers().firstValue("Location").orElseThrow()).isEqualTo(created);

        // Conditional update and delete act on its own patient only.
        HttpResponse<byte[]> update = hospital.send(
                HttpRequest.newBuilder()
                        .PUT(HttpRequest.BodyPublishers.ofString(
                                body.replace("\"identifier\"", "\"active\":true,\"identifier\"")))
                        .header("Content-Type", "application/fhir+json"),
                "/fhir/Patient?" + matchInUrl);
        assertThat(update.statusCode()).as(body(update)).isEqualTo(200);
        String ownId = created.substring(created.indexOf("/Patient/") + 9, created.indexOf("/_history"));
        assertThat(hospital.fhir()
                        .read()
                        .resource(Patient.class)
                        .withId(ownId)
                        .execute()
                        .getActive())
                .as("its own, updated")
                .isTrue();
        HttpResponse<byte[]> delete = hospital.send(HttpRequest.newBuilder().DELETE(), "/fhir/Patient?" + matchInUrl);
        assertThat(delete.statusCode()).as(body(delete)).isIn(200, 204);

        // Now only the other facility's patient matches: a conditional reference finds nothing.
        Bundle transaction = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        Observation obs = new Observation();
        obs.setStatus(Observation.ObservationStatus.FINAL).getCode().setText("Pulse");
        obs.setSubject(new Reference("Patient?" + match));
        transaction
                .addEntry()
                .setResource(obs)
                .getRequest()
                .setMethod(Bundle.HTTPVerb.POST)
                .setUrl("Observation");
        HttpResponse<byte[]> linked = hospital.send(
                HttpRequest.newBuilder()
                        .POST(HttpRequest.BodyPublishers.ofString(
                                FhirTestClient.FHIR.newJsonParser().encodeResourceToString(transaction)))
                        .header("Content-Type", "application/fhir+json"),
                "/fhir");
        assertThat(linked.statusCode()).as(body(linked)).isIn(400, 404, 412);
        assertThat(body(linked)).doesNotContain(other.getIdPart());

        Patient untouched = operator.fhir()
                .read()
                .resource(Patient.class)
                .withId(other.getIdPart())
                .execute();
        assertThat(untouched.getMeta().getVersionId())
                .as("the other facility's patient")
                .isEqualTo("1");
        assertThat(operator.fhir()
                        .search()
                        .byUrl(operator.fhirBase() + "/Observation?subject=Patient/" + other.getIdPart())
                        .returnBundle(Bundle.class)
                        .execute()
                        .getEntry())
                .isEmpty();
    }

    @Test
    void aHospitalCannotWriteIdentifiersOrTagsOfAnotherFacility() {
        FhirTestClient hospital = new FhirTestClient(port, TestClients.HOSPITAL);
        String foreignMrn = "{\"resourceType\":\"Patient\",\"identifier\":[{\"system\":"
                + "\"https://fhir.sehathub.pk/sid/mrn/services-hospital-lahore\",\"value\":\"MR-1\"}]}";
        String foreignTag = "{\"resourceType\":\"Patient\",\"meta\":{\"tag\":[{\"system\":\""
                + NamingSystems.FACILITY_TAG + "\",\"code\":\"services-hospital-lahore\"}]}}";
        String ownMrn = "{\"resourceType\":\"Patient\",\"identifier\":[{\"system\":"
                + "\"https://fhir.sehathub.pk/sid/mrn/bhu-chak-45\",\"value\":\"MR-" + UUID.randomUUID() + "\"}]}";

        for (String body : List.of(foreignMrn, foreignTag)) {
            HttpResponse<byte[]> response = hospital.send(
                    HttpRequest.newBuilder()
                            .POST(HttpRequest.BodyPublishers.ofString(body))
                            .header("Content-Type", "application/fhir+json"),
                    "/fhir/Patient");
            assertThat(response.statusCode()).as(body + " -> " + body(response)).isEqualTo(403);
        }
        assertThat(hospital.send(
                                HttpRequest.newBuilder()
                                        .POST(HttpRequest.BodyPublishers.ofString(ownMrn))
                                        .header("Content-Type", "application/fhir+json"),
                                "/fhir/Patient")
                        .statusCode())
                .isEqualTo(201);
    }

    // ================================================================ helpers

    private static Patient patient(String family) {
        Patient p = new Patient();
        p.addName().setFamily(family);
        return p;
    }

    /** Tagged as written by the test hospitals' facilities, so that they may read it. */
    private static <T extends org.hl7.fhir.r4.model.Resource> T forTestHospitals(T resource) {
        for (String facility : List.of("mayo-hospital-lahore", "narrow", "obs")) {
            resource.getMeta().addTag(NamingSystems.FACILITY_TAG, facility, null);
        }
        return resource;
    }

    private record Expectation(String method, String path, String body, int status) {
        HttpRequest.Builder request() {
            HttpRequest.Builder builder = HttpRequest.newBuilder().header("Content-Type", "application/fhir+json");
            return switch (method) {
                case "GET" -> builder.GET();
                case "DELETE" -> builder.DELETE();
                default -> builder.POST(HttpRequest.BodyPublishers.ofString(body));
            };
        }

        @Override
        public String toString() {
            return method + " " + path + " (expected " + status + ")";
        }
    }

    private static Expectation get(String path, int status) {
        return new Expectation("GET", path, null, status);
    }

    private static Expectation post(String path, String body, int status) {
        return new Expectation("POST", path, body, status);
    }

    private static Expectation delete(String path, int status) {
        return new Expectation("DELETE", path, null, status);
    }

    private static JWTClaimsSet claims(String clientId, String audience, UnaryOperator<JWTClaimsSet.Builder> change) {
        Instant now = Instant.now();
        return change.apply(new JWTClaimsSet.Builder()
                        .issuer(clientId)
                        .subject(clientId)
                        .audience(audience)
                        .jwtID(UUID.randomUUID().toString())
                        .issueTime(Date.from(now))
                        .expirationTime(Date.from(now.plus(Duration.ofMinutes(4)))))
                .build();
    }

    private static String signed(TestClients.Client client, JWTClaimsSet claims) throws JOSEException {
        return sign((ECKey) client.key(), JWSAlgorithm.ES384, claims);
    }

    private static String sign(ECKey key, JWSAlgorithm alg, JWTClaimsSet claims) throws JOSEException {
        SignedJWT jwt = new SignedJWT(
                new JWSHeader.Builder(alg)
                        .type(JOSEObjectType.JWT)
                        .keyID(key.getKeyID())
                        .build(),
                claims);
        jwt.sign(new ECDSASigner(key));
        return jwt.serialize();
    }

    private static String sign(RSAKey key, JWSAlgorithm alg, JWTClaimsSet claims) throws JOSEException {
        SignedJWT jwt =
                new SignedJWT(new JWSHeader.Builder(alg).keyID(key.getKeyID()).build(), claims);
        jwt.sign(new RSASSASigner(key));
        return jwt.serialize();
    }

    /** The classic key-confusion forgery: the client's public key used as an HMAC secret. */
    private static String hs256WithPublicKey(TestClients.Client client, String endpoint) throws JOSEException {
        byte[] secret = client.key().toPublicJWK().toJSONString().getBytes(StandardCharsets.UTF_8);
        SignedJWT jwt = new SignedJWT(
                new JWSHeader.Builder(JWSAlgorithm.HS256)
                        .keyID(client.key().getKeyID())
                        .build(),
                claims(client.id(), endpoint, c -> c));
        jwt.sign(new MACSigner(secret));
        return jwt.serialize();
    }

    private static Map<String, String> form(String assertion, String scope) {
        return Map.of(
                "grant_type",
                "client_credentials",
                "scope",
                scope,
                "client_assertion_type",
                "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
                "client_assertion",
                assertion);
    }

    private static Date ago(Duration duration) {
        return Date.from(Instant.now().minus(duration));
    }

    private static String body(HttpResponse<byte[]> response) {
        return new String(response.body(), StandardCharsets.UTF_8);
    }
}
