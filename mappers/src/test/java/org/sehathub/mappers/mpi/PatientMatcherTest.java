package org.sehathub.mappers.mpi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.model.api.TemporalPrecisionEnum;
import java.time.LocalDate;
import java.util.List;
import java.util.Set;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.Enumerations.AdministrativeGender;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;
import org.sehathub.mappers.NamingSystems;

/** The matcher on the collisions Pakistan's registers are full of, one at a time. */
class PatientMatcherTest {

    private static final LocalDate TODAY = LocalDate.of(2026, 12, 6);
    private final PatientMatcher matcher = new PatientMatcher();

    private static PersonRecord person(String name, String born, String sex) {
        return new PersonRecord(
                "Patient/x",
                "Mayo Hospital Lahore",
                null,
                null,
                null,
                List.of(NameKeys.words(name)),
                List.of(),
                List.of(),
                born == null ? null : LocalDate.parse(born),
                TemporalPrecisionEnum.DAY,
                sex,
                Set.of(),
                null);
    }

    private static PersonRecord with(PersonRecord p, String cnic, String relative, String phone) {
        return new PersonRecord(
                p.id(),
                p.facility(),
                cnic,
                p.bForm(),
                p.guardianCnic(),
                p.names(),
                relative == null ? List.of() : NameKeys.words(relative),
                p.mother(),
                p.birthDate(),
                p.birthPrecision(),
                p.sex(),
                phone == null ? Set.of() : Set.of(phone),
                p.district());
    }

    @Test
    void theSameValidCnicLinksAtOnceDespiteASpellingVariant() {
        PersonRecord a = with(person("Muhammad Aslam", "1978-05-12", "male"), "32304-1234567-1", null, null);
        PersonRecord b = with(person("Mohd Aslam", null, "male"), "32304-1234567-1", null, null);

        assertThat(matcher.compare(a, b).grade()).isEqualTo(MatchGrade.CERTAIN);
    }

    @Test
    void twoDifferentCnicsNeverLinkWhateverElseAgrees() {
        PersonRecord a = with(
                person("Zarghuna Khattak", "1990-03-14", "female"), "17301-1234567-2", "Gul Khan", "+923001234567");
        PersonRecord b = with(
                person("Zarghuna Khattak", "1990-03-14", "female"), "17301-7654321-4", "Gul Khan", "+923001234567");

        assertThat(matcher.compare(a, b).grade()).isEqualTo(MatchGrade.CERTAINLY_NOT);
    }

    @Test
    void aCnicWithOneMistypedDigitLeavesTheDecisionToTheRest() {
        PersonRecord a = with(person("Zarghuna Khattak", "1990-03-14", "female"), "17301-1234567-2", null, null);
        PersonRecord b = with(person("Zarghuna Khattak", "1990-03-14", "female"), "17301-1243567-2", null, null);

        MatchResult result = matcher.compare(a, b);
        assertThat(result.evidence()).anySatisfy(e -> assertThat(e.outcome()).isEqualTo("one digit apart"));
        assertThat(result.grade()).isEqualTo(MatchGrade.PROBABLE);
    }

    @Test
    void muhammadAliBornOnTheFirstOfJanuaryIsNotEnough() {
        PersonRecord a = person("Muhammad Ali", "1980-01-01", "male");
        PersonRecord b = person("Mohammad Ali", "1980-01-01", "male");

        MatchResult result = matcher.compare(a, b);
        assertThat(result.evidence())
                .as("1 January weighs as the placeholder it usually is")
                .anySatisfy(e -> assertThat(e.outcome()).isEqualTo("exact, 1 January"));
        assertThat(result.grade().links()).isFalse();
    }

    @Test
    void aSharedFamilyPhoneDoesNotJoinTwoPeople() {
        PersonRecord father = with(person("Gul Khan", "1970-06-02", "male"), null, null, "+923001234567");
        PersonRecord son = with(person("Sher Khan", "1998-09-11", "male"), null, "Gul Khan", "+923001234567");

        assertThat(matcher.compare(father, son).grade()).isEqualTo(MatchGrade.CERTAINLY_NOT);
    }

