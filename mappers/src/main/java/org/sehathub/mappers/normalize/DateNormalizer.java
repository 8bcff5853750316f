package org.sehathub.mappers.normalize;

import java.time.Clock;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DateType;

/**
 * Dates and timestamps from every source. A timestamp without an offset is Pakistan Standard Time
 * (UTC+05:00, no daylight saving). Parsing is strict: 30 February or month 13 is an error, never
 * rolled over to a neighbouring date; {@code 03/15/2024} (month first) is refused as month 15
 * rather than guessed.
 *
 * <p>Accepted dates: ISO {@code yyyy-MM-dd}, {@code dd/MM/yyyy} (also {@code d/M/yyyy}),
 * {@code dd-MM-yyyy}, HL7 {@code yyyyMMdd}. Accepted timestamps: ISO {@code yyyy-MM-ddTHH:mm[:ss[.f]]}
 * with or without an offset ({@code Z}, {@code +05:00}), a space instead of {@code T}, the
 * {@code dd/MM/yyyy HH:mm[:ss]} spreadsheet form and HL7 DTM {@code yyyyMMddHHmm[ss[.SSSS]][+/-ZZZZ]}.
 * Reasons never repeat the value itself, since dates of birth are personal data.
 */
public final class DateNormalizer {

    /** Pakistan Standard Time. */
    public static final ZoneOffset PAKISTAN = ZoneOffset.ofHours(5);

    /** Oldest birth year we accept; anything earlier is a typing error, not a patient. */
    private static final int EARLIEST_BIRTH_YEAR = 1890;

    private static final Pattern ISO_DATE = Pattern.compile("(\\d{4})-(\\d{2})-(\\d{2})");
    private static final Pattern DMY_DATE = Pattern.compile("(\\d{1,2})[/-](\\d{1,2})[/-](\\d{4})");
    private static final Pattern HL7_DATE = Pattern.compile("(\\d{4})(\\d{2})(\\d{2})");
    private static final Pattern ISO_YEAR = Pattern.compile("(\\d{4})");
    private static final Pattern ISO_MONTH = Pattern.compile("(\\d{4})-(\\d{2})");
    private static final Pattern HL7_MONTH = Pattern.compile("(\\d{4})(\\d{2})");

    /** ISO date and time; seconds, fraction and offset optional; {@code T} or a space. */
    private static final Pattern ISO_DATE_TIME =
            Pattern.compile("(\\d{4})-(\\d{2})-(\\d{2})[T ](\\d{2}):(\\d{2})(?::(\\d{2})(?:\\.(\\d{1,9}))?)?"
                    + "(Z|[+-]\\d{2}:?\\d{2})?");

    /** Spreadsheet form {@code dd/MM/yyyy HH:mm[:ss]}, always local (Pakistan) time. */
    private static final Pattern DMY_DATE_TIME =
            Pattern.compile("(\\d{1,2})[/-](\\d{1,2})[/-](\\d{4})[ T](\\d{1,2}):(\\d{2})(?::(\\d{2}))?");

    /** HL7 DTM with at least minutes: {@code yyyyMMddHHmm[ss[.S{1,4}]][+/-ZZZZ]}. */
    private static final Pattern HL7_DATE_TIME =
            Pattern.compile("(\\d{4})(\\d{2})(\\d{2})(\\d{2})(\\d{2})(?:(\\d{2})(?:\\.(\\d{1,4}))?)?([+-]\\d{4})?");

    /** HL7 DTM with hours only ({@code yyyyMMddHH}); rare, read as minute 00. */
    private static final Pattern HL7_DATE_HOUR = Pattern.compile("(\\d{4})(\\d{2})(\\d{2})(\\d{2})([+-]\\d{4})?");

    private DateNormalizer() {}

    /**
     * A calendar date.
     *
     * @throws NormalizationException when empty, in no accepted format or not a real date
     */
    public static LocalDate parseDate(String raw) {
        String value = requireValue(raw, "date");
        Matcher m;
        if ((m = ISO_DATE.matcher(value)).matches() || (m = HL7_DATE.matcher(value)).matches()) {
            return date(m.group(1), m.group(2), m.group(3));
        }
        if ((m = DMY_DATE.matcher(value)).matches()) {
            return date(m.group(3), m.group(2), m.group(1));
        }
        throw new NormalizationException("date must be written yyyy-MM-dd, dd/MM/yyyy or yyyyMMdd");
    }

