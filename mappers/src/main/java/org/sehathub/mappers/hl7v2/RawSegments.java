package org.sehathub.mappers.hl7v2;

import ca.uhn.hl7v2.parser.EncodingCharacters;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The fields of each segment as written, independent of HAPI's v2.8 model.
 *
 * <p>Parsing an older message into the v2.8 structures drops the content of fields v2.8
 * withdrew (PID-19 where many Pakistani systems still send the CNIC, SCH-11 appointment
 * timing, DG1-4 description): HAPI types them as NULLDT. These are read from here instead, and
 * the check for fields we did not map looks here so it sees every field the sender filled.
 */
final class RawSegments {

    private final Map<String, List<String[]>> byName = new HashMap<>();
    private final EncodingCharacters encoding;
    private final Hl7Escaping escaping;

    RawSegments(String text, Hl7Escaping escaping) {
        this.escaping = escaping;
        char fieldSep = text.charAt(3);
        String encChars = text.substring(4, Math.min(text.length(), 8));
        int end = encChars.indexOf(fieldSep);
        this.encoding = new EncodingCharacters(fieldSep, end >= 0 ? encChars.substring(0, end) : encChars);
        for (String line : text.split("\r")) {
            if (line.length() < 3) {
                continue;
            }
            String[] fields = line.split(Pattern.quote(String.valueOf(fieldSep)), -1);
            String name = fields[0];
            if (name.equals("MSH")) {
                // MSH-1 is the field separator itself: shift so that index n is MSH-n.
                String[] shifted = new String[fields.length + 1];
                shifted[0] = name;
                shifted[1] = String.valueOf(fieldSep);
                System.arraycopy(fields, 1, shifted, 2, fields.length - 1);
                fields = shifted;
            }
            byName.computeIfAbsent(name, k -> new ArrayList<>()).add(fields);
        }
    }

    /** The raw (still escaped) text of field {@code field} of the segment, or empty. */
    String raw(SegmentRef ref, int field) {
        List<String[]> list = byName.get(ref.name());
        if (list == null || ref.occurrence() > list.size()) {
            return "";
        }
        String[] fields = list.get(ref.occurrence() - 1);
        return field < fields.length ? fields[field] : "";
    }

    /** Numbers of the fields that carry something, HL7 nulls ({@code ""}) excluded. */
    List<Integer> valuedFields(SegmentRef ref) {
        List<Integer> out = new ArrayList<>();
        List<String[]> list = byName.get(ref.name());
        if (list == null || ref.occurrence() > list.size()) {
            return out;
        }
        String[] fields = list.get(ref.occurrence() - 1);
        for (int i = 1; i < fields.length; i++) {
            String f = fields[i]
                    .replace(String.valueOf(encoding.getComponentSeparator()), "")
                    .replace(String.valueOf(encoding.getRepetitionSeparator()), "")
                    .replace(String.valueOf(encoding.getSubcomponentSeparator()), "")
                    .strip();
            if (!f.isEmpty() && !f.equals("\"\"")) {
                out.add(i);
            }
        }
        return out;
    }

    /**
     * Component {@code comp} (1-based) of the first repetition of a field, unescaped; null when
     * empty.
     */
    String component(SegmentRef ref, int field, int comp) {
        String raw = raw(ref, field);
        int rep = raw.indexOf(encoding.getRepetitionSeparator());
        if (rep >= 0) {
            raw = raw.substring(0, rep);
        }
        String[] comps = raw.split(Pattern.quote(String.valueOf(encoding.getComponentSeparator())), -1);
        if (comp > comps.length) {
            return null;
        }
        String value = comps[comp - 1];
        int sub = value.indexOf(encoding.getSubcomponentSeparator());
        if (sub >= 0) {
            value = value.substring(0, sub);
        }
        value = escaping.unescape(value, encoding).strip();
        return value.isEmpty() || value.equals("\"\"") ? null : value;
    }
}
