package org.sehathub.mappers.normalize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PmdcNormalizerTest {

    @ParameterizedTest
    @CsvSource({
        "12345-P,12345-P",
        "12345-p,12345-P",
        "12345 P,12345-P",
        " 12345p ,12345-P",
        "4321-D,4321-D",
        "98765,98765"
    })
    void canonicalisesCaseSpacingAndTheSuffixHyphen(String raw, String expected) {
        assertThat(PmdcNormalizer.normalize(raw)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"P-12345", "abc", "12345-PUNJ", "", " "})
    void refusesOtherShapes(String raw) {
        assertThatThrownBy(() -> PmdcNormalizer.normalize(raw)).isInstanceOf(NormalizationException.class);
    }
}
