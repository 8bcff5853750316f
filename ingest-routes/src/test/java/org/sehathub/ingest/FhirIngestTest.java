package org.sehathub.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Enumerations.AdministrativeGender;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;
import org.sehathub.ingest.deadletter.DeadLetter;
import org.sehathub.ingest.support.RecordingBundleSink;
import org.sehathub.mappers.NamingSystems;

/** FHIR transaction Bundles over real HTTP: the {@code fhir} channel. */
class FhirIngestTest extends IngestRoutesTestSupport {

    private static final FhirContext FHIR = FhirContext.forR4Cached();
    private static final String JSON = "application/fhir+json";
    private static final String FACILITY = "X-Sehat-Facility";
    private static final String MAYO = "Mayo Hospital Lahore";

    /** A registration as a hospital's FHIR-capable system sends it: conditional create on the CNIC. */
    private static Bundle registration(String cnic, String identifier) {
        Bundle bundle = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        if (identifier != null) {
            bundle.getIdentifier().setSystem("urn:mayo:messages").setValue(identifier);
        }
        Patient patient = new Patient().setGender(AdministrativeGender.MALE);
        patient.addIdentifier().setSystem(NamingSystems.CNIC).setValue(cnic);
        patient.addName().setFamily("Khan").addGiven("Imran");
        patient.addTelecom()
                .setSystem(org.hl7.fhir.r4.model.ContactPoint.ContactPointSystem.PHONE)
                .setValue("0300 1234567");
        bundle.addEntry()
                .setFullUrl("urn:uuid:6fc92493-6bef-402a-bbba-d949f38e5f5f")
                .setResource(patient)
                .getRequest()
                .setMethod(Bundle.HTTPVerb.POST)
                .setUrl("Patient")
                .setIfNoneExist("identifier=" + NamingSystems.CNIC + "|" + cnic.replace("-", ""));
        return bundle;
    }

    private static byte[] json(Bundle bundle) {
        return FHIR.newJsonParser().encodeResourceToString(bundle).getBytes(StandardCharsets.UTF_8);
    }

    private static JsonNode outcome(HttpResponse<String> response) throws Exception {
        JsonNode node = HttpIngestTest.json(response);
        assertThat(node.path("resourceType").asText()).isEqualTo("OperationOutcome");
        return node;
    }

    @Test
    void aTransactionIsNormalizedStoredOnceAndTheSameBundleResentAsJsonOrXmlIsADuplicate() throws Exception {
        Bundle bundle = registration("35202-4567891-3", "ADM-1");

        HttpResponse<String> created = post("/ingest/fhir", JSON, json(bundle), FACILITY, MAYO);

        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(created.headers().firstValue("Content-Type"))
                .hasValueSatisfying(t -> assertThat(t).startsWith(JSON));
        JsonNode answer = outcome(created);
        assertThat(answer.path("issue").get(0).path("diagnostics").asText())
                .isEqualTo("stored 1 resources as message urn:mayo:messages|ADM-1");
        assertThat(answer.path("issue").findValuesAsText("diagnostics")).contains("Patient/" + idOf(0));
        assertThat(sink.stored()).hasSize(1);
        RecordingBundleSink.Stored stored = sink.stored().get(0);
        assertThat(stored.receipt().channel()).isEqualTo("fhir");
        assertThat(stored.asSender()).as("stored with the sender's rights").isTrue();
        assertThat(stored.receipt().sender()).isEqualTo(MAYO);
        assertThat(stored.receipt().messageId()).isEqualTo("urn:mayo:messages|ADM-1");
        Bundle.BundleEntryComponent entry = stored.bundle().getEntryFirstRep();
        assertThat(entry.getRequest().getIfNoneExist())
                .as("the CNIC of the match URL canonical, as the normalizer stores it")
                .isEqualTo("identifier=" + NamingSystems.CNIC + "|35202-4567891-3");
        assertThat(((Patient) entry.getResource()).getTelecomFirstRep().getValue())
                .isEqualTo("+923001234567");

        HttpResponse<String> again = post("/ingest/fhir", JSON, json(bundle), FACILITY, MAYO);
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(outcome(again).path("issue").get(0).path("diagnostics").asText())
                .startsWith("already stored as message urn:mayo:messages|ADM-1");

        String xml = FHIR.newXmlParser().encodeResourceToString(bundle);
        HttpResponse<String> asXml =
                post("/ingest/fhir", "application/fhir+xml", xml.getBytes(StandardCharsets.UTF_8), FACILITY, MAYO);
        assertThat(asXml.statusCode()).as(asXml.body()).isEqualTo(200);
        assertThat(asXml.body()).startsWith("<OperationOutcome").contains("already stored");
        assertThat(sink.stored()).as("stored once").hasSize(1);
    }

