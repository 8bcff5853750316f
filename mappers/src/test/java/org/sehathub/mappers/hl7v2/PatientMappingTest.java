package org.sehathub.mappers.hl7v2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.sehathub.mappers.hl7v2.Hl7TestMessages.issuesAt;
import static org.sehathub.mappers.hl7v2.Hl7TestMessages.map;
import static org.sehathub.mappers.hl7v2.Hl7TestMessages.only;

import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Enumerations.AdministrativeGender;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;
import org.sehathub.mappers.MappingException;
import org.sehathub.mappers.MappingResult;
import org.sehathub.mappers.NamingSystems;

/** PID, PD1 and NK1 field by field. */
class PatientMappingTest {

    private static Patient patient(String pid, String... more) {
        String[] segments = new String[more.length + 1];
        segments[0] = pid;
        System.arraycopy(more, 0, segments, 1, more.length);
        return only(map("ADT^A04", segments), Patient.class);
    }

    private static Identifier identifier(Patient p, String system) {
        return p.getIdentifier().stream()
                .filter(i -> system.equals(i.getSystem()))
                .findFirst()
                .orElseThrow();
    }

    @Test
    void mapsPid3CnicTypedNiToTheCanonicalNationalIdentifier() {
        Patient p = patient("PID|1||MR-1^^^Mayo Hospital Lahore^MR~3520245678913^^^^NI||Raza^Ali||19850412|M");
        assertThat(identifier(p, NamingSystems.CNIC).getValue()).as("PID-3[2]").isEqualTo("35202-4567891-3");
    }

    @Test
    void mapsPid3WithAssigningAuthorityNadraToTheCnic() {
        Patient p = patient("PID|1||MR-1^^^Mayo Hospital Lahore^MR~35202 4567891 3^^^NADRA||Raza^Ali||19850412|M");
        assertThat(identifier(p, NamingSystems.CNIC).getValue()).as("PID-3[2]").isEqualTo("35202-4567891-3");
    }

    @Test
    void scopesPid3MrnToItsAssigningAuthority() {
        Patient p = patient("PID|1||K-77^^^AKUH^MR||Raza^Ali||19850412|M");
        assertThat(identifier(p, NamingSystems.mrn("AKUH")).getValue())
                .as("PID-3.1 under PID-3.4")
                .isEqualTo("K-77");
    }

    @Test
    void scopesPid3MrnWithoutAuthorityToTheSendingFacility() {
        Patient p = patient("PID|1||K-77||Raza^Ali||19850412|M");
        assertThat(identifier(p, NamingSystems.mrn("Mayo Hospital Lahore")).getValue())
                .as("PID-3.1 under MSH-4")
                .isEqualTo("K-77");
    }

    @Test
    void matchesThePatientOnItsMrnAndReplacesItForRegistrationEvents() {
        MappingResult result = map(
                "ADT^A04", "PID|1||MR-1^^^Mayo Hospital Lahore^MR~35202-4567891-3^^^NADRA^NI||Raza^Ali||19850412|M");
        Bundle.BundleEntryComponent entry = result.bundle().getEntry().stream()
                .filter(e -> e.getResource() instanceof Patient)
                .findFirst()
                .orElseThrow();
        assertThat(entry.getRequest().getMethod()).isEqualTo(Bundle.HTTPVerb.PUT);
        assertThat(entry.getRequest().getUrl())
                .isEqualTo("Patient?identifier=https://fhir.sehathub.pk/sid/mrn/mayo-hospital-lahore%7CMR-1");
    }

    @Test
    void matchesOnTheCnicWhenPid3HasNoMrn() {
        MappingResult result = map("ADT^A04", "PID|1||35202-4567891-3^^^NADRA^NI||Raza^Ali||19850412|M");
        assertThat(result.bundle().getEntry().stream()
                        .filter(e -> e.getResource() instanceof Patient)
                        .findFirst()
                        .orElseThrow()
                        .getRequest()
                        .getUrl())
                .isEqualTo("Patient?identifier=https://fhir.sehathub.pk/sid/cnic%7C35202-4567891-3");
    }

