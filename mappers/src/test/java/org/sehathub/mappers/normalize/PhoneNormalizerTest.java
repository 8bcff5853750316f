package org.sehathub.mappers.normalize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.hl7.fhir.r4.model.ContactPoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PhoneNormalizerTest {

    @ParameterizedTest
    @ValueSource(
            strings = {
                "03001234567",
                "0300-1234567",
                "0300 123 4567",
                "+92 300 1234567",
                "+923001234567",
                "923001234567",
                "0092 300 1234567",
                "(0300) 1234567"
            })
    void mobileNumbersBecomeE164(String raw) {
        assertThat(PhoneNormalizer.toE164(raw)).isEqualTo("+923001234567");
    }

    @Test
    void landlineWithAreaCodeBecomesE164() {
        assertThat(PhoneNormalizer.toE164("042-35761999")).isEqualTo("+924235761999");
        assertThat(PhoneNormalizer.toE164("051 9261170")).isEqualTo("+92519261170");
    }

    @Test
    void aForeignNumberWithItsCountryCodeKeepsIt() {
        assertThat(PhoneNormalizer.toE164("+971 50 123 4567")).isEqualTo("+971501234567");
    }

    @Test
    void toContactPointMarksMobileNumbersAsMobile() {
        ContactPoint mobile = PhoneNormalizer.toContactPoint("0321-7654321");
        assertThat(mobile.getSystem()).isEqualTo(ContactPoint.ContactPointSystem.PHONE);
        assertThat(mobile.getValue()).isEqualTo("+923217654321");
        assertThat(mobile.getUse()).isEqualTo(ContactPoint.ContactPointUse.MOBILE);
    }

    @Test
    void toContactPointLeavesUseEmptyForALandline() {
        ContactPoint landline = PhoneNormalizer.toContactPoint("042-35761999");
        assertThat(landline.getValue()).isEqualTo("+924235761999");
        assertThat(landline.hasUse()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"0300-12345", "12345", "0300123456789012"})
    void refusesNumbersOfTheWrongLength(String raw) {
        assertThatThrownBy(() -> PhoneNormalizer.toE164(raw)).isInstanceOf(NormalizationException.class);
    }

    @Test
    void refusesText() {
        assertThatThrownBy(() -> PhoneNormalizer.toE164("not known"))
                .isInstanceOf(NormalizationException.class)
                .hasMessage("not a phone number (NOT_A_NUMBER)");
    }

    @Test
    void refusesAnEmptyValueWithoutEchoingIt() {
        assertThatThrownBy(() -> PhoneNormalizer.toE164(" ")).hasMessage("phone number is empty");
        assertThatThrownBy(() -> PhoneNormalizer.toE164("0300-12345")).message().doesNotContain("0300");
    }
}
