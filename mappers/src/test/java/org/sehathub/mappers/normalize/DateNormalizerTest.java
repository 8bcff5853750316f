package org.sehathub.mappers.normalize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DateNormalizerTest {

    /** 15 March 2024, 22:00 UTC = 16 March 03:00 in Pakistan. */
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2024-03-15T22:00:00Z"), ZoneOffset.UTC);

    @ParameterizedTest
    @ValueSource(strings = {"2024-03-05", "05/03/2024", "5/3/2024", "05-03-2024", "20240305", " 2024-03-05 "})
    void parseDateAcceptsIsoDayFirstAndHl7(String raw) {
        assertThat(DateNormalizer.parseDate(raw)).isEqualTo(LocalDate.of(2024, 3, 5));
    }

    @ParameterizedTest
    @ValueSource(strings = {"2024-02-30", "30/02/2024", "20240230", "2023-02-29"})
    void parseDateRefusesDaysThatDoNotExist(String raw) {
        assertThatThrownBy(() -> DateNormalizer.parseDate(raw))
                .isInstanceOf(NormalizationException.class)
                .hasMessageStartingWith("not a real calendar date");
    }

    @ParameterizedTest
    @ValueSource(strings = {"2024-13-01", "01/13/2024", "03/15/2024"})
    void parseDateRefusesMonth13AndMonthFirstDatesInsteadOfGuessing(String raw) {
        assertThatThrownBy(() -> DateNormalizer.parseDate(raw))
                .isInstanceOf(NormalizationException.class)
                .hasMessageContaining("MonthOfYear");
    }

    @Test
    void parseDateAcceptsTheLeapDayOfALeapYear() {
        assertThat(DateNormalizer.parseDate("29/02/2024")).isEqualTo(LocalDate.of(2024, 2, 29));
    }

    @ParameterizedTest
    @ValueSource(strings = {"15 March 2024", "2024/03/15", "24-03-15", "yesterday"})
    void parseDateRefusesOtherFormats(String raw) {
        assertThatThrownBy(() -> DateNormalizer.parseDate(raw))
                .isInstanceOf(NormalizationException.class)
                .hasMessage("date must be written yyyy-MM-dd, dd/MM/yyyy or yyyyMMdd");
    }

    @Test
    void parseDateRefusesAnEmptyValue() {
        assertThatThrownBy(() -> DateNormalizer.parseDate("")).hasMessage("date is empty");
    }

    @Test
    void parseBirthDateAcceptsTodayInPakistan() {
        assertThat(DateNormalizer.parseBirthDate("2024-03-16", CLOCK)).isEqualTo(LocalDate.of(2024, 3, 16));
    }

    @Test
    void parseBirthDateRefusesTomorrowInPakistan() {
        assertThatThrownBy(() -> DateNormalizer.parseBirthDate("17/03/2024", CLOCK))
                .isInstanceOf(NormalizationException.class)
                .hasMessage("birth date is in the future");
    }

    @Test
    void parseBirthDateRefusesImplausiblyOldDates() {
        assertThatThrownBy(() -> DateNormalizer.parseBirthDate("1889-12-31", CLOCK))
                .hasMessage("birth date is before 1890");
    }

    @Test
    void toBirthDateTypeKeepsAYearOnlyBirthDateButRefusesAFutureYear() {
        assertThat(DateNormalizer.toBirthDateType("1975", CLOCK).getValueAsString())
                .isEqualTo("1975");
        assertThatThrownBy(() -> DateNormalizer.toBirthDateType("2025", CLOCK))
                .hasMessage("birth date is in the future");
    }

    @Test
    void parseDateTimeWithoutOffsetIsPakistanTime() {
        assertThat(DateNormalizer.parseDateTime("2024-03-15T10:30"))
                .isEqualTo(OffsetDateTime.parse("2024-03-15T10:30:00+05:00"));
        assertThat(DateNormalizer.parseDateTime("2024-03-15 10:30:15"))
                .isEqualTo(OffsetDateTime.parse("2024-03-15T10:30:15+05:00"));
        assertThat(DateNormalizer.parseDateTime("15/03/2024 10:30"))
                .isEqualTo(OffsetDateTime.parse("2024-03-15T10:30:00+05:00"));
    }

    @Test
    void parseDateTimeKeepsAnExplicitOffset() {
        assertThat(DateNormalizer.parseDateTime("2024-03-15T05:30:00Z"))
                .isEqualTo(OffsetDateTime.parse("2024-03-15T05:30:00Z"));
        assertThat(DateNormalizer.parseDateTime("2024-03-15T10:30:00+04:00").getOffset())
                .isEqualTo(ZoneOffset.ofHours(4));
    }

    @Test
    void parseDateTimeReadsHl7Dtm() {
        assertThat(DateNormalizer.parseDateTime("202403151030"))
                .isEqualTo(OffsetDateTime.parse("2024-03-15T10:30:00+05:00"));
        assertThat(DateNormalizer.parseDateTime("20240315103045.1234+0000"))
                .isEqualTo(OffsetDateTime.parse("2024-03-15T10:30:45.1234Z"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"2024-03-15T24:30", "2024-03-15T10:61", "202403152500", "2024-02-30T10:00"})
    void parseDateTimeRefusesImpossibleTimes(String raw) {
        assertThatThrownBy(() -> DateNormalizer.parseDateTime(raw)).isInstanceOf(NormalizationException.class);
    }

    @Test
    void parseDateTimeRefusesADateWithoutTime() {
        assertThatThrownBy(() -> DateNormalizer.parseDateTime("2024-03-15"))
                .isInstanceOf(NormalizationException.class)
                .hasMessageStartingWith("date/time must be written");
    }

    @Test
    void toDateTimeTypeKeepsTheSourcePrecision() {
        assertThat(DateNormalizer.toDateTimeType("2024").getValueAsString()).isEqualTo("2024");
        assertThat(DateNormalizer.toDateTimeType("202403").getValueAsString()).isEqualTo("2024-03");
        assertThat(DateNormalizer.toDateTimeType("2024-03").getValueAsString()).isEqualTo("2024-03");
        assertThat(DateNormalizer.toDateTimeType("15/03/2024").getValueAsString())
                .isEqualTo("2024-03-15");
        assertThat(DateNormalizer.toDateTimeType("202403151030").getValueAsString())
                .isEqualTo("2024-03-15T10:30:00+05:00");
        assertThat(DateNormalizer.toDateTimeType("2024-03-15T10:30:00.250Z").getValueAsString())
                .isEqualTo("2024-03-15T10:30:00.250Z");
    }

    @Test
    void toDateTimeTypeRefusesMonth13EvenAtMonthPrecision() {
        assertThatThrownBy(() -> DateNormalizer.toDateTimeType("202413")).isInstanceOf(NormalizationException.class);
    }

    @Test
    void toDateTypeCutsATimestampToItsWrittenDate() {
        assertThat(DateNormalizer.toDateType("198503150200").getValueAsString()).isEqualTo("1985-03-15");
        assertThat(DateNormalizer.toDateType("1985").getValueAsString()).isEqualTo("1985");
    }
}