    /**
     * A date of birth: a {@link #parseDate(String) date} that is not after today in Pakistan and not
     * before 1890.
     */
    public static LocalDate parseBirthDate(String raw, Clock clock) {
        LocalDate date = parseDate(raw);
        checkBirthDate(date, clock);
        return date;
    }

    /**
     * Like {@link #parseBirthDate} but keeps the source precision (a birth year alone stays a year).
     */
    public static DateType toBirthDateType(String raw, Clock clock) {
        DateType date = toDateType(raw);
        LocalDate earliestDay = LocalDate.of(date.getYear(), date.getMonth() + 1, date.getDay());
        checkBirthDate(earliestDay, clock);
        return date;
    }

    private static void checkBirthDate(LocalDate date, Clock clock) {
        LocalDate today = LocalDate.now(clock.withZone(PAKISTAN));
        if (date.isAfter(today)) {
            throw new NormalizationException("birth date is in the future");
        }
        if (date.getYear() < EARLIEST_BIRTH_YEAR) {
            throw new NormalizationException("birth date is before " + EARLIEST_BIRTH_YEAR);
        }
    }

    /**
     * A point in time. Without an offset it is Pakistan time (+05:00).
     *
     * @throws NormalizationException when empty, in no accepted format, or not a real date/time
     */
    public static OffsetDateTime parseDateTime(String raw) {
        return parseTimestamp(raw).dateTime;
    }

    /**
     * A FHIR dateTime keeping the precision of the source: {@code 2024} stays a year, {@code 202403}
     * or {@code 2024-03} a month, a date a day; a timestamp becomes seconds (FHIR has no minute
     * precision) or milliseconds when the source had a fraction.
     */
    public static DateTimeType toDateTimeType(String raw) {
        String value = requireValue(raw, "date/time");
        Matcher m;
        if ((m = ISO_YEAR.matcher(value)).matches()) {
            date(m.group(1), "01", "01");
            return new DateTimeType(value);
        }
        if ((m = ISO_MONTH.matcher(value)).matches() || (m = HL7_MONTH.matcher(value)).matches()) {
            date(m.group(1), m.group(2), "01");
            return new DateTimeType(m.group(1) + "-" + m.group(2));
        }
        if (ISO_DATE.matcher(value).matches()
                || HL7_DATE.matcher(value).matches()
                || DMY_DATE.matcher(value).matches()) {
            return new DateTimeType(parseDate(value).toString());
        }
        Timestamp timestamp = parseTimestamp(value);
        DateTimeFormatter format = timestamp.hasFraction
                ? DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSXXX")
                : DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ssXXX");
        return new DateTimeType(timestamp.dateTime.format(format));
    }

    /**
     * A FHIR date keeping the precision of the source (year, month or day). A timestamp is cut to
     * its date as written (no time-zone shift: a birth recorded at 02:00 on 15 March is born on 15
     * March).
     */
    public static DateType toDateType(String raw) {
        String value = requireValue(raw, "date");
        Matcher m;
        if ((m = ISO_YEAR.matcher(value)).matches()) {
            date(m.group(1), "01", "01");
            return new DateType(value);
        }
        if ((m = ISO_MONTH.matcher(value)).matches() || (m = HL7_MONTH.matcher(value)).matches()) {
            date(m.group(1), m.group(2), "01");
            return new DateType(m.group(1) + "-" + m.group(2));
        }
        if (ISO_DATE.matcher(value).matches()
                || HL7_DATE.matcher(value).matches()
                || DMY_DATE.matcher(value).matches()) {
            return new DateType(parseDate(value).toString());
        }
        return new DateType(parseTimestamp(value).dateTime.toLocalDate().toString());
    }