    @Test
    void everyPid3RepetitionIsAnIdentifierWhateverItsType() {
        Patient p = patient(
                "PID|1||PK-9^^^^PK~NH-4^^^Services Hospital^NH~AC-1^^^^AN~P1234567^^^^PPN||Raza^Ali||19850412|M");
        assertThat(p.getIdentifier())
                .extracting(Identifier::getValue)
                .containsExactly("PK-9", "NH-4", "AC-1", "P1234567");
        assertThat(p.getIdentifier())
                .extracting(i -> i.getType().getCodingFirstRep().getCode())
                .containsExactly(null, "NH", "AN", "PPN");
        assertThat(p.getIdentifier().get(0).getType().getText())
                .as("PK is not in table 0203: kept as text")
                .isEqualTo("PK");
    }

    @Test
    void anIdentifierTypeOutsideTable0203IsKeptAsTextAndMrnIsTakenAsAnMrn() {
        Patient p = patient("PID|1||M-77^^^^MRN~123-45-6789^^^^SSN||Raza^Ali||19850412|M");
        assertThat(p.getIdentifierFirstRep().getSystem()).as("MRN is an MRN").contains("/sid/mrn/");
        assertThat(p.getIdentifier().get(1).getType().hasCoding())
                .as("SSN is no v2-0203 code")
                .isFalse();
        assertThat(p.getIdentifier().get(1).getType().getText()).isEqualTo("SSN");
    }

    @Test
    void matchesOnTheFirstPersonIdentifierWhenThereIsNeitherMrnNorCnic() {
        // An account number (AN) names a stay, not a person: the PK after it is the match key,
        // scoped to the sending facility because CX-4 is empty.
        MappingResult result = map("ADT^A04", "PID|1||AC-1^^^^AN~PK-9^^^^PK||Raza^Ali||19850412|M");
        assertThat(result.bundle().getEntry().stream()
                        .filter(e -> e.getResource() instanceof Patient)
                        .findFirst()
                        .orElseThrow()
                        .getRequest()
                        .getUrl())
                .isEqualTo("Patient?identifier=https://fhir.sehathub.pk/sid/pk/mayo-hospital-lahore%7CPK-9");
    }

    @Test
    void readsPid4WhenPid3HoldsNoIdentifier() {
        // As a Spanish lab sends it: PID-3 a blank, the national id in PID-4 (alternate patient id).
        MappingResult result = map(
                "ORU^R01",
                "PID|1|| |123456^^^^DNI|Deprueba^Juan||19220415|F",
                "OBR|1||F-1|CBC^CBC^L|||20240315||||||||||||||||F");
        assertThat(only(result, Patient.class).getIdentifier())
                .extracting(Identifier::getValue)
                .containsExactly("123456");
        assertThat(result.bundle().getEntry().stream()
                        .filter(e -> e.getResource() instanceof Patient)
                        .findFirst()
                        .orElseThrow()
                        .getRequest()
                        .getIfNoneExist())
                .isEqualTo("Patient?identifier=https://fhir.sehathub.pk/sid/dni/mayo-hospital-lahore%7C123456");
        // With an MRN in PID-3, PID-4 is not read.
        assertThat(only(
                                map(
                                        "ADT^A04",
                                        "PID|1||MR-1^^^Mayo Hospital Lahore^MR|123456^^^^DNI|Raza^Ali||19850412|M"),
                                Patient.class)
                        .getIdentifier())
                .extracting(Identifier::getValue)
                .containsExactly("MR-1");
    }

    @Test
    void refusesAPatientWhoseOnlyIdentifiersNameAnAccountOrAVisit() {
        assertThatThrownBy(() -> map("ADT^A04", "PID|1||AC-1^^^^AN~V-7^^^^VN||Raza^Ali||19850412|M"))
                .isInstanceOf(MappingException.class)
                .satisfies(e -> assertThat(((MappingException) e).getLocation()).isEqualTo("PID-3"))
                .hasMessageContaining("no usable identifier");
    }