    @Test
    void twinsShareEverythingButTheirGivenNamesAndStayTwoPeople() {
        PersonRecord sister = with(person("Sumaira Bibi", "2016-05-31", "female"), null, "Riaz Ahmed", "+923001234567");
        PersonRecord twin = with(person("Shazia Bibi", "2016-05-31", "female"), null, "Riaz Ahmed", "+923001234567");

        assertThat(matcher.compare(sister, twin).grade().links()).isFalse();
    }

    @Test
    void theSameNameFatherAndBirthDateLinkAcrossScripts() {
        PersonRecord latin = with(person("Khadija Bibi", "2001-08-23", "female"), null, "Allah Ditta", null);
        PersonRecord urdu = with(person("خدیجہ بی بی", "2001-08-23", "female"), null, "اللہ دتہ", null);

        assertThat(matcher.compare(latin, urdu).grade()).isEqualTo(MatchGrade.PROBABLE);
    }

    @Test
    void aDifferentSexOrFatherWeighsAgainstEvenWithTheSameCnic() {
        PersonRecord mother = with(person("Naseem Bibi", "1985-09-23", "female"), "32304-7654321-2", null, null);
        PersonRecord son = with(person("Imran Ahmed", "1985-09-23", "male"), "32304-7654321-2", null, null);

        assertThat(matcher.compare(mother, son).grade()).isEqualTo(MatchGrade.POSSIBLE);
    }

    @Test
    void aCnicOnAChildsRecordIsTheParentsNotHerIdentity() {
        Patient child = new Patient().setGender(AdministrativeGender.FEMALE);
        child.setBirthDateElement(new DateType("2019-04-02"));
        child.addIdentifier().setSystem(NamingSystems.CNIC).setValue("35202-4567891-2");
        child.addName().setText("Zainab");

        PersonRecord record = PersonRecord.of("Patient/1", "BHU Chak 45", child, TODAY);

        assertThat(record.cnic()).isNull();
        assertThat(record.guardianCnic()).isEqualTo("35202-4567891-2");
    }

    @Test
    void placeholderAndEmptyCnicsAreNoOnesIdentity() {
        for (String placeholder : List.of("11111-1111111-1", "12345-1234567-1", "35202-0000000-1")) {
            Patient patient = new Patient().setGender(AdministrativeGender.MALE);
            patient.addIdentifier().setSystem(NamingSystems.CNIC).setValue(placeholder);
            patient.addIdentifier().setSystem(NamingSystems.CNIC).setValue("");
            assertThat(PersonRecord.of("Patient/1", null, patient, TODAY).cnic())
                    .as(placeholder)
                    .isNull();
        }
    }

    @Test
    void aCnicWhoseSexDigitContradictsTheRecordIsNotItsIdentity() {
        Patient wife = new Patient().setGender(AdministrativeGender.FEMALE);
        wife.setBirthDateElement(new DateType("1990-01-01"));
        wife.addIdentifier().setSystem(NamingSystems.CNIC).setValue("35202-4567891-3");

        PersonRecord record = PersonRecord.of("Patient/1", null, wife, TODAY);

        assertThat(record.cnic()).isNull();
        assertThat(record.guardianCnic()).isEqualTo("35202-4567891-3");
    }

    @Test
    void aSpouseOnAWomansRecordIsHerHusbandAndOnAMansRecordNobodyTheMatcherCompares() {
        Patient wife = new Patient().setGender(AdministrativeGender.FEMALE);
        wife.addName().setText("Nasreen Bibi");
        wife.addContact()
                .setName(new org.hl7.fhir.r4.model.HumanName().setText("Tariq Mehmood"))
                .addRelationship()
                .addCoding()
                .setSystem("http://terminology.hl7.org/CodeSystem/v2-0063")
                .setCode("SPO");
        assertThat(PersonRecord.of("Patient/1", null, wife, TODAY).relative())
                .isEqualTo(NameKeys.words("Tariq Mehmood"));

        Patient husband = wife.copy().setGender(AdministrativeGender.MALE);
        assertThat(PersonRecord.of("Patient/2", null, husband, TODAY).relative())
                .as("a man's spouse is his wife: not his father or husband")
                .isEmpty();
    }

