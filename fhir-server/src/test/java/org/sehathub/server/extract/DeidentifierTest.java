package org.sehathub.server.extract;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import org.hl7.fhir.r4.model.Annotation;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.ContactPoint;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Enumerations.AdministrativeGender;
import org.hl7.fhir.r4.model.Immunization;
import org.hl7.fhir.r4.model.Narrative;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.PositiveIntType;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.StringType;
import org.junit.jupiter.api.Test;
import org.sehathub.mappers.NamingSystems;

/** De-identification of each extracted type: nothing identifying survives, dates to the month. */
class DeidentifierTest {

    private static final FhirContext FHIR = FhirContext.forR4Cached();
    private static final byte[] KEY = "an extract's key, 32 bytes long!".getBytes(StandardCharsets.UTF_8);

    /** Everything a sender might write about Ayesha that identifies her. */
    private static final String[] IDENTIFYING = {
        "35202-1234567-1",
        "Ayesha",
        "Bibi",
        "0300-1234567",
        "House 12",
        "Mithi",
        "69230",
        "Rashid",
        "patient-1",
        "enc-7",
        "talks of her husband",
        "1990-04-11",
        "2026-03-15",
        "MRN-881"
    };

    private static Patient ayesha() {
        Patient patient = new Patient();
        patient.setId("patient-1");
        patient.addIdentifier().setSystem(NamingSystems.CNIC).setValue("35202-1234567-1");
        patient.addIdentifier().setSystem("urn:mrn").setValue("MRN-881");
        patient.addName().setFamily("Bibi").addGiven("Ayesha");
        patient.addTelecom().setSystem(ContactPoint.ContactPointSystem.PHONE).setValue("0300-1234567");
        patient.addAddress()
                .addLine("House 12")
                .setCity("Mithi")
                .setPostalCode("69230")
                .setDistrict("Tharparkar")
                .setState("Sindh");
        patient.addContact().getName().setFamily("Rashid");
        patient.setGender(AdministrativeGender.FEMALE);
        patient.setBirthDateElement(new DateType("1990-04-11"));
        patient.setText(new Narrative().setStatus(Narrative.NarrativeStatus.GENERATED));
        patient.getText().setDivAsString("<div>Ayesha Bibi, CNIC 35202-1234567-1</div>");
        return patient;
    }

    @Test
    void aPatientKeepsSexGeneralizedBirthAndDistrictOnly() {
        Deidentifier deid = new Deidentifier(KEY);
        Patient patient =
                deid.patient("person-9", ayesha(), new KAnonymity.Released("1990-04", "female", "Sindh", "Tharparkar"));
        String json = FHIR.newJsonParser().encodeResourceToString(patient);
        for (String text : IDENTIFYING) {
            assertThat(json).doesNotContain(text);
        }
        assertThat(patient.getBirthDateElement().getValueAsString()).isEqualTo("1990-04");
        assertThat(patient.getAddressFirstRep().getDistrict()).isEqualTo("Tharparkar");
        assertThat(patient.getIdElement().getIdPart()).matches("[0-9a-f]{32}");

        Patient old = deid.patient("person-9", ayesha(), new KAnonymity.Released("90+", "female", "Sindh", null));
        assertThat(old.hasBirthDate()).isFalse();
        assertThat(old.getExtensionString(Deidentifier.AGE_GROUP)).isEqualTo("90+");
        assertThat(old.getAddressFirstRep().hasDistrict())
                .as("the check took the district away")
                .isFalse();
    }

    @Test
    void pseudonymsAreStableWithinAnExtractAndDifferAcrossExtracts() {
        Deidentifier one = new Deidentifier(KEY);
        Deidentifier same = new Deidentifier(KEY);
        Deidentifier other = new Deidentifier("another extract's key, 32 bytes".getBytes(StandardCharsets.UTF_8));
        assertThat(one.pseudonym("Person", "p1")).isEqualTo(same.pseudonym("Person", "p1"));
        assertThat(one.pseudonym("Person", "p1")).isNotEqualTo(one.pseudonym("Person", "p2"));
        assertThat(one.pseudonym("Person", "p1")).isNotEqualTo(other.pseudonym("Person", "p1"));
        assertThat(one.pseudonym("Person", "p1")).isNotEqualTo(one.pseudonym("Encounter", "p1"));
    }

