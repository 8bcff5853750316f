package org.sehathub.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import java.util.List;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sehathub.mappers.NamingSystems;
import org.sehathub.server.mpi.PersonLinkBackfill;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * {@code Patient/$match} on the real server: records written through {@code /fhir} are indexed in
 * their own transaction and found again across spellings and scripts, graded and scored, the
 * namesake born another year left out; a hospital sees only its own facilities' records.
 */
@PostgresServerTest
class PatientMatchOnPostgresIT {

    @LocalServerPort
    int port;

    @Autowired
    PersonLinkBackfill backfill;

    @Autowired
    JdbcTemplate jdbc;

    IGenericClient operator;
    IGenericClient hospital;

    @BeforeEach
    void connect() {
        operator = new FhirTestClient(port).fhir();
        hospital = new FhirTestClient(port, TestClients.HOSPITAL).fhir();
    }

    private Bundle match(IGenericClient client, Patient described, boolean onlyCertain) {
        Parameters in = new Parameters();
        in.addParameter().setName("resource").setResource(described);
        if (onlyCertain) {
            in.addParameter().setName("onlyCertainMatches").setValue(new BooleanType(true));
        }
        return client.operation()
                .onType(Patient.class)
                .named("$match")
                .withParameters(in)
                .returnResourceType(Bundle.class)
                .execute();
    }

    private static String grade(Bundle.BundleEntryComponent entry) {
        return entry.getSearch()
                .getExtensionByUrl("http://hl7.org/fhir/StructureDefinition/match-grade")
                .getValue()
                .primitiveValue();
    }

    @Test
    void oneWomansRecordsAtTwoFacilitiesAreFoundGradedAndScoredAndHerNamesakeIsNot() {
        // A rare-enough name per run, so that earlier runs on the same database do not interfere.
        String family = TestPatients.rare("Zarghuna", 4);
        String cnic = "35202-" + (1_000_000 + Math.abs(family.hashCode() % 8_999_999)) + "-4";
        String mayo = operator.create()
                .resource(TestPatients.woman(
                        "Ayesha " + family, null, "1990-04-11", cnic, "03001234567", "Mayo Hospital Lahore"))
                .execute()
                .getId()
                .toUnqualifiedVersionless()
                .getValue();
        String elsewhere = operator.create()
                .resource(TestPatients.woman(
                        "Aisha " + family, "عائشہ", "1990-04-11", null, "03001234567", "Services Hospital Lahore"))
                .execute()
                .getId()
                .toUnqualifiedVersionless()
                .getValue();
        String namesake = operator.create()
                .resource(TestPatients.woman(
                        "Ayesha " + family, null, "1984-02-02", null, "03339876543", "Mayo Hospital Lahore"))
                .execute()
                .getId()
                .toUnqualifiedVersionless()
                .getValue();

        Patient described =
                TestPatients.woman("Ayeshah " + family, null, "1990-04-11", cnic, null, "Mayo Hospital Lahore");
        Bundle found = match(operator, described, false);

        List<String> ids = found.getEntry().stream()
                .map(e -> e.getResource()
                        .getIdElement()
                        .toUnqualifiedVersionless()
                        .getValue())
                .toList();
        assertThat(ids)
                .as("best first, the namesake left out")
                .containsExactly(mayo, elsewhere)
                .doesNotContain(namesake);
        assertThat(grade(found.getEntry().get(0))).isEqualTo("certain");
        assertThat(grade(found.getEntry().get(1))).isIn("probable", "possible");
        assertThat(found.getEntry().get(0).getSearch().getScore().doubleValue())
                .isGreaterThan(found.getEntry().get(1).getSearch().getScore().doubleValue())
                .isLessThanOrEqualTo(1.0);
        assertThat(found.getEntry())
                .allSatisfy(e -> assertThat(e.getSearch().getMode()).isEqualTo(Bundle.SearchEntryMode.MATCH));

        assertThat(match(operator, described, true).getEntry())
                .extracting(e -> e.getResource()
                        .getIdElement()
                        .toUnqualifiedVersionless()
                        .getValue())
                .containsExactly(mayo);

        // A hospital sees its own facilities' records only (Services Hospital Lahore is not one).
        assertThat(match(hospital, described, false).getEntry())
                .extracting(e -> e.getResource()
                        .getIdElement()
                        .toUnqualifiedVersionless()
                        .getValue())
                .containsExactly(mayo);
    }

    @Test
    void aPatientUpdatedIsFoundByItsNewDetailsAndADeletedOneNoMore() {
        String family = TestPatients.rare("Khadija", 4);
        Patient patient =
                TestPatients.woman("Bibi " + family, null, "1975-07-19", null, "03451112223", "Mayo Hospital Lahore");
        String id = operator.create()
                .resource(patient)
                .execute()
                .getId()
                .toUnqualifiedVersionless()
                .getValue();
        Patient described =
                TestPatients.woman("Bibi " + family, null, "1975-07-19", null, "03451112223", "Mayo Hospital Lahore");
        assertThat(match(operator, described, false).getEntry()).hasSize(1);

        Patient corrected = operator.read().resource(Patient.class).withId(id).execute();
        corrected.setBirthDateElement(new DateType("1962-11-30"));
        operator.update().resource(corrected).execute();
        assertThat(match(operator, described, false).getEntry())
                .as("described with the birth date she no longer has")
                .isEmpty();
        Patient asCorrected =
                TestPatients.woman("Bibi " + family, null, "1962-11-30", null, null, "Mayo Hospital Lahore");
        assertThat(match(operator, asCorrected, false).getEntry())
                .extracting(e -> e.getResource()
                        .getIdElement()
                        .toUnqualifiedVersionless()
                        .getValue())
                .containsExactly(id);

        operator.delete().resourceById(new org.hl7.fhir.r4.model.IdType(id)).execute();
        assertThat(match(operator, asCorrected, false).getEntry()).isEmpty();
    }