    @Test
    void aBundleWithoutIdentifierIsKnownByItsContent() throws Exception {
        Bundle bundle = registration("35202-4567891-3", null);

        assertThat(post("/ingest/fhir", JSON, json(bundle), FACILITY, MAYO).statusCode())
                .isEqualTo(201);
        HttpResponse<String> pretty = post(
                "/ingest/fhir",
                JSON,
                FHIR.newJsonParser()
                        .setPrettyPrint(true)
                        .encodeResourceToString(bundle)
                        .getBytes(StandardCharsets.UTF_8),
                FACILITY,
                MAYO);

        assertThat(pretty.statusCode())
                .as("the same content, laid out otherwise")
                .isEqualTo(200);
        assertThat(sink.stored().get(0).receipt().messageId()).startsWith("fhir-");
    }

    @Test
    void whatIsNotATransactionIsRefusedWith400AnOperationOutcomeAndKept() throws Exception {
        HttpResponse<String> notFhir = post("/ingest/fhir", JSON, "{\"hello\": ".getBytes(), FACILITY, MAYO);
        assertThat(notFhir.statusCode()).isEqualTo(400);
        assertThat(outcome(notFhir).path("issue").get(0).path("code").asText()).isEqualTo("structure");

        Patient alone = new Patient();
        HttpResponse<String> resource = post(
                "/ingest/fhir",
                JSON,
                FHIR.newJsonParser().encodeResourceToString(alone).getBytes(StandardCharsets.UTF_8),
                FACILITY,
                MAYO);
        assertThat(resource.statusCode()).isEqualTo(400);
        assertThat(outcome(resource)
                        .path("issue")
                        .get(0)
                        .path("expression")
                        .get(0)
                        .asText())
                .isEqualTo("resourceType");

        Bundle batch = registration("35202-4567891-3", "B-1").setType(Bundle.BundleType.BATCH);
        HttpResponse<String> asBatch = post("/ingest/fhir", JSON, json(batch), FACILITY, MAYO);
        assertThat(asBatch.statusCode()).isEqualTo(400);
        JsonNode issue = outcome(asBatch).path("issue").get(0);
        assertThat(issue.path("expression").get(0).asText()).isEqualTo("Bundle.type");
        assertThat(issue.path("diagnostics").asText()).contains("not batch").contains("/fhir");

        assertThat(sink.calls()).isEmpty();
        assertThat(deadLetters.all())
                .hasSize(3)
                .allSatisfy(letter -> assertThat(letter.source()).isEqualTo("fhir"));
        assertThat(HttpIngestTest.json(notFhir).toString()).contains("kept as dead letter");
    }