    @Test
    void escapesFhirSearchCharactersInTheMatchUrl() {
        // A comma would make two alternatives of one MRN, a bar a system, a backslash an escape.
        MappingResult result = map("ADT^A04", "PID|1||K\\T\\77,B$1||Raza^Ali||19850412|M");
        String url = result.bundle().getEntry().stream()
                .filter(e -> e.getResource() instanceof Patient)
                .findFirst()
                .orElseThrow()
                .getRequest()
                .getUrl();
        assertThat(only(result, Patient.class).getIdentifierFirstRep().getValue())
                .isEqualTo("K&77,B$1");
        assertThat(url)
                .isEqualTo(
                        "Patient?identifier=https://fhir.sehathub.pk/sid/mrn/mayo-hospital-lahore%7CK%2677%5C%2CB%5C%241");
    }

    @Test
    void aLocalRelationshipIsNeverWrittenIntoAnHl7TableThatDoesNotDefineIt() {
        // "Spouse" and "Emergency Contact" are words, not codes of tables 0063 and 0131; "spo" is SPO.
        Patient p = patient(
                Hl7TestMessages.PID,
                "NK1|1|Raza^Fatima|Spouse^Spouse||||Emergency Contact",
                "NK1|2|Raza^Hamid|fth^Father^HL70063||||C^Emergency Contact^HL70131");
        Patient.ContactComponent spouse = p.getContact().get(0);
        assertThat(spouse.getRelationship())
                .flatExtracting(cc -> cc.getCoding())
                .extracting(c -> c.getSystem())
                .doesNotContain(
                        "http://terminology.hl7.org/CodeSystem/v2-0063",
                        "http://terminology.hl7.org/CodeSystem/v2-0131");
        Patient.ContactComponent father = p.getContact().get(1);
        assertThat(father.getRelationship())
                .flatExtracting(cc -> cc.getCoding())
                .anySatisfy(c -> {
                    assertThat(c.getSystem()).isEqualTo("http://terminology.hl7.org/CodeSystem/v2-0063");
                    assertThat(c.getCode()).isEqualTo("FTH");
                })
                .anySatisfy(c -> {
                    assertThat(c.getSystem()).isEqualTo("http://terminology.hl7.org/CodeSystem/v2-0131");
                    assertThat(c.getCode()).isEqualTo("C");
                });
    }

    @Test
    void onlyCreatesThePatientForALabResult() {
        MappingResult result = map("ORU^R01", Hl7TestMessages.PID, "OBR|1||F-1|CBC^CBC^L|||20240315||||||||||||||||F");
        Bundle.BundleEntryComponent entry = result.bundle().getEntry().stream()
                .filter(e -> e.getResource() instanceof Patient)
                .findFirst()
                .orElseThrow();
        assertThat(entry.getRequest().getMethod()).isEqualTo(Bundle.HTTPVerb.POST);
        assertThat(entry.getRequest().getIfNoneExist())
                .isEqualTo("Patient?identifier=https://fhir.sehathub.pk/sid/mrn/mayo-hospital-lahore%7CMR-1001");
    }

    @Test
    void refusesAMessageWhosePid3OnlyIdentifierIsAnInvalidCnic() {
        assertThatThrownBy(() -> map("ADT^A04", "PID|1||3520245678^^^NADRA^NI||Raza^Ali||19850412|M"))
                .isInstanceOf(MappingException.class)
                .satisfies(e -> assertThat(((MappingException) e).getLocation()).isEqualTo("PID-3[1]"))
                .hasMessageContaining("CNIC 3520245678 is invalid");
    }

    @Test
    void dropsAnInvalidPid3CnicWithAWarningWhenAnMrnRemains() {
        MappingResult result =
                map("ADT^A04", "PID|1||MR-1^^^Mayo Hospital Lahore^MR~9520245678913^^^NADRA^NI||Raza^Ali||19850412|M");
        assertThat(only(result, Patient.class).getIdentifier())
                .extracting(Identifier::getSystem)
                .doesNotContain(NamingSystems.CNIC);
        assertThat(issuesAt(result, "PID-3[2]")).singleElement().asString().startsWith("WARNING");
    }

