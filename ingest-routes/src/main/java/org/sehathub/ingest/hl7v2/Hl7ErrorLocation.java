package org.sehathub.ingest.hl7v2;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An issue location in the mappers' notation ({@code PID-7}, {@code PID-3[2].1}, {@code OBX[3]-5},
 * {@code ZPK[1]}, {@code MSH}) as the parts of an ERR-2 error location (ERL): segment id, segment
 * sequence, field position, field repetition, component.
 */
public record Hl7ErrorLocation(
        String segmentId, int segmentSequence, Integer fieldPosition, Integer fieldRepetition, Integer component) {

    private static final Pattern LOCATION =
            Pattern.compile("^([A-Z][A-Z0-9]{2})(?:\\[(\\d+)])?(?:-(\\d+)(?:\\[(\\d+)])?(?:\\.(\\d+))?)?$");

    /** The location's parts, or empty when it is not an HL7 location (e.g. {@code storage}). */
    public static Optional<Hl7ErrorLocation> parse(String location) {
        if (location == null) {
            return Optional.empty();
        }
        Matcher m = LOCATION.matcher(location.strip());
        if (!m.matches()) {
            return Optional.empty();
        }
        return Optional.of(new Hl7ErrorLocation(
                m.group(1),
                m.group(2) != null ? Integer.parseInt(m.group(2)) : 1,
                integer(m.group(3)),
                integer(m.group(4)),
                integer(m.group(5))));
    }

    /** True when the location is a whole segment (a missing PID, say), not one of its fields. */
    public boolean isSegment() {
        return fieldPosition == null;
    }

    private static Integer integer(String s) {
        return s != null ? Integer.valueOf(s) : null;
    }
}
