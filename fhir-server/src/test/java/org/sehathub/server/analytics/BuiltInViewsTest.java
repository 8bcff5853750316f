package org.sehathub.server.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import org.hl7.fhir.r4.model.Address;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Enumerations.AdministrativeGender;
import org.hl7.fhir.r4.model.Immunization;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.PositiveIntType;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.Test;
import org.sehathub.mappers.NamingSystems;

/** The built-in views of the analytical store, each run on a resource as ingest stores it. */
class BuiltInViewsTest {

    private static final FhirContext FHIR = FhirContext.forR4Cached();
    private static final ViewEngine ENGINE = new ViewEngine(FHIR, new DefaultProfileValidationSupport(FHIR));

    private static CompiledView view(String name) throws IOException {
        try (InputStream in = BuiltInViewsTest.class.getResourceAsStream("/analytics/views/" + name + ".json")) {
            return ENGINE.compile(ViewDefinition.parse(new ObjectMapper().readTree(in)));
        }
    }

    private static <T extends Resource> T fromMayo(T resource) {
        resource.getMeta().addTag(NamingSystems.FACILITY_TAG, "mayo-hospital-lahore", "Mayo Hospital Lahore");
        return resource;
    }

    @Test
    void patient() throws IOException {
        Patient patient = fromMayo(new Patient()
                .setGender(AdministrativeGender.FEMALE)
                .setBirthDateElement(new DateType("1990-04-11"))
                .addAddress(new Address().setState("Sindh").setDistrict("Tharparkar")));
        patient.setId("p1");
        assertThat(view("patient").rows(patient))
                .containsExactly(List.of("p1", "female", "1990-04-11", "Sindh", "Tharparkar", "mayo-hospital-lahore"));
    }

    @Test
    void conditionEncounterObservationImmunization() throws IOException {
        Condition condition = fromMayo(new Condition()
                .setSubject(new Reference("Patient/p1"))
                .setCode(new CodeableConcept()
                        .addCoding(new Coding("http://local", "ANM", null))
                        .addCoding(new Coding("http://hl7.org/fhir/sid/icd-10", "D50.9", null)))
                .setOnset(new DateTimeType("2026-03-15")));
        condition.setId("c1");
        assertThat(view("condition").rows(condition).get(0))
                .containsExactly("c1", "p1", "D50.9", "2026-03-15", null, "mayo-hospital-lahore");

        Encounter visit = fromMayo(new Encounter()
                .setClass_(new Coding("http://terminology.hl7.org/CodeSystem/v3-ActCode", "VR", null))
                .setSubject(new Reference("Patient/p1"))
                .setPeriod(new Period().setStartElement(new DateTimeType("2026-02-10T09:00:00+05:00"))));
        visit.setId("e1");
        assertThat(view("encounter").rows(visit).get(0))
                .containsExactly("e1", "p1", "VR", true, false, "2026-02-10T09:00:00+05:00", "mayo-hospital-lahore");
        visit.addType(new CodeableConcept(new Coding("http://snomed.info/sct", "424619006", "Prenatal visit")));
        assertThat(view("encounter").rows(visit).get(0).get(4))
                .as("antenatal by type")
                .isEqualTo(true);
        visit.setType(List.of())
                .addReasonCode(new CodeableConcept(new Coding("http://hl7.org/fhir/sid/icd-10", "Z34.0", null)));
        assertThat(view("encounter").rows(visit).get(0).get(4))
                .as("antenatal by reason: supervision of a normal first pregnancy")
                .isEqualTo(true);
        visit.setReasonCode(List.of(new CodeableConcept(new Coding("http://hl7.org/fhir/sid/icd-10", "Z30.0", null))));
        assertThat(view("encounter").rows(visit).get(0).get(4))
                .as("contraception is not antenatal care")
                .isEqualTo(false);

        Observation hb = fromMayo(new Observation()
                .setCode(new CodeableConcept(new Coding("http://loinc.org", "718-7", null)))
                .setSubject(new Reference("Patient/p1"))
                .setValue(new Quantity().setValue(10.5).setCode("g/dL"))
                .setEffective(new DateTimeType("2026-03-01")));
        hb.setId("o1");
        List<Object> row = view("observation").rows(hb).get(0);
        assertThat(row.get(3)).isEqualTo(new java.math.BigDecimal("10.5"));
        assertThat(row).containsSubsequence("718-7", new java.math.BigDecimal("10.5"), "g/dL", "2026-03-01");

        Immunization given = fromMayo(new Immunization()
                .setStatus(Immunization.ImmunizationStatus.COMPLETED)
                .setVaccineCode(new CodeableConcept(new Coding("http://hl7.org/fhir/sid/cvx", "03", null)))
                .setPatient(new Reference("Patient/p1"))
                .setOccurrence(new DateTimeType("2025-10-01")));
        given.addProtocolApplied().setDoseNumber(new PositiveIntType(2));
        given.setId("i1");
        assertThat(view("immunization").rows(given).get(0))
                .containsExactly("i1", "p1", "03", 2, "2025-10-01", "mayo-hospital-lahore");
        given.setStatus(Immunization.ImmunizationStatus.NOTDONE);
        assertThat(view("immunization").rows(given)).as("not given: no row").isEmpty();
    }
}