    @Test
    void aBirthDateTypoIsForgiven() {
        PersonRecord exact = person("Zarghuna Khattak", "1990-03-14", "female");
        PersonRecord dayLater = person("Zarghuna Khattak", "1990-03-15", "female");

        MatchResult typo = matcher.compare(exact, dayLater);
        assertThat(typo.evidence()).anySatisfy(e -> assertThat(e.outcome()).isEqualTo("one typo apart"));
        assertThat(PatientMatcher.typo(LocalDate.parse("1990-03-04"), LocalDate.parse("1990-04-03")))
                .isTrue();
        assertThat(PatientMatcher.typo(LocalDate.parse("1969-08-14"), LocalDate.parse("1970-08-14")))
                .isTrue();
        assertThat(PatientMatcher.typo(LocalDate.parse("1969-08-14"), LocalDate.parse("1975-02-20")))
                .isFalse();
    }

    @Test
    void aRareNameWithoutABirthDateWaitsForAnOperatorButNeverLinks() {
        PersonRecord dated = person("Zarghunaqxv Nasreenwtk", "1968-09-02", "female");
        PersonRecord undated = person("Zarghunaqxv Nasreenwtk", null, "female");

        assertThat(matcher.compare(dated, undated).grade()).isEqualTo(MatchGrade.POSSIBLE);

        PersonRecord common = person("Ayesha Bibi", "1968-09-02", "female");
        assertThat(matcher.compare(common, person("Ayesha Bibi", null, "female"))
                        .grade())
                .as("a common name without a birth date is not worth a review")
                .isEqualTo(MatchGrade.CERTAINLY_NOT);
    }

    @Test
    void theSameNameAtTheSamePhoneLinksWithoutABirthDateButNotAgainstOne() {
        PersonRecord dated = with(person("Zarghuna Khattak", "1990-03-14", "female"), null, null, "+923001234567");
        PersonRecord undated = with(person("Zarghuna Khattak", null, "female"), null, null, "+923001234567");
        assertThat(matcher.compare(dated, undated).grade()).isEqualTo(MatchGrade.PROBABLE);

        PersonRecord sisterInLaw =
                with(person("Zarghuna Khattak", "1991-06-02", "female"), null, null, "+923001234567");
        assertThat(matcher.compare(dated, sisterInLaw).grade().links())
                .as("a birth date that disagrees outweighs the household")
                .isFalse();
    }

    @Test
    void aPossibleThresholdAboveTheMatchThresholdIsRefused() {
        assertThatThrownBy(() -> new PatientMatcher.Thresholds(8, 10))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must not exceed the match threshold");
        assertThat(new PatientMatcher.Thresholds(9, 9).possible()).isEqualTo(9);
    }

    @Test
    void aNameWordWeighsLessTheMoreRecordsHoldIt() {
        PersonRecord a = person("Zarghuna Khattak", "1990-03-14", "female");
        PersonRecord b = person("Zarghuna Khattak", "1990-03-14", "female");
        String zarghuna = NameKeys.words("Zarghuna").get(0);
        String khattak = NameKeys.words("Khattak").get(0);

        double rare = nameWeight(new PatientMatcher(
                        PatientMatcher.DEFAULT_THRESHOLDS,
                        NameFrequencies.of(java.util.Map.of(zarghuna, 5, khattak, 40), 10_000))
                .compare(a, b));
        double common = nameWeight(new PatientMatcher(
                        PatientMatcher.DEFAULT_THRESHOLDS,
                        NameFrequencies.of(java.util.Map.of(zarghuna, 2_000, khattak, 3_000), 10_000))
                .compare(a, b));

        assertThat(rare).isGreaterThan(common + 3);
    }

    private static double nameWeight(MatchResult result) {
        return result.evidence().stream()
                .filter(e -> e.field().equals("name"))
                .mapToDouble(MatchResult.Evidence::weight)
                .sum();
    }
}
