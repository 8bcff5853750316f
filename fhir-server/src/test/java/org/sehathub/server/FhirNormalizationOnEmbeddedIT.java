package org.sehathub.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.util.List;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.ContactPoint;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.UriType;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sehathub.mappers.NamingSystems;
import org.sehathub.mappers.terminology.TerminologyMaps;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * FHIR posted straight to {@code /fhir} gets the mappers' normalization, and the terminology tables
 * are served as ConceptMaps whose {@code $translate} agrees with the mappers.
 */
@EmbeddedServerTest
class FhirNormalizationOnEmbeddedIT {

    @LocalServerPort
    int port;

    @Autowired
    TerminologyMaps terminology;

    FhirTestClient server;

    @BeforeEach
    void connect() {
        server = new FhirTestClient(port);
    }

    @Test
    void transactionPatientsGetCanonicalCnicAndE164PhoneAndResendsMatch() {
        Bundle first = server.fhir()
                .transaction()
                .withBundle(cnicTransaction("6110112345671", "0300 1234567"))
                .execute();
        Bundle resend = server.fhir()
                .transaction()
                .withBundle(cnicTransaction("61101-1234567-1", "03001234567"))
                .execute();

        String id = first.getEntryFirstRep().getResponse().getLocation().split("/")[1];
        assertThat(resend.getEntryFirstRep().getResponse().getLocation()).contains("Patient/" + id);
        Patient stored = server.fhir().read().resource(Patient.class).withId(id).execute();
        assertThat(stored.getIdentifierFirstRep().getValue()).isEqualTo("61101-1234567-1");
        assertThat(stored.getTelecomFirstRep().getValue()).isEqualTo("+923001234567");
        Bundle byCnic = server.fhir()
                .search()
                .byUrl(server.fhirBase() + "/Patient?identifier=" + NamingSystems.CNIC + "|61101-1234567-1")
                .returnBundle(Bundle.class)
                .execute();
        assertThat(byCnic.getEntry()).hasSize(1);
    }

    @Test
    void anImpossibleCnicIsRefusedWithAnOperationOutcomeNamingIt() {
        Patient patient = new Patient();
        patient.addIdentifier().setSystem(NamingSystems.CNIC).setValue("12345");
        String body = FhirTestClient.FHIR.newJsonParser().encodeResourceToString(patient);

        var response = server.send(
                HttpRequest.newBuilder()
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .header("Content-Type", "application/fhir+json"),
                "/fhir/Patient");

        AbstractFhirServerIT.assertOperationOutcome(response, 422, "Patient.identifier[0].value");
    }

    @Test
    void conceptMapTranslateAnswersAsTheMappersDo() {
        String localCode = terminology
                .map(TerminologyMaps.LAB_TO_LOINC)
                .entries()
                .keySet()
                .iterator()
                .next();
        Coding expected =
                terminology.translate(TerminologyMaps.LAB_TO_LOINC, localCode).orElseThrow();

        Parameters in = new Parameters();
        in.addParameter("url", new UriType(NamingSystems.CONCEPT_MAP_BASE + TerminologyMaps.LAB_TO_LOINC));
        in.addParameter("system", new UriType(NamingSystems.LOCAL_LAB));
        in.addParameter("code", localCode);
        Parameters out = server.fhir()
                .operation()
                .onType("ConceptMap")
                .named("$translate")
                .withParameters(in)
                .execute();

        assertThat(((BooleanType) out.getParameterValue("result")).booleanValue())
                .isTrue();
        List<Coding> concepts = out.getParameter().stream()
                .filter(p -> p.getName().equals("match"))
                .flatMap(p -> p.getPart().stream())
                .filter(part -> part.getName().equals("concept"))
                .map(part -> (Coding) part.getValue())
                .toList();
        assertThat(concepts)
                .anyMatch(c -> c.getSystem().equals(expected.getSystem())
                        && c.getCode().equals(expected.getCode()));
    }

    private static Bundle cnicTransaction(String cnic, String phone) {
        Bundle bundle = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        Patient patient = AbstractFhirServerIT.patient("Gul", "Khan", "1979-05-05");
        patient.addIdentifier().setSystem(NamingSystems.CNIC).setValue(cnic);
        patient.addTelecom().setSystem(ContactPoint.ContactPointSystem.PHONE).setValue(phone);
        bundle.addEntry()
                .setResource(patient)
                .getRequest()
                .setMethod(Bundle.HTTPVerb.POST)
                .setUrl("Patient")
                .setIfNoneExist("identifier=" + NamingSystems.CNIC + "|" + cnic);
        return bundle;
    }
}
