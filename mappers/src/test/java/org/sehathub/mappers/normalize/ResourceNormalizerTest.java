package org.sehathub.mappers.normalize;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.hl7.fhir.r4.model.Address;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.ContactPoint;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.Enumerations.AdministrativeGender;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Immunization;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Practitioner;
import org.junit.jupiter.api.Test;
import org.sehathub.mappers.MappingIssue;
import org.sehathub.mappers.NamingSystems;
import org.sehathub.mappers.terminology.TerminologyMaps;

class ResourceNormalizerTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2024-03-15T10:00:00Z"), ZoneOffset.UTC);
    private final ResourceNormalizer normalizer = new ResourceNormalizer(TerminologyMaps.loadDefault(), CLOCK);

    @Test
    void canonicalisesThePatientCnicIdentifier() {
        Patient patient = new Patient();
        patient.addIdentifier().setSystem(NamingSystems.CNIC).setValue("3520245678913");
        assertThat(normalizer.normalize(patient)).isEmpty();
        assertThat(patient.getIdentifierFirstRep().getValue()).isEqualTo("35202-4567891-3");
    }

    @Test
    void reportsAnInvalidCnicAsAnErrorAndKeepsTheValue() {
        Patient patient = new Patient();
        patient.addIdentifier().setSystem(NamingSystems.CNIC).setValue("95202-4567891-3");
        List<MappingIssue> issues = normalizer.normalize(patient);
        assertThat(issues)
                .containsExactly(MappingIssue.error(
                        "Patient.identifier[0].value", "CNIC first digit 9 is not a province code (1-7)"));
        assertThat(patient.getIdentifierFirstRep().getValue()).isEqualTo("95202-4567891-3");
    }

    @Test
    void flagsACnicThatDisagreesWithTheGenderAsAWarning() {
        Patient patient = new Patient().setGender(AdministrativeGender.FEMALE);
        patient.addIdentifier().setSystem(NamingSystems.CNIC).setValue("35202-4567891-3");
        assertThat(normalizer.normalize(patient))
                .singleElement()
                .satisfies(i -> assertThat(i.severity()).isEqualTo(MappingIssue.Severity.WARNING));
    }

    @Test
    void writesPatientPhonesInE164AndWarnsAboutOnesItCannotRead() {
        Patient patient = new Patient();
        patient.addTelecom().setSystem(ContactPoint.ContactPointSystem.PHONE).setValue("0300-1234567");
        patient.addTelecom().setSystem(ContactPoint.ContactPointSystem.PHONE).setValue("123");
        patient.addTelecom().setSystem(ContactPoint.ContactPointSystem.EMAIL).setValue("ali@example.pk");
        List<MappingIssue> issues = normalizer.normalize(patient);
        assertThat(patient.getTelecom())
                .extracting(ContactPoint::getValue)
                .containsExactly("+923001234567", "123", "ali@example.pk");
        assertThat(issues).extracting(MappingIssue::location).containsExactly("Patient.telecom[1].value");
    }

    @Test
    void tidiesPatientNamesAndCodesTheProvince() {
        Patient patient = new Patient();
        patient.addName(new HumanName().setFamily("KHAN").addGiven("imran"));
        patient.addName(new HumanName().setText("عمران خان"));
        patient.addAddress(new Address().setDistrict("rawalpindi").setState("Punjab"));
        patient.addAddress(new Address().setState("Narnia"));
        List<MappingIssue> issues = normalizer.normalize(patient);
        assertThat(patient.getName().get(0).getNameAsSingleString()).isEqualTo("Imran Khan");
        assertThat(patient.getName().get(1).getText()).isEqualTo("عمران خان");
        assertThat(patient.getAddress().get(0).getDistrict()).isEqualTo("Rawalpindi");
        assertThat(patient.getAddress().get(0).getStateElement().hasExtension()).isTrue();
        assertThat(issues).extracting(MappingIssue::location).containsExactly("Patient.address[1].state");
    }

    @Test
    void reportsAFutureBirthDate() {
        Patient patient = new Patient().setBirthDateElement(new DateType("2025-01-01"));
        assertThat(normalizer.normalize(patient))
                .containsExactly(MappingIssue.error("Patient.birthDate", "birth date is in the future"));
    }

    @Test
    void canonicalisesThePractitionerPmdcNumber() {
        Practitioner practitioner = new Practitioner();
        practitioner.addIdentifier().setSystem(NamingSystems.PMDC).setValue("12345 p");
        assertThat(normalizer.normalize(practitioner)).isEmpty();
        assertThat(practitioner.getIdentifierFirstRep().getValue()).isEqualTo("12345-P");
    }

    @Test
    void warnsAboutAPmdcNumberItCannotReadAndKeepsIt() {
        Practitioner practitioner = new Practitioner();
        practitioner.addIdentifier().setSystem(NamingSystems.PMDC).setValue("PMDC-XYZ");
        assertThat(normalizer.normalize(practitioner))
                .extracting(MappingIssue::location)
                .containsExactly("Practitioner.identifier[0].value");
        assertThat(practitioner.getIdentifierFirstRep().getValue()).isEqualTo("PMDC-XYZ");
    }

    @Test
    void enrichesObservationConditionAndImmunizationCodes() {
        Observation observation = new Observation().setCode(new CodeableConcept(new Coding("urn:lab", "SGPT", null)));
        Condition condition = new Condition().setCode(new CodeableConcept(new Coding("urn:dx", "DENGUE", null)));
        Immunization immunization =
                new Immunization().setVaccineCode(new CodeableConcept(new Coding("urn:epi", "PCV10", null)));
        normalizer.normalize(observation);
        normalizer.normalize(condition);
        normalizer.normalize(immunization);
        assertThat(observation.getCode().getCoding())
                .extracting(Coding::getCode)
                .containsExactly("SGPT", "1742-6");
        assertThat(condition.getCode().getCoding()).extracting(Coding::getCode).containsExactly("DENGUE", "A90");
        assertThat(immunization.getVaccineCode().getCoding())
                .extracting(Coding::getCode)
                .containsExactly("PCV10", "177");
    }

    @Test
    void bundleLocationsNameTheEntry() {
        Patient patient = new Patient();
        patient.addIdentifier().setSystem(NamingSystems.CNIC).setValue("123");
        Bundle bundle = new Bundle();
        bundle.addEntry().setResource(new Observation());
        bundle.addEntry().setResource(patient);
        assertThat(normalizer.normalize(bundle))
                .extracting(MappingIssue::location)
                .containsExactly("Bundle.entry[1].resource.identifier[0].value");
    }

    @Test
    void makesTheCnicsOfATransactionsMatchUrlsCanonicalAndLeavesAnInvalidOneAsSent() {
        Bundle bundle = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        bundle.addEntry()
                .setResource(new Patient())
                .getRequest()
                .setMethod(Bundle.HTTPVerb.POST)
                .setUrl("Patient")
                .setIfNoneExist("identifier=" + NamingSystems.CNIC + "|3520245678913");
        bundle.addEntry()
                .setResource(new Patient())
                .getRequest()
                .setMethod(Bundle.HTTPVerb.PUT)
                .setUrl("Patient?identifier=" + NamingSystems.CNIC + "%7C35202 4567891 3&birthdate=1990");
        bundle.addEntry()
                .getRequest()
                .setMethod(Bundle.HTTPVerb.DELETE)
                .setUrl("Patient?identifier=" + NamingSystems.CNIC + "|95202-4567891-3");

        normalizer.normalize(bundle);

        assertThat(bundle.getEntry().get(0).getRequest().getIfNoneExist())
                .isEqualTo("identifier=" + NamingSystems.CNIC + "|35202-4567891-3");
        assertThat(bundle.getEntry().get(1).getRequest().getUrl())
                .isEqualTo("Patient?identifier=" + NamingSystems.CNIC + "%7C35202-4567891-3&birthdate=1990");
        assertThat(bundle.getEntry().get(2).getRequest().getUrl())
                .as("not a CNIC: matches nothing, as sent")
                .isEqualTo("Patient?identifier=" + NamingSystems.CNIC + "|95202-4567891-3");
    }
}
