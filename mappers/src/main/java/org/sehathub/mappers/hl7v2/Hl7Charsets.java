package org.sehathub.mappers.hl7v2;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * HL7 table 0211 (MSH-18 character sets) to Java charsets, and a way to read MSH-18 before the
 * message has been decoded or parsed.
 */
final class Hl7Charsets {

    /** What the hub assumes when MSH-18 is empty: the senders we know all write UTF-8. */
    static final Charset DEFAULT = StandardCharsets.UTF_8;

    private static final Map<String, String> TABLE_0211 = Map.ofEntries(
            Map.entry("ASCII", "US-ASCII"),
            Map.entry("ISO IR6", "US-ASCII"),
            Map.entry("8859/1", "ISO-8859-1"),
            Map.entry("ISO IR100", "ISO-8859-1"),
            Map.entry("8859/2", "ISO-8859-2"),
            Map.entry("8859/3", "ISO-8859-3"),
            Map.entry("8859/4", "ISO-8859-4"),
            Map.entry("8859/5", "ISO-8859-5"),
            Map.entry("8859/6", "ISO-8859-6"),
            Map.entry("8859/7", "ISO-8859-7"),
            Map.entry("8859/8", "ISO-8859-8"),
            Map.entry("8859/9", "ISO-8859-9"),
            Map.entry("8859/15", "ISO-8859-15"),
            Map.entry("UNICODE UTF-8", "UTF-8"),
            Map.entry("ISO IR192", "UTF-8"),
            Map.entry("UNICODE UTF-16", "UTF-16"),
            Map.entry("UNICODE", "UTF-16"),
            Map.entry("UNICODE UTF-32", "UTF-32"),
            Map.entry("GB 18030-2000", "GB18030"),
            Map.entry("BIG-5", "Big5"),
            Map.entry("KS X 1001", "EUC-KR"),
            Map.entry("ISO IR87", "ISO-2022-JP"),
            // Not in table 0211 but written by real senders; harmless to accept.
            Map.entry("UTF-8", "UTF-8"),
            Map.entry("UTF8", "UTF-8"));

    private Hl7Charsets() {}

    /**
     * The charset named by an MSH-18 value, or empty when the name is not one we can decode.
     *
     * @param msh18 the first repetition of MSH-18, e.g. {@code UNICODE UTF-8}
     */
    static Optional<Charset> forName(String msh18) {
        if (msh18 == null || msh18.isBlank()) {
            return Optional.of(DEFAULT);
        }
        String java = TABLE_0211.get(msh18.strip().toUpperCase(Locale.ROOT));
        return java == null ? Optional.empty() : Optional.of(Charset.forName(java));
    }

    /** UTF-16 or UTF-32: characters of two or four bytes, which MLLP's single-byte framing does not carry. */
    static boolean isMultiByte(Charset charset) {
        return charset.name().startsWith("UTF-16") || charset.name().startsWith("UTF-32");
    }

    /**
     * MSH-18 (first repetition) read straight from the header of a message, or an empty string when
     * absent. Works on text decoded with any ASCII-compatible charset, since the MSH fields before
     * MSH-18 are ASCII by the standard.
     */
    static String msh18(String text) {
        int start = text.indexOf("MSH");
        if (start < 0 || text.length() < start + 8) {
            return "";
        }
        char fieldSep = text.charAt(start + 3);
        char repSep = text.charAt(start + 5);
        int end = start;
        while (end < text.length() && text.charAt(end) != '\r' && text.charAt(end) != '\n') {
            end++;
        }
        String[] fields = text.substring(start, end).split(java.util.regex.Pattern.quote(String.valueOf(fieldSep)), -1);
        return msh18(fields, repSep);
    }

    /**
     * MSH-18 (first repetition) of an MSH already split on its field separator ({@code fields[0]}
     * is "MSH" and MSH-1 the separator itself, so MSH-n is {@code fields[n - 1]}); empty when absent.
     */
    static String msh18(String[] fields, char repetitionSeparator) {
        if (fields.length < 18) {
            return "";
        }
        String value = fields[17];
        int rep = value.indexOf(repetitionSeparator);
        return (rep >= 0 ? value.substring(0, rep) : value).strip();
    }
}