    @Test
    void patientsStoredBeforeLinkingExistedAreLinkedOnceAndThenFound() {
        String family = TestPatients.rare("Zubaida", 4);
        Patient described = TestPatients.woman(
                "Rukhsana " + family, null, "1969-10-03", null, "03007654321", "Mayo Hospital Lahore");
        String id = operator.create()
                .resource(described)
                .execute()
                .getId()
                .toUnqualifiedVersionless()
                .getValue();
        // As on a database from before patient linking: Patients, no index, no links.
        jdbc.update("DELETE FROM sehat_person_key");
        jdbc.update("DELETE FROM sehat_person_link");
        assertThat(match(operator, described, false).getEntry()).isEmpty();

        assertThat(backfill.run()).as("Patients linked").isGreaterThanOrEqualTo(1);

        assertThat(match(operator, described, false).getEntry())
                .extracting(e -> e.getResource()
                        .getIdElement()
                        .toUnqualifiedVersionless()
                        .getValue())
                .contains(id);
        assertThat(backfill.run()).as("once: linked Patients are left alone").isZero();
    }

    @Test
    void ihePixGivesEveryIdentifierOfHerRecordsFromOneOfThemAnd404ForAnUnknownOne() {
        String family = TestPatients.rare("Ghazala", 4);
        String cnic = "35202-" + (1_000_000 + Math.abs(family.hashCode() % 8_999_999)) + "-2";
        String mayoMrns = "https://fhir.sehathub.pk/sid/mrn/mayo-hospital-lahore";
        String servicesMrns = "https://fhir.sehathub.pk/sid/mrn/services-hospital-lahore";
        Patient atMayo = TestPatients.woman(
                "Ghazala " + family, null, "1988-12-09", cnic, "03211234567", "Mayo Hospital Lahore");
        atMayo.addIdentifier().setSystem(mayoMrns).setValue("MR-" + family);
        String mayo = operator.create()
                .resource(atMayo)
                .execute()
                .getId()
                .toUnqualifiedVersionless()
                .getValue();
        Patient atServices = TestPatients.woman(
                "Ghazala " + family, "غزالہ", "1988-12-09", null, "03211234567", "Services Hospital Lahore");
        atServices.addIdentifier().setSystem(servicesMrns).setValue("S-" + family);
        String services = operator.create()
                .resource(atServices)
                .execute()
                .getId()
                .toUnqualifiedVersionless()
                .getValue();

        Parameters all = pix(operator, NamingSystems.CNIC + "|" + cnic, null);
        assertThat(values(all, "targetIdentifier"))
                .containsExactlyInAnyOrder(mayoMrns + "|MR-" + family, servicesMrns + "|S-" + family);
        assertThat(values(all, "targetId")).containsExactlyInAnyOrder(mayo, services);

        assertThat(values(pix(operator, NamingSystems.CNIC + "|" + cnic, servicesMrns), "targetIdentifier"))
                .containsExactly(servicesMrns + "|S-" + family);

        // A hospital sees its own facilities' records only.
        assertThat(values(pix(hospital, NamingSystems.CNIC + "|" + cnic, null), "targetIdentifier"))
                .containsExactly(mayoMrns + "|MR-" + family);

        assertThatThrownBy(() -> pix(operator, NamingSystems.CNIC + "|35202-9999999-9", null))
                .isInstanceOf(ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException.class)
                .satisfies(e -> assertThat(
                                ((ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException) e).getResponseBody())
                        .contains("not-found")
                        .contains("sourceIdentifier Patient Identifier not found"));
    }

    private Parameters pix(IGenericClient client, String sourceIdentifier, String targetSystem) {
        Parameters in = new Parameters();
        in.addParameter().setName("sourceIdentifier").setValue(new org.hl7.fhir.r4.model.StringType(sourceIdentifier));
        if (targetSystem != null) {
            in.addParameter().setName("targetSystem").setValue(new org.hl7.fhir.r4.model.UriType(targetSystem));
        }
        return client.operation()
                .onType(Patient.class)
                .named("$ihe-pix")
                .withParameters(in)
                .useHttpGet()
                .execute();
    }

    private static List<String> values(Parameters parameters, String name) {
        return parameters.getParameter().stream()
                .filter(p -> p.getName().equals(name))
                .map(p -> p.getValue() instanceof org.hl7.fhir.r4.model.Identifier id
                        ? id.getSystem() + "|" + id.getValue()
                        : ((org.hl7.fhir.r4.model.Reference) p.getValue()).getReference())
                .toList();
    }
}
