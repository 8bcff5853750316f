package org.sehathub.mappers.normalize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.hl7.fhir.r4.model.Enumerations.AdministrativeGender;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GenderNormalizerTest {

    @ParameterizedTest
    @CsvSource({
        "M,MALE",
        "m,MALE",
        "Male,MALE",
        "MARD,MALE",
        "مرد,MALE",
        "F,FEMALE",
        "female,FEMALE",
        "Aurat,FEMALE",
        "عورت,FEMALE",
        "O,OTHER",
        "other,OTHER",
        "X,OTHER",
        "Khawaja Sira,OTHER",
        "A,OTHER",
        "U,UNKNOWN",
        "Unknown,UNKNOWN"
    })
    void parsesKnownSpellingsCaseInsensitively(String raw, AdministrativeGender expected) {
        assertThat(GenderNormalizer.parse(raw)).isEqualTo(expected);
    }

    @Test
    void refusesUnknownText() {
        assertThatThrownBy(() -> GenderNormalizer.parse("boy"))
                .isInstanceOf(NormalizationException.class)
                .hasMessage("sex 'boy' is not one of M, F, O, U, male, female, other, unknown");
    }

    @Test
    void refusesAnEmptyValue() {
        assertThatThrownBy(() -> GenderNormalizer.parse(" ")).hasMessage("sex is empty");
    }
}