    /**
     * True when the earliest moment a FHIR date or dateTime can denote is after today in Pakistan
     * ({@code 2030} is in the future from any day of 2029; {@code 2024-03-15T23:00:00+05:00} is not
     * on 15 March).
     */
    public static boolean isAfterToday(org.hl7.fhir.r4.model.BaseDateTimeType value, Clock clock) {
        String text = value.getValueAsString();
        LocalDate today = LocalDate.now(clock.withZone(PAKISTAN));
        int year = Integer.parseInt(text.substring(0, 4));
        int month = text.length() >= 7 ? Integer.parseInt(text.substring(5, 7)) : 1;
        int day = text.length() >= 10 ? Integer.parseInt(text.substring(8, 10)) : 1;
        return LocalDate.of(year, month, day).isAfter(today);
    }

    private record Timestamp(OffsetDateTime dateTime, boolean hasFraction) {}

    private static Timestamp parseTimestamp(String raw) {
        String value = requireValue(raw, "date/time");
        Matcher m;
        if ((m = ISO_DATE_TIME.matcher(value)).matches()) {
            LocalDate date = date(m.group(1), m.group(2), m.group(3));
            LocalTime time = time(m.group(4), m.group(5), m.group(6), m.group(7));
            return new Timestamp(LocalDateTime.of(date, time).atOffset(offset(m.group(8))), m.group(7) != null);
        }
        if ((m = DMY_DATE_TIME.matcher(value)).matches()) {
            LocalDate date = date(m.group(3), m.group(2), m.group(1));
            LocalTime time = time(m.group(4), m.group(5), m.group(6), null);
            return new Timestamp(LocalDateTime.of(date, time).atOffset(PAKISTAN), false);
        }
        if ((m = HL7_DATE_TIME.matcher(value)).matches()) {
            LocalDate date = date(m.group(1), m.group(2), m.group(3));
            LocalTime time = time(m.group(4), m.group(5), m.group(6), m.group(7));
            return new Timestamp(LocalDateTime.of(date, time).atOffset(offset(m.group(8))), m.group(7) != null);
        }
        if ((m = HL7_DATE_HOUR.matcher(value)).matches()) {
            LocalDate date = date(m.group(1), m.group(2), m.group(3));
            LocalTime time = time(m.group(4), "00", null, null);
            return new Timestamp(LocalDateTime.of(date, time).atOffset(offset(m.group(5))), false);
        }
        throw new NormalizationException(
                "date/time must be written yyyy-MM-ddTHH:mm[:ss][+05:00], dd/MM/yyyy HH:mm or HL7"
                        + " yyyyMMddHHmm[ss][+0500]");
    }

    private static String requireValue(String raw, String what) {
        if (raw == null || raw.isBlank()) {
            throw new NormalizationException(what + " is empty");
        }
        return raw.strip();
    }

    private static LocalDate date(String year, String month, String day) {
        try {
            return LocalDate.of(Integer.parseInt(year), Integer.parseInt(month), Integer.parseInt(day));
        } catch (DateTimeException e) {
            throw new NormalizationException("not a real calendar date: " + e.getMessage(), e);
        }
    }

    private static LocalTime time(String hour, String minute, String second, String fraction) {
        try {
            int nanos = 0;
            if (fraction != null) {
                nanos = Integer.parseInt((fraction + "000000000").substring(0, 9));
            }
            return LocalTime.of(
                    Integer.parseInt(hour),
                    Integer.parseInt(minute),
                    second == null ? 0 : Integer.parseInt(second),
                    nanos);
        } catch (DateTimeException e) {
            throw new NormalizationException("not a real time of day: " + e.getMessage(), e);
        }
    }

    private static ZoneOffset offset(String raw) {
        if (raw == null) {
            return PAKISTAN;
        }
        if (raw.equals("Z")) {
            return ZoneOffset.UTC;
        }
        String digits = raw.replace(":", "");
        try {
            return ZoneOffset.ofHoursMinutes(
                    Integer.parseInt(digits.substring(0, 3)),
                    Integer.parseInt(digits.charAt(0) + digits.substring(3, 5)));
        } catch (DateTimeException e) {
            throw new NormalizationException("not a valid UTC offset: " + e.getMessage(), e);
        }
    }
}