    @Test
    void readsTheCnicFromPid19OfVersion23() {
        String message =
                Hl7TestMessages.msh("ADT^A04", "2.3") + "\rPID|1||MR-1||Raza^Ali||19850412|M|||||||||||3520245678913\r";
        Patient p = only(Hl7TestMessages.MAPPER.map(message), Patient.class);
        assertThat(identifier(p, NamingSystems.CNIC).getValue()).as("PID-19").isEqualTo("35202-4567891-3");
    }

    @Test
    void refusesAnImpossiblePid7BirthDate() {
        assertThatThrownBy(() -> map("ADT^A04", "PID|1||MR-1||Raza^Ali||20230230|M"))
                .isInstanceOf(MappingException.class)
                .satisfies(e -> assertThat(((MappingException) e).getLocation()).isEqualTo("PID-7"))
                .hasMessageStartingWith("PID-7: birth date 20230230 is not accepted");
    }

    @Test
    void leavesOutABirthDateWrittenInWordsWithAWarning() {
        MappingResult result = map("ADT^A04", "PID|1||MR-1^^^Mayo Hospital Lahore^MR||Raza^Ali||Aug 15, 1942|M");
        assertThat(only(result, Patient.class).hasBirthDate()).isFalse();
        assertThat(issuesAt(result, "PID-7")).singleElement().asString().startsWith("WARNING");
    }

    @Test
    void refusesAPid7BirthDateInTheFuture() {
        assertThatThrownBy(() -> map("ADT^A04", "PID|1||MR-1||Raza^Ali||20300101|M"))
                .isInstanceOf(MappingException.class)
                .hasMessageContaining("PID-7")
                .hasMessageContaining("future");
    }

    @Test
    void keepsPid7YearPrecision() {
        assertThat(patient("PID|1||MR-1||Raza^Ali||1995|M")
                        .getBirthDateElement()
                        .getValueAsString())
                .as("PID-7")
                .isEqualTo("1995");
    }

    @Test
    void mapsPid8SexAndFlagsACnicThatDisagrees() {
        // Last CNIC digit 3 (odd) means male; the record says female.
        MappingResult result = map("ADT^A04", "PID|1||35202-4567891-3^^^NADRA^NI||Bibi^Ayesha||19900101|F");
        assertThat(only(result, Patient.class).getGender()).as("PID-8").isEqualTo(AdministrativeGender.FEMALE);
        assertThat(issuesAt(result, "PID-8")).singleElement().asString().startsWith("WARNING");
    }

    @Test
    void leavesOutAnUnknownPid8SexWithAWarning() {
        MappingResult result = map("ADT^A04", "PID|1||MR-1||Raza^Ali||19850412|Q");
        assertThat(only(result, Patient.class).hasGender()).as("PID-8").isFalse();
        assertThat(issuesAt(result, "PID-8")).hasSize(1);
    }

    @Test
    void keepsPid5UrduScriptExactlyAndTidiesLatin() {
        Patient p = patient("PID|1||MR-1||  RAZA ^ ali  hassan ~رضا^علی حسن||19850412|M");
        assertThat(p.getName().get(0).getFamily()).as("PID-5[1].1").isEqualTo("Raza");
        assertThat(p.getName().get(0).getGivenAsSingleString()).as("PID-5[1].2").isEqualTo("Ali Hassan");
        assertThat(p.getName().get(1).getFamily()).as("PID-5[2].1").isEqualTo("رضا");
        assertThat(p.getName().get(1).getGivenAsSingleString()).as("PID-5[2].2").isEqualTo("علی حسن");
    }

    @Test
    void mapsPid13PhonesToE164() {
        Patient p = patient("PID|1||MR-1||Raza^Ali||19850412|M|||||0300-1234567^PRN^CP~^PRN^PH^^^^^^^^^04235761234");
        assertThat(p.getTelecom())
                .extracting(c -> c.getValue())
                .as("PID-13")
                .containsExactly("+923001234567", "+924235761234");
    }

