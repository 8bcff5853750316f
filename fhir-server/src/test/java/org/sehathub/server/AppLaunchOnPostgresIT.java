package org.sehathub.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jwt.SignedJWT;
import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.Enumerations;
import org.hl7.fhir.r4.model.Flag;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sehathub.server.audit.AuditEventWriter;
import org.sehathub.server.consent.AppConsentCheck;
import org.sehathub.server.consent.PatientConsents;
import org.sehathub.server.security.SmartClientTool;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * SMART App Launch, standalone, over real HTTP: a patient signs in on the server's page to a public
 * app (authorization code with PKCE S256), the app gets a token confined to her record with her
 * launch context, and her token reads her data and nobody else's.
 */
@PostgresServerTest
class AppLaunchOnPostgresIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\"[^>]*value=\"([^\"]+)\"");

    @LocalServerPort
    int port;

    @Autowired
    AuditEventWriter auditWriter;

    String root;
    FhirTestClient operator;

    @BeforeEach
    void records() {
        root = "http://127.0.0.1:" + port;
        operator = new FhirTestClient(port);
        Patient ayesha = new Patient();
        ayesha.setId(TestClients.PATIENT_ID);
        ayesha.addName().setFamily("Launch").addGiven("Ayesha");
        operator.fhir().update().resource(ayesha).execute();
    }

    @Test
    void aPatientSignsInAndHerAppReadsHerRecordAndNobodyElses() throws Exception {
        Observation hers = observation("Patient/" + TestClients.PATIENT_ID);
        String someoneElse = operator.fhir()
                .create()
                .resource(new Patient().setActive(true))
                .execute()
                .getId()
                .getIdPart();
        Observation theirs = observation("Patient/" + someoneElse);

        String verifier = verifier();
        JsonNode token = tokenResponse(signIn(TestClients.PATIENT_PASSWORD, verifier, challenge(verifier)), verifier);

        assertThat(token.has("patient")).as(token.toString()).isTrue();
        assertThat(token.get("patient").asText()).isEqualTo(TestClients.PATIENT_ID);
        assertThat(token.get("scope").asText()).contains("launch/patient", "patient/*.rs");
        assertThat(token.has("id_token")).as(token.toString()).isTrue();
        assertThat(SignedJWT.parse(token.get("id_token").asText())
                        .getJWTClaimsSet()
                        .getStringClaim("fhirUser"))
                .isEqualTo(root + "/fhir/Patient/" + TestClients.PATIENT_ID);
        String access = token.get("access_token").asText();

        assertThat(get("/fhir/Patient/" + TestClients.PATIENT_ID, access).statusCode())
                .isEqualTo(200);
        assertThat(get("/fhir/Observation/" + hers.getIdPart(), access).statusCode())
                .isEqualTo(200);
        // Another patient's data does not exist for her token: the same 404 as an id never used.
        assertThat(get("/fhir/Patient/" + someoneElse, access).statusCode()).isEqualTo(404);
        assertThat(get("/fhir/Patient/no-such-patient", access).statusCode()).isEqualTo(404);
        assertThat(get("/fhir/Observation/" + theirs.getIdPart(), access).statusCode())
                .isEqualTo(404);
        assertThat(get("/fhir/Patient/" + someoneElse + "/$everything", access).statusCode())
                .isEqualTo(404);
        List<String> answers = new java.util.ArrayList<>();
        for (String path : List.of(
                "/fhir/Observation",
                "/fhir/Observation?subject=Patient/" + someoneElse,
                "/fhir/Observation?_include=Observation:subject",
                "/fhir/Patient?_revinclude=Observation:subject",
                "/fhir/Patient/" + TestClients.PATIENT_ID + "/$everything")) {
            HttpResponse<byte[]> response = get(path, access);
            answers.add(
                    path + " -> " + response.statusCode() + " " + new String(response.body(), StandardCharsets.UTF_8));
        }
        assertThat(answers.get(0)).contains(hers.getIdPart());
        assertThat(answers.get(4)).contains(hers.getIdPart());
        assertThat(answers)
                .allSatisfy(answer -> assertThat(answer)
                        .doesNotContain("\"id\":\"" + theirs.getIdPart() + "\"")
                        .doesNotContain("\"id\":\"" + someoneElse + "\""));

        // A batch reading both records by id: her entry answered, the other's as not found.
        String batch = "{\"resourceType\":\"Bundle\",\"type\":\"batch\",\"entry\":["
                + "{\"request\":{\"method\":\"GET\",\"url\":\"Observation/" + hers.getIdPart() + "\"}},"
                + "{\"request\":{\"method\":\"GET\",\"url\":\"Observation/" + theirs.getIdPart() + "\"}},"
                + "{\"request\":{\"method\":\"GET\",\"url\":\"Patient?_id=" + someoneElse + "\"}}]}";
        HttpResponse<byte[]> batchAnswer = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(root + "/fhir"))
                                .header("Authorization", "Bearer " + access)
                                .header("Content-Type", "application/fhir+json")
                                .POST(HttpRequest.BodyPublishers.ofString(batch))
                                .build(),
                        HttpResponse.BodyHandlers.ofByteArray());
        String batchBody = new String(batchAnswer.body(), StandardCharsets.UTF_8);
        assertThat(batchAnswer.statusCode()).as(batchBody).isIn(200, 403);
        assertThat(batchBody)
                .doesNotContain("\"id\":\"" + theirs.getIdPart() + "\"")
                .doesNotContain("\"id\":\"" + someoneElse + "\"");
        assertThat(get("/ingest/dead-letters", access).statusCode()).isEqualTo(403);
    }

    @Test
    void onlyAWomanClinicianSeesARecordKeptForWomenUnlessAnotherBreaksTheGlassWithAReason() throws Exception {
        registerClinician(TestClients.WOMAN_CLINICIAN, Enumerations.AdministrativeGender.FEMALE);
        registerClinician(TestClients.MAN_CLINICIAN, Enumerations.AdministrativeGender.MALE);
        String patient = operator.fhir()
                .create()
                .resource(new Patient().setActive(true))
                .execute()
                .getId()
                .getIdPart();
        Observation antenatal = observation("Patient/" + patient);
        Consent consent = TestConsents.grant(patient, TestClients.LAUNCH_APP);
        consent.getProvision().addExtension(PatientConsents.CLINICIAN_GENDER, new CodeType("female"));
        TestConsents.record(operator, consent);
        String observationPath = "/fhir/Observation/" + antenatal.getIdPart();

        String woman = clinicianToken(TestClients.WOMAN_CLINICIAN);
        assertThat(get("/fhir/Patient/" + patient, woman).statusCode()).isEqualTo(200);
        assertThat(get(observationPath, woman).statusCode()).isEqualTo(200);

        String man = clinicianToken(TestClients.MAN_CLINICIAN);
        assertThat(get(observationPath, man).statusCode()).isEqualTo(404);
        assertThat(new String(
                        get("/fhir/Observation?subject=Patient/" + patient, man).body(), StandardCharsets.UTF_8))
                .doesNotContain("\"id\":\"" + antenatal.getIdPart() + "\"");
        assertThat(get(observationPath, man, AppConsentCheck.BREAK_GLASS_HEADER, " ")
                        .statusCode())
                .as("breaking the glass needs a reason")
                .isEqualTo(404);
        String reason = "Unconscious in the emergency room; no woman doctor on duty";
        assertThat(get(observationPath, man, AppConsentCheck.BREAK_GLASS_HEADER, reason)
                        .statusCode())
                .isEqualTo(200);

        // Visible in her own record, and in the audit trail.
        Bundle flags = operator.fhir()
                .search()
                .byUrl(operator.fhirBase() + "/Flag?subject=Patient/" + patient)
                .returnBundle(Bundle.class)
                .execute();
        assertThat(flags.getEntry()).singleElement().satisfies(e -> {
            Flag flag = (Flag) e.getResource();
            assertThat(flag.getCode().getCodingFirstRep().getCode()).isEqualTo("break-glass");
            assertThat(flag.getCode().getText())
                    .contains("Practitioner/" + TestClients.MAN_CLINICIAN)
                    .contains(reason);
        });
        auditWriter.flush();
        Bundle trail = operator.fhir()
                .search()
                .byUrl(operator.fhirBase() + "/AuditEvent?subtype=break-glass&entity-name:exact=Patient/" + patient)
                .returnBundle(Bundle.class)
                .execute();
        assertThat(trail.getEntry()).singleElement().satisfies(e -> {
            AuditEvent event = (AuditEvent) e.getResource();
            assertThat(event.getPurposeOfEventFirstRep().getCodingFirstRep().getCode())
                    .isEqualTo("BTG");
            assertThat(event.getOutcomeDesc()).contains(reason);
            assertThat(event.getAgent())
                    .anyMatch(a -> ("Practitioner/" + TestClients.MAN_CLINICIAN).equals(a.getAltId()));
        });
    }

    @Test
    void aWrongPasswordOrAWrongCodeVerifierGetsNoToken() throws Exception {
        String verifier = verifier();
        assertThat(signIn("not-her-password", verifier, challenge(verifier))).isNull();

        String code = signIn(TestClients.PATIENT_PASSWORD, verifier, challenge(verifier));
        HttpResponse<String> wrongVerifier = token(code, verifier());
        assertThat(wrongVerifier.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(wrongVerifier.body()).get("error").asText()).isEqualTo("invalid_grant");
    }

    @Test
    void anAuthorizationRequestWithoutPkceGetsNoCode() throws Exception {
        String redirect = authorize(TestClients.PATIENT_PASSWORD, null);

        assertThat(redirect).doesNotContain("code=").contains("error=invalid_request");
    }

    // ------------------------------------------------------------------ the browser and the app

    /** Goes through the authorization request and the sign-in page as a browser; the code, or null. */
    private String signIn(String password, String verifier, String challenge) throws IOException, InterruptedException {
        String redirect = authorize(password, challenge);
        if (redirect == null) {
            return null;
        }
        assertThat(redirect).startsWith(TestClients.LAUNCH_REDIRECT).contains("state=s1");
        Matcher code = Pattern.compile("[?&]code=([^&]+)").matcher(redirect);
        assertThat(code.find()).as(redirect).isTrue();
        return URLDecoder.decode(code.group(1), StandardCharsets.UTF_8);
    }

    @Test
    void aPatientRecordsHerOwnConsentForAnAppAndLaterWithdrawsIt() throws Exception {
        FhirTestClient app = new FhirTestClient(port, TestClients.APP);
        String herRecord = "/fhir/Patient/" + TestClients.PATIENT_ID;
        String someoneElse = operator.fhir()
                .create()
                .resource(new Patient().setActive(true))
                .execute()
                .getId()
                .getIdPart();
        assertThat(app.get(herRecord).statusCode()).as("no consent yet").isEqualTo(404);

        String verifier = verifier();
        String redirect = authorize(
                TestClients.PATIENT_USER,
                TestClients.PATIENT_PASSWORD,
                challenge(verifier),
                "launch/patient openid fhirUser patient/*.rs patient/Consent.c");
        Matcher code = Pattern.compile("[?&]code=([^&]+)").matcher(redirect);
        assertThat(code.find()).as(redirect).isTrue();
        JsonNode token = tokenResponse(URLDecoder.decode(code.group(1), StandardCharsets.UTF_8), verifier);
        assertThat(token.get("scope").asText()).contains("patient/Consent.c");
        String access = token.get("access_token").asText();

        // Her own consent, recorded with her own token, opens her record to the app she names.
        assertThat(post("/fhir/Consent", TestConsents.grant(TestClients.PATIENT_ID, TestClients.APP.id()), access)
                        .statusCode())
                .isEqualTo(201);
        assertThat(app.get(herRecord).statusCode()).isEqualTo(200);

        // She cannot consent for someone else, nor change what is recorded (her scope creates only).
        assertThat(post("/fhir/Consent", TestConsents.grant(someoneElse, TestClients.APP.id()), access)
                        .statusCode())
                .isEqualTo(403);
        assertThat(app.get("/fhir/Patient/" + someoneElse).statusCode()).isEqualTo(404);

        // Withdrawn by a consent of type deny naming the app: from the next request on, nothing.
        Consent deny = TestConsents.grant(TestClients.PATIENT_ID, TestClients.APP.id());
        deny.getProvision().setType(Consent.ConsentProvisionType.DENY);
        assertThat(post("/fhir/Consent", deny, access).statusCode()).isEqualTo(201);
        assertThat(app.get(herRecord).statusCode()).isEqualTo(404);
    }

    private HttpResponse<String> post(String path, Consent consent, String token)
            throws IOException, InterruptedException {
        return HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(root + path))
                                .header("Authorization", "Bearer " + token)
                                .header("Content-Type", "application/fhir+json")
                                .POST(HttpRequest.BodyPublishers.ofString(
                                        FhirTestClient.FHIR.newJsonParser().encodeResourceToString(consent)))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
    }

    /** The authorization request, the sign-in page, back: where the browser is finally sent, or null. */
    private String authorize(String password, String challenge) throws IOException, InterruptedException {
        return authorize(TestClients.PATIENT_USER, password, challenge, "launch/patient openid fhirUser patient/*.rs");
    }

    private String authorize(String username, String password, String challenge, String scope)
            throws IOException, InterruptedException {
        HttpClient browser = browser();
        HttpResponse<String> authorize = browser.send(
                HttpRequest.newBuilder(URI.create(authorizeUrl(challenge, scope)))
                        .header("Accept", "text/html")
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(authorize.statusCode()).isEqualTo(302);
        if (challenge == null
                && authorize.headers().firstValue("Location").orElse("").contains("error=")) {
            return authorize.headers().firstValue("Location").get();
        }
        assertThat(authorize.headers().firstValue("Location"))
                .hasValueSatisfying(l -> assertThat(l).endsWith("/login"));

        HttpResponse<String> page = browser.send(
                HttpRequest.newBuilder(URI.create(root + "/login")).build(), HttpResponse.BodyHandlers.ofString());
        Matcher csrf = CSRF.matcher(page.body());
        assertThat(csrf.find()).as("the sign-in page has a CSRF token").isTrue();

        Map<String, String> form = new LinkedHashMap<>();
        form.put("username", username);
        form.put("password", password);
        form.put("_csrf", csrf.group(1));
        HttpResponse<String> login = browser.send(
                HttpRequest.newBuilder(URI.create(root + "/login"))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(SmartClientTool.formBody(form)))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        String next = login.headers().firstValue("Location").orElseThrow();
        if (next.contains("/login?error")) {
            return null;
        }
        HttpResponse<String> back = browser.send(
                HttpRequest.newBuilder(URI.create(absolute(next)))
                        .header("Accept", "text/html")
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        return back.headers().firstValue("Location").orElseThrow();
    }

    private JsonNode tokenResponse(String code, String verifier) throws IOException, InterruptedException {
        HttpResponse<String> response = token(code, verifier);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private HttpResponse<String> token(String code, String verifier) throws IOException, InterruptedException {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "authorization_code");
        form.put("code", code);
        form.put("redirect_uri", TestClients.LAUNCH_REDIRECT);
        form.put("client_id", TestClients.LAUNCH_APP);
        form.put("code_verifier", verifier);
        return HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(root + "/oauth2/token"))
                                .header("Content-Type", "application/x-www-form-urlencoded")
                                .POST(HttpRequest.BodyPublishers.ofString(SmartClientTool.formBody(form)))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
    }

    private String authorizeUrl(String challenge, String scope) {
        Map<String, String> query = new LinkedHashMap<>();
        query.put("response_type", "code");
        query.put("client_id", TestClients.LAUNCH_APP);
        query.put("redirect_uri", TestClients.LAUNCH_REDIRECT);
        query.put("scope", scope);
        query.put("state", "s1");
        query.put("aud", root + "/fhir");
        if (challenge != null) {
            query.put("code_challenge", challenge);
            query.put("code_challenge_method", "S256");
        }
        StringBuilder url = new StringBuilder(root + "/oauth2/authorize?");
        query.forEach((k, v) -> url.append(k)
                .append('=')
                .append(URLEncoder.encode(v, StandardCharsets.UTF_8))
                .append('&'));
        return url.substring(0, url.length() - 1);
    }

    private String absolute(String location) {
        return location.startsWith("http") ? location : root + location;
    }

    private static HttpClient browser() {
        return HttpClient.newBuilder()
                .cookieHandler(new CookieManager())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    private HttpResponse<byte[]> get(String path, String token, String... headers) {
        List<String> all = new java.util.ArrayList<>(List.of("Authorization", "Bearer " + token));
        all.addAll(List.of(headers));
        return new FhirTestClient(port, null, "").get(path, all.toArray(String[]::new));
    }

    /** A clinician signed in to the launch app with user-level scopes. */
    private String clinicianToken(String username) throws Exception {
        String verifier = verifier();
        String redirect =
                authorize(username, TestClients.PATIENT_PASSWORD, challenge(verifier), "openid fhirUser user/*.rs");
        Matcher code = Pattern.compile("[?&]code=([^&]+)").matcher(redirect);
        assertThat(code.find()).as(redirect).isTrue();
        return tokenResponse(URLDecoder.decode(code.group(1), StandardCharsets.UTF_8), verifier)
                .get("access_token")
                .asText();
    }

    private void registerClinician(String id, Enumerations.AdministrativeGender gender) {
        Practitioner practitioner = new Practitioner();
        practitioner.setId(id);
        practitioner.setGender(gender);
        operator.fhir().update().resource(practitioner).execute();
    }

    private Observation observation(String subject) {
        Observation obs = new Observation();
        obs.setStatus(Observation.ObservationStatus.FINAL).getCode().setText("Haemoglobin " + UUID.randomUUID());
        obs.setSubject(new Reference(subject));
        obs.setId(operator.fhir().create().resource(obs).execute().getId().toUnqualifiedVersionless());
        return obs;
    }

    private static String verifier() {
        byte[] bytes = new byte[48];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static String challenge(String verifier) throws Exception {
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
    }
}
