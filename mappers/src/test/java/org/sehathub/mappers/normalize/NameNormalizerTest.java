package org.sehathub.mappers.normalize;

import static org.assertj.core.api.Assertions.assertThat;

import org.hl7.fhir.r4.model.HumanName;
import org.junit.jupiter.api.Test;

class NameNormalizerTest {

    @Test
    void tidyCollapsesWhitespaceAndTitleCasesAllUpperWords() {
        assertThat(NameNormalizer.tidy("  MUHAMMAD    ALI ")).isEqualTo("Muhammad Ali");
    }

    @Test
    void tidyTitleCasesAllLowerWords() {
        assertThat(NameNormalizer.tidy("ayesha bibi")).isEqualTo("Ayesha Bibi");
    }

    @Test
    void tidyTitleCasesEachPartOfAHyphenatedName() {
        assertThat(NameNormalizer.tidy("ABDUL-REHMAN")).isEqualTo("Abdul-Rehman");
    }

    @Test
    void tidyTitleCasesLowerAndLongUpperWordsInAMixedValue() {
        assertThat(NameNormalizer.tidy("  muhammad   IMRAN ")).isEqualTo("Muhammad Imran");
        assertThat(NameNormalizer.tidy("Dr. SANA Javed")).isEqualTo("Dr. Sana Javed");
    }

    @Test
    void tidyKeepsShortUpperCaseWordsInAMixedValueAsAcronyms() {
        assertThat(NameNormalizer.tidy("LHV Rukhsana")).isEqualTo("LHV Rukhsana");
        assertThat(NameNormalizer.tidy("DHQ Hospital jhang")).isEqualTo("DHQ Hospital Jhang");
    }

    @Test
    void tidyLeavesAValueInMixedCaseAsTypedApartFromSpaces() {
        assertThat(NameNormalizer.tidy("McBride  D'Souza")).isEqualTo("McBride D'Souza");
        assertThat(NameNormalizer.tidy("LHV Rukhsana  Parveen")).isEqualTo("LHV Rukhsana Parveen");
    }

    @Test
    void tidyKeepsUrduScriptExactlyEvenItsSpacing() {
        assertThat(NameNormalizer.tidy("محمد  علی ")).isEqualTo("محمد  علی ");
    }

    @Test
    void tidyReplacesNoBreakSpaces() {
        assertThat(NameNormalizer.tidy("Fatima\u00A0Zahra")).isEqualTo("Fatima Zahra");
    }

    @Test
    void normalizeTidiesFamilyGivenPrefixAndTextWithoutChangingTheInput() {
        HumanName raw = new HumanName()
                .setFamily(" KHAN ")
                .addGiven("imran  ahmed")
                .addPrefix("DR.")
                .setText("dr. imran khan");
        HumanName normalized = NameNormalizer.normalize(raw);
        assertThat(normalized.getFamily()).isEqualTo("Khan");
        assertThat(normalized.getGivenAsSingleString()).isEqualTo("Imran Ahmed");
        assertThat(normalized.getPrefixAsSingleString()).isEqualTo("Dr.");
        assertThat(normalized.getText()).isEqualTo("Dr. Imran Khan");
        assertThat(raw.getFamily()).isEqualTo(" KHAN ");
    }

    @Test
    void normalizeKeepsAnUrduNameUntouched() {
        HumanName urdu = new HumanName().setText("فاطمہ بی بی");
        assertThat(NameNormalizer.normalize(urdu).getText()).isEqualTo("فاطمہ بی بی");
    }

    @Test
    void isArabicScriptDetectsUrdu() {
        assertThat(NameNormalizer.isArabicScript("علی")).isTrue();
        assertThat(NameNormalizer.isArabicScript("Ali")).isFalse();
    }
}
