package org.sehathub.mappers.normalize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.hl7.fhir.r4.model.Enumerations.AdministrativeGender;
import org.hl7.fhir.r4.model.Identifier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sehathub.mappers.NamingSystems;

class CnicTest {

    @ParameterizedTest
    @ValueSource(
            strings = {"3520245678913", "35202-4567891-3", "35202 4567891 3", " 35202 - 4567891 - 3 ", "352024567891-3"
            })
    void acceptsDigitsHyphensAndSpacesAndCanonicalises(String raw) {
        assertThat(Cnic.parse(raw).canonical()).isEqualTo("35202-4567891-3");
    }

    @Test
    void provinceDigitIsTheFirstDigit() {
        assertThat(Cnic.parse("17301-1234567-1").provinceDigit()).isEqualTo(1);
        assertThat(Cnic.parse("61101-7654321-2").provinceDigit()).isEqualTo(6);
        assertThat(Cnic.parse("71501-7654321-2").provinceDigit()).isEqualTo(7);
    }

    @Test
    void impliedSexIsMaleForAnOddLastDigitAndFemaleForAnEvenOne() {
        assertThat(Cnic.parse("35202-4567891-3").impliedSex()).isEqualTo(AdministrativeGender.MALE);
        assertThat(Cnic.parse("35202-4567891-4").impliedSex()).isEqualTo(AdministrativeGender.FEMALE);
        assertThat(Cnic.parse("35202-4567891-0").impliedSex()).isEqualTo(AdministrativeGender.FEMALE);
    }

    @Test
    void refusesTwelveDigits() {
        assertThatThrownBy(() -> Cnic.parse("35202-4567891"))
                .isInstanceOf(NormalizationException.class)
                .hasMessage("CNIC must have 13 digits, found 12");
    }

    @Test
    void refusesFourteenDigits() {
        assertThatThrownBy(() -> Cnic.parse("352024567891234"))
                .isInstanceOf(NormalizationException.class)
                .hasMessage("CNIC must have 13 digits, found 15");
    }

    @ParameterizedTest
    @ValueSource(strings = {"05202-4567891-3", "85202-4567891-3", "95202-4567891-3"})
    void refusesAFirstDigitThatIsNoProvince(String raw) {
        assertThatThrownBy(() -> Cnic.parse(raw))
                .isInstanceOf(NormalizationException.class)
                .hasMessageContaining("is not a province code (1-7)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"35202-4567891-X", "CNIC 3520245678913", "35202.4567891.3"})
    void refusesLettersAndOtherSeparators(String raw) {
        assertThatThrownBy(() -> Cnic.parse(raw))
                .isInstanceOf(NormalizationException.class)
                .hasMessageContaining("only digits, hyphens and spaces");
    }

    @Test
    void refusesHyphensInTheWrongPlaces() {
        assertThatThrownBy(() -> Cnic.parse("3520-24567891-3"))
                .isInstanceOf(NormalizationException.class)
                .hasMessage("CNIC separators must split it as XXXXX-XXXXXXX-X");
    }

    @Test
    void refusesAnEmptyValue() {
        assertThatThrownBy(() -> Cnic.parse("  ")).hasMessage("CNIC is empty");
        assertThatThrownBy(() -> Cnic.parse(null)).hasMessage("CNIC is empty");
    }

    @Test
    void sexMismatchIsAWarningTextNotAnException() {
        Cnic male = Cnic.parse("35202-4567891-3");
        assertThat(male.sexMismatch(AdministrativeGender.FEMALE))
                .contains("CNIC last digit 3 implies male but the recorded sex is female");
        assertThat(male.sexMismatch(AdministrativeGender.MALE)).isEmpty();
        assertThat(male.sexMismatch(AdministrativeGender.OTHER)).isEmpty();
        assertThat(male.sexMismatch(AdministrativeGender.UNKNOWN)).isEmpty();
        assertThat(male.sexMismatch(null)).isEmpty();
    }

    @Test
    void toIdentifierUsesTheOneNationalSystemWithTypeNi() {
        Identifier identifier = Cnic.parse("3520245678913").toIdentifier();
        assertThat(identifier.getSystem()).isEqualTo(NamingSystems.CNIC).isEqualTo("https://fhir.sehathub.pk/sid/cnic");
        assertThat(identifier.getValue()).isEqualTo("35202-4567891-3");
        assertThat(identifier.getType().getCodingFirstRep().getCode()).isEqualTo("NI");
        assertThat(identifier.getType().getCodingFirstRep().getSystem())
                .isEqualTo("http://terminology.hl7.org/CodeSystem/v2-0203");
    }
}