    @Test
    void anImpossibleCnicRefusesTheBundleWith422NamingTheValue() throws Exception {
        HttpResponse<String> response =
                post("/ingest/fhir", JSON, json(registration("95202-4567891-3", "BAD-1")), FACILITY, MAYO);

        assertThat(response.statusCode()).isEqualTo(422);
        JsonNode issue = outcome(response).path("issue").get(0);
        assertThat(issue.path("severity").asText()).isEqualTo("error");
        assertThat(issue.path("expression").get(0).asText()).isEqualTo("Bundle.entry[0].resource.identifier[0].value");
        assertThat(sink.calls()).isEmpty();
        assertThat(deadLetters.all()).singleElement().satisfies(letter -> {
            assertThat(letter.sender()).isEqualTo(MAYO);
            assertThat(letter.messageId()).isEqualTo("urn:mayo:messages|BAD-1");
        });
    }

    @Test
    void theFacilityIsRequiredAndAReusedIdentifierWithOtherContentIsAConflict() throws Exception {
        HttpResponse<String> noFacility = post("/ingest/fhir", JSON, json(registration("35202-4567891-3", "F-1")));
        assertThat(noFacility.statusCode()).isEqualTo(400);
        assertThat(outcome(noFacility)
                        .path("issue")
                        .get(0)
                        .path("expression")
                        .get(0)
                        .asText())
                .isEqualTo(FACILITY);

        assertThat(post("/ingest/fhir", JSON, json(registration("35202-4567891-3", "F-2")), FACILITY, MAYO)
                        .statusCode())
                .isEqualTo(201);
        HttpResponse<String> reused =
                post("/ingest/fhir", JSON, json(registration("61101-1234567-1", "F-2")), FACILITY, MAYO);
        assertThat(reused.statusCode()).isEqualTo(409);
        assertThat(outcome(reused).path("issue").get(0).path("code").asText()).isEqualTo("conflict");
    }

    @Test
    void elementsR4DoesNotDefineAreDroppedWithAWarning() throws Exception {
        String withUnknown = new String(json(registration("35202-4567891-3", "U-1")), StandardCharsets.UTF_8)
                .replace("\"gender\":", "\"favouriteColour\":\"green\",\"gender\":");

        HttpResponse<String> response =
                post("/ingest/fhir", JSON, withUnknown.getBytes(StandardCharsets.UTF_8), FACILITY, MAYO);

        assertThat(response.statusCode()).isEqualTo(201);
        assertThat(outcome(response).path("issue").toString())
                .contains("\"severity\":\"warning\"")
                .contains("favouriteColour");
        assertThat(FHIR.newJsonParser()
                        .encodeResourceToString(sink.stored().get(0).bundle()))
                .doesNotContain("favouriteColour");
    }

    @Test
    void aBundleRefusedForWantOfTheDatabaseIsAnswered503AndStoredByItsReplay() throws Exception {
        sink.mode(RecordingBundleSink.Mode.UNAVAILABLE);
        HttpResponse<String> down =
                post("/ingest/fhir", JSON, json(registration("35202-4567891-3", "R-1")), FACILITY, MAYO);
        assertThat(down.statusCode()).isEqualTo(503);
        assertThat(down.headers().firstValue("Retry-After")).hasValue("30");
        assertThat(outcome(down).path("issue").get(0).path("code").asText()).isEqualTo("transient");
        long id = deadLetters.all().get(0).id();

        sink.mode(RecordingBundleSink.Mode.NORMAL);
        HttpResponse<String> replay = post("/ingest/dead-letters/" + id + "/replay", "application/json", new byte[0]);

        assertThat(replay.statusCode()).isEqualTo(200);
        assertThat(HttpIngestTest.json(replay).path("stored").asBoolean()).isTrue();
        assertThat(sink.stored())
                .singleElement()
                .satisfies(stored -> assertThat(stored.receipt().messageId()).isEqualTo("urn:mayo:messages|R-1"));
        assertThat(deadLetters.find(id))
                .hasValueSatisfying(letter -> assertThat(letter.status()).isEqualTo(DeadLetter.Status.REPLAYED));
    }

    private String idOf(int stored) {
        return sink.stored().get(stored).ids().get(0).substring("Patient/".length());
    }
}