    @Test
    void leavesOutAnInvalidPid13PhoneWithAWarning() {
        MappingResult result = map("ADT^A04", "PID|1||MR-1||Raza^Ali||19850412|M|||||12^PRN^PH");
        assertThat(only(result, Patient.class).hasTelecom()).isFalse();
        assertThat(issuesAt(result, "PID-13[1]")).singleElement().asString().startsWith("WARNING");
    }

    @Test
    void mapsPid11ProvinceAliasToIsoCodeAndKeepsTheDistrict() {
        Patient p = patient("PID|1||MR-1||Raza^Ali||19850412|M|||Mohallah Jangi^^Peshawar^NWFP^25000^PAK^H^^Peshawar");
        assertThat(p.getAddressFirstRep().getState()).as("PID-11.4").isEqualTo("Khyber Pakhtunkhwa");
        assertThat(p.getAddressFirstRep().getDistrict()).as("PID-11.9").isEqualTo("Peshawar");
        assertThat(p.getAddressFirstRep().getCountry()).as("PID-11.6").isEqualTo("PK");
    }

    @Test
    void warnsAboutAnUnknownPid11Province() {
        MappingResult result = map("ADT^A04", "PID|1||MR-1||Raza^Ali||19850412|M|||Street 1^^Lahore^Atlantis");
        assertThat(issuesAt(result, "PID-11[1].4")).singleElement().asString().contains("Atlantis");
    }

    @Test
    void mapsPid29DeathTime() {
        Patient p = patient("PID|1||MR-1||Raza^Ali||19450412|M|||||||||||||||||||||20240531224500+0500|Y");
        assertThat(p.getDeceasedDateTimeType().getValueAsString()).as("PID-29").isEqualTo("2024-05-31T22:45:00+05:00");
    }

    @Test
    void mapsPid30DeathIndicatorWithoutATime() {
        Patient p = patient("PID|1||MR-1||Raza^Ali||19450412|M||||||||||||||||||||||Y");
        assertThat(p.getDeceasedBooleanType().booleanValue()).as("PID-30").isTrue();
    }

    @Test
    void mapsPid16MaritalStatusToV3() {
        assertThat(patient("PID|1||MR-1||Raza^Ali||19850412|M||||||||W")
                        .getMaritalStatus()
                        .getCodingFirstRep()
                        .getCode())
                .as("PID-16")
                .isEqualTo("W");
    }

    @Test
    void mapsNk1ToAPatientContact() {
        Patient p = patient(Hl7TestMessages.PID, "NK1|1|Raza^Fatima|SPO^Spouse^HL70063||0321-7654321^PRN^CP");
        assertThat(p.getContactFirstRep().getName().getGivenAsSingleString())
                .as("NK1-2")
                .isEqualTo("Fatima");
        assertThat(p.getContactFirstRep()
                        .getRelationshipFirstRep()
                        .getCodingFirstRep()
                        .getCode())
                .as("NK1-3")
                .isEqualTo("SPO");
        assertThat(p.getContactFirstRep().getTelecomFirstRep().getValue())
                .as("NK1-5")
                .isEqualTo("+923217654321");
    }

    @Test
    void mapsPd1PrimaryCareDoctorToGeneralPractitioner() {
        MappingResult result = map("ADT^A04", Hl7TestMessages.PID, "PD1||||54321-P^Iqbal^Tariq^^^Dr^^^PMDC");
        assertThat(only(result, Patient.class).getGeneralPractitionerFirstRep().getDisplay())
                .as("PD1-4")
                .isEqualTo("Dr Tariq Iqbal");
        assertThat(only(result, org.hl7.fhir.r4.model.Practitioner.class)
                        .getIdentifierFirstRep()
                        .getSystem())
                .as("PD1-4.9 PMDC")
                .isEqualTo(NamingSystems.PMDC);
    }

    @Test
    void reportsPidFieldsItDoesNotMap() {
        MappingResult result = map("ADT^A04", "PID|1||MR-1||Raza^Ali||19850412|M||||||||||||||||Y");
        assertThat(issuesAt(result, "PID-24")).singleElement().asString().isEqualTo("INFORMATION PID-24: not mapped");
    }
}