    @Test
    void eventsKeepCodesValuesAndMonthsAndPointAtThePersonsPseudonym() {
        Deidentifier deid = new Deidentifier(KEY);
        String person = "Patient/" + deid.pseudonym("Person", "person-9");

        Encounter visit = new Encounter()
                .setClass_(new Coding("http://terminology.hl7.org/CodeSystem/v3-ActCode", "VR", "virtual"))
                .setSubject(new Reference("Patient/patient-1"))
                .setPeriod(new Period().setStartElement(new DateTimeType("2026-03-15T09:30:00+05:00")));
        visit.setId("enc-7");
        visit.addReasonCode()
                .setText("talks of her husband")
                .addCoding(new Coding("http://hl7.org/fhir/sid/icd-10", "Z34.0", "x"));
        Encounter e = (Encounter) deid.event(visit, "person-9");
        assertThat(e.getSubject().getReference()).isEqualTo(person);
        assertThat(e.getPeriod().getStartElement().getValueAsString()).isEqualTo("2026-03");
        assertThat(e.getReasonCodeFirstRep().hasText()).isFalse();
        assertThat(e.getReasonCodeFirstRep().getCodingFirstRep().getCode()).isEqualTo("Z34.0");

        Condition anaemia = new Condition()
                .setCode(new CodeableConcept(new Coding("http://hl7.org/fhir/sid/icd-10", "D50.9", null))
                        .setText("talks of her husband"))
                .setSubject(new Reference("Patient/patient-1"))
                .setEncounter(new Reference("Encounter/enc-7"))
                .setOnset(new DateTimeType("2026-03-15"));
        anaemia.addNote(new Annotation().setText("talks of her husband"));
        Condition c = (Condition) deid.event(anaemia, "person-9");
        assertThat(c.getEncounter().getReference()).isEqualTo("Encounter/" + deid.pseudonym("Encounter", "enc-7"));
        assertThat(c.getOnsetDateTimeType().getValueAsString()).isEqualTo("2026-03");
        assertThat(c.hasNote()).isFalse();

        Observation hb = new Observation()
                .setCode(new CodeableConcept(new Coding("http://loinc.org", "718-7", null)))
                .setSubject(new Reference("Patient/patient-1"))
                .setEffective(new DateTimeType("2026-03-15T10:00:00+05:00"))
                .setValue(new Quantity().setValue(new BigDecimal("10.5")).setUnit("g/dL"));
        Observation o = (Observation) deid.event(hb, "person-9");
        assertThat(o.getValueQuantity().getValue()).isEqualByComparingTo("10.5");
        assertThat(o.getEffectiveDateTimeType().getValueAsString()).isEqualTo("2026-03");
        hb.setValue(new StringType("talks of her husband"));
        assertThat(((Observation) deid.event(hb, "person-9")).hasValue())
                .as("free text is left out")
                .isFalse();

        Immunization mr1 = new Immunization()
                .setStatus(Immunization.ImmunizationStatus.COMPLETED)
                .setVaccineCode(new CodeableConcept(new Coding("http://hl7.org/fhir/sid/cvx", "04", null)))
                .setPatient(new Reference("Patient/patient-1"))
                .setOccurrence(new DateTimeType("2025-01-10"));
        mr1.addProtocolApplied().setDoseNumber(new PositiveIntType(1));
        Immunization i = (Immunization) deid.event(mr1, "person-9");
        assertThat(i.getPatient().getReference()).isEqualTo(person);
        assertThat(i.getOccurrenceDateTimeType().getValueAsString()).isEqualTo("2025-01");
        assertThat(i.getProtocolAppliedFirstRep().getDoseNumberPositiveIntType().getValue())
                .isEqualTo(1);

        String all = FHIR.newJsonParser().encodeResourceToString(e)
                + FHIR.newJsonParser().encodeResourceToString(c)
                + FHIR.newJsonParser().encodeResourceToString(o)
                + FHIR.newJsonParser().encodeResourceToString(i);
        for (String text : IDENTIFYING) {
            assertThat(all).doesNotContain(text);
        }
    }
}
