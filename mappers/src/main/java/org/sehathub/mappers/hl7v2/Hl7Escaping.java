package org.sehathub.mappers.hl7v2;

import ca.uhn.hl7v2.parser.DefaultEscaping;
import ca.uhn.hl7v2.parser.EncodingCharacters;
import ca.uhn.hl7v2.parser.Escaping;
import java.nio.charset.Charset;
import java.util.HexFormat;

/**
 * Decodes HL7 v2 escape sequences in one pass over each field value, as HAPI's parser hands them
 * over.
 *
 * <p>HAPI's {@link DefaultEscaping} decodes the delimiter escapes but leaves {@code \Xhh\} and the
 * formatting commands ({@code \.br\}) in the text, and because it has already turned {@code \E\}
 * into a backslash, a later pass could no longer tell an escaped literal {@code \E\X41\E\} from a
 * real hex escape. Doing everything in one left-to-right pass avoids that ambiguity.
 *
 * <ul>
 *   <li>{@code \F\ \S\ \T\ \R\ \E\ \P\}: the delimiter (and truncation) characters themselves;
 *   <li>{@code \Xhh..\}: the bytes, decoded in the message's MSH-18 character set;
 *   <li>{@code \.br\}, {@code \.sp\}, {@code \.spN\}, {@code \.ce\}: line breaks;
 *   <li>{@code \.skN\}: N spaces; {@code \H\ \N\ \.fi\ \.nf\ \.inN\ \.tiN\}: dropped (highlighting
 *       and layout have no place in FHIR strings);
 *   <li>anything else, such as character set switches {@code \C..\ \M..\} or local {@code \Z..\}
 *       escapes, is kept literally so nothing is lost silently.
 * </ul>
 */
final class Hl7Escaping implements Escaping {

    private static final Escaping ENCODER = new DefaultEscaping();

    private final Charset charset;

    Hl7Escaping(Charset charset) {
        this.charset = charset;
    }

    @Override
    public String escape(String text, EncodingCharacters encChars) {
        // Only used when HAPI encodes a message (e.g. for an ACK); HAPI's own rules are fine there.
        return ENCODER.escape(text, encChars);
    }

    @Override
    public String unescape(String text, EncodingCharacters encChars) {
        if (text == null) {
            return null;
        }
        char esc = encChars.getEscapeCharacter();
        if (text.indexOf(esc) < 0) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length());
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            int close = c == esc ? text.indexOf(esc, i + 1) : -1;
            if (close < 0) {
                out.append(c);
                i++;
                continue;
            }
            String body = text.substring(i + 1, close);
            String decoded = decode(body, encChars);
            if (decoded == null) {
                // Not an escape we know: keep the escape character and go on after it.
                out.append(c);
                i++;
            } else {
                out.append(decoded);
                i = close + 1;
            }
        }
        return out.toString();
    }

    private String decode(String body, EncodingCharacters enc) {
        switch (body) {
            case "F":
                return String.valueOf(enc.getFieldSeparator());
            case "S":
                return String.valueOf(enc.getComponentSeparator());
            case "T":
                return String.valueOf(enc.getSubcomponentSeparator());
            case "R":
                return String.valueOf(enc.getRepetitionSeparator());
            case "E":
                return String.valueOf(enc.getEscapeCharacter());
            case "P":
                return "#";
            case "H":
            case "N":
            case ".fi":
            case ".nf":
                return "";
            case ".br":
            case ".ce":
            case ".sp":
                return "\n";
            default:
                break;
        }
        if (body.length() > 1 && (body.charAt(0) == 'X' || body.charAt(0) == 'x')) {
            return hex(body.substring(1));
        }
        if (body.startsWith(".sp") && isInteger(body.substring(3))) {
            return "\n".repeat(Math.max(1, Integer.parseInt(body.substring(3))));
        }
        if (body.startsWith(".sk") && isInteger(body.substring(3))) {
            return " ".repeat(Math.max(0, Integer.parseInt(body.substring(3))));
        }
        if ((body.startsWith(".in") || body.startsWith(".ti")) && isSignedInteger(body.substring(3))) {
            return "";
        }
        return null;
    }

    private String hex(String digits) {
        if (digits.length() % 2 != 0 || !digits.chars().allMatch(ch -> Character.digit(ch, 16) >= 0)) {
            return null;
        }
        return new String(HexFormat.of().parseHex(digits), charset);
    }

    private static boolean isInteger(String s) {
        return !s.isEmpty() && s.length() < 4 && s.chars().allMatch(Character::isDigit);
    }

    private static boolean isSignedInteger(String s) {
        return isInteger(s.startsWith("+") || s.startsWith("-") ? s.substring(1) : s);
    }
}
