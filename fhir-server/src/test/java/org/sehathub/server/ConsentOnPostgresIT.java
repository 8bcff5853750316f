package org.sehathub.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import org.hl7.fhir.instance.model.api.IIdType;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sehathub.server.consent.PatientConsents;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Patient consent over real HTTP on PostgreSQL: an app sees a patient's record only while an
 * active Consent grants it, only what it grants, and not at all once revoked; without one the
 * patient does not exist for it, whichever way it asks.
 */
@PostgresServerTest
class ConsentOnPostgresIT {

    @LocalServerPort
    int port;

    FhirTestClient operator;
    FhirTestClient app;
    String patient;
    String observation;
    String condition;

    @BeforeEach
    void record() {
        operator = new FhirTestClient(port);
        app = new FhirTestClient(port, TestClients.APP);
        Patient p = new Patient();
        p.addName().setFamily("Consenting" + UUID.randomUUID().toString().substring(0, 8));
        patient = operator.fhir().create().resource(p).execute().getId().getIdPart();
        Observation obs = new Observation();
        obs.setStatus(Observation.ObservationStatus.FINAL).getCode().setText("Haemoglobin");
        obs.setSubject(new Reference("Patient/" + patient));
        observation = operator.fhir().create().resource(obs).execute().getId().getIdPart();
        Condition c = new Condition();
        c.getCode().setText("Anaemia");
        c.setSubject(new Reference("Patient/" + patient));
        condition = operator.fhir().create().resource(c).execute().getId().getIdPart();
    }

    @Test
    void withoutConsentThePatientDoesNotExistForTheAppWhicheverWayItAsks() {
        assertNothingOfHer();
        assertThat(app.get("/fhir/Patient/no-such-patient").statusCode())
                .as("the same answer as for an unknown id")
                .isEqualTo(404);
        assertThat(app.get("/fhir/$export").statusCode()).isEqualTo(403);
        assertThat(operator.get("/fhir/Patient/" + patient).statusCode())
                .as("operators are not apps")
                .isEqualTo(200);
    }

    @Test
    void consentGrantedUsedNarrowedAndRevokedTakesEffectOnTheNextRequest() {
        IIdType granted = TestConsents.record(operator, TestConsents.grant(patient, TestClients.APP.id()));
        assertThat(app.get("/fhir/Patient/" + patient).statusCode()).isEqualTo(200);
        assertThat(body(app.get("/fhir/Observation?subject=Patient/" + patient)))
                .contains(observation);
        assertThat(body(app.get("/fhir/Patient/" + patient + "/$everything")))
                .contains(observation)
                .contains(condition);

        // Narrowed to Observations: the rest of her record is gone for the app.
        Consent narrowed = operator.fhir()
                .read()
                .resource(Consent.class)
                .withId(granted.getIdPart())
                .execute();
        narrowed.getProvision()
                .addClass_()
                .setSystem("http://hl7.org/fhir/resource-types")
                .setCode("Observation");
        operator.fhir().update().resource(narrowed).execute();
        assertThat(app.get("/fhir/Observation/" + observation).statusCode()).isEqualTo(200);
        assertThat(app.get("/fhir/Condition/" + condition).statusCode()).isEqualTo(404);
        assertThat(body(app.get("/fhir/Patient/" + patient + "/$everything")))
                .contains(observation)
                .doesNotContain(condition);

        // Revoked: the very next request sees nothing.
        Consent revoked = operator.fhir()
                .read()
                .resource(Consent.class)
                .withId(granted.getIdPart())
                .execute();
        revoked.setStatus(Consent.ConsentState.INACTIVE);
        operator.fhir().update().resource(revoked).execute();
        assertNothingOfHer();
    }

    @Test
    void aDenyConsentRevokesAGrantAndAGrantToTheOrganizationCounts() {
        TestConsents.record(
                operator, TestConsents.grantTo(patient, PatientConsents.ORGANIZATION_SYSTEM, "sehat-kahani"));
        assertThat(app.get("/fhir/Patient/" + patient).statusCode())
                .as("granted to the app's organization")
                .isEqualTo(200);

        Consent deny = TestConsents.grant(patient, TestClients.APP.id());
        deny.getProvision().setType(Consent.ConsentProvisionType.DENY);
        TestConsents.record(operator, deny);
        assertNothingOfHer();
    }

    @Test
    void anAppCannotRecordConsentForItselfButTheOperatorCan() {
        String consent = FhirTestClient.FHIR
                .newJsonParser()
                .encodeResourceToString(TestConsents.grant(patient, TestClients.APP.id()));
        HttpResponse<byte[]> byApp = app.send(
                HttpRequest.newBuilder()
                        .POST(HttpRequest.BodyPublishers.ofString(consent))
                        .header("Content-Type", "application/fhir+json"),
                "/fhir/Consent");
        assertThat(byApp.statusCode()).as(body(byApp)).isEqualTo(403);
        assertNothingOfHer();
    }

    private void assertNothingOfHer() {
        assertThat(app.get("/fhir/Patient/" + patient).statusCode()).as("read").isEqualTo(404);
        assertThat(app.get("/fhir/Observation/" + observation).statusCode())
                .as("read of her Observation")
                .isEqualTo(404);
        assertThat(app.get("/fhir/Patient/" + patient + "/$everything").statusCode())
                .as("$everything")
                .isEqualTo(404);
        assertThat(app.get("/fhir/Patient/" + patient + "/_history").statusCode())
                .as("history")
                .isEqualTo(404);
        for (String search : List.of(
                "/fhir/Observation?subject=Patient/" + patient,
                "/fhir/Patient?_id=" + patient,
                "/fhir/Observation?_id=" + observation + "&_include=Observation:subject",
                "/fhir/Patient?_revinclude=Observation:subject&_id=" + patient)) {
            HttpResponse<byte[]> response = app.get(search);
            assertThat(response.statusCode()).as(search).isEqualTo(200);
            assertThat(body(response))
                    .as(search)
                    .doesNotContain("\"id\":\"" + patient + "\"")
                    .doesNotContain("\"id\":\"" + observation + "\"")
                    .doesNotContain("\"id\":\"" + condition + "\"");
        }
    }

    private static String body(HttpResponse<byte[]> response) {
        return new String(response.body(), StandardCharsets.UTF_8);
    }
}
