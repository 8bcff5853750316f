package org.sehathub.mappers.mpi;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class NameKeysTest {

    @Test
    void romanUrduSpellingsOfOneNameShareAKey() {
        assertThat(NameKeys.words("Muhammad Ali"))
                .isEqualTo(NameKeys.words("Mohammad Aly"))
                .isEqualTo(NameKeys.words("Mohd. Ali"))
                .isEqualTo(NameKeys.words("Muhammed Ali"));
        assertThat(NameKeys.words("Ayesha")).isEqualTo(NameKeys.words("Aisha")).isEqualTo(NameKeys.words("Ayeshah"));
        assertThat(NameKeys.words("Chaudhry")).isEqualTo(NameKeys.words("Chaudhary"));
        assertThat(NameKeys.words("Abdul Rehman")).isEqualTo(NameKeys.words("Abdur Rahman"));
    }

    @Test
    void aNameInUrduScriptHasTheKeyOfItsRomanSpelling() {
        assertThat(NameKeys.words("محمد علی")).isEqualTo(NameKeys.words("Muhammad Ali"));
        assertThat(NameKeys.words("عائشہ")).isEqualTo(NameKeys.words("Ayesha"));
        assertThat(NameKeys.words("چوہدری")).isEqualTo(NameKeys.words("Chaudhry"));
        assertThat(NameKeys.words("خدیجہ")).isEqualTo(NameKeys.words("Khadija"));
        assertThat(NameKeys.words("فاطمہ بی بی")).containsSubsequence(NameKeys.words("Fatima Bibi"));
    }

    @Test
    void arabicCodePointsDiacriticsAndJoinersDoNotChangeAnUrduName() {
        // ي ك ه (Arabic) for ی ک ہ (Urdu), a zabar, a tatweel and a zero-width non-joiner.
        assertThat(UrduScript.normalize("علي")).isEqualTo(UrduScript.normalize("علی"));
        assertThat(UrduScript.normalize("كوثر")).isEqualTo("کوثر");
        assertThat(UrduScript.normalize("مَحمّد")).isEqualTo("محمد");
        assertThat(UrduScript.normalize("عائـشہ")).isEqualTo(UrduScript.normalize("عائشہ"));
        assertThat(UrduScript.normalize("فاطمه")).isEqualTo("فاطمہ");
        assertThat(NameKeys.words("علي")).isEqualTo(NameKeys.words("علی"));
    }

    @Test
    void titlesAndConnectivesAreNotPartOfTheName() {
        assertThat(NameKeys.words("Mst. Naseem Bibi")).isEqualTo(NameKeys.words("Naseem Bibi"));
        assertThat(NameKeys.words("Dr Hafiz Zia ud Din")).isEqualTo(NameKeys.words("Zia Din"));
    }

    @Test
    void aNewbornsPlaceholderIsNoName() {
        assertThat(NameKeys.isPlaceholder("Baby of Ayesha")).isTrue();
        assertThat(NameKeys.isPlaceholder("B/O Fatima")).isTrue();
        assertThat(NameKeys.isPlaceholder("Ayesha")).isFalse();
    }

    @Test
    void differentNamesKeepDifferentKeys() {
        assertThat(NameKeys.words("Zainab")).isNotEqualTo(NameKeys.words("Zubaida"));
        assertThat(NameKeys.words("Imran")).isNotEqualTo(NameKeys.words("Usman"));
    }
}
