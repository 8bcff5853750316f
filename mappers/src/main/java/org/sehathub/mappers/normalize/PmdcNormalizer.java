package org.sehathub.mappers.normalize;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * PMDC (Pakistan Medical and Dental Council) registration numbers: digits and an optional letter
 * suffix for the register ({@code 12345-P}, {@code 4321-D}), written with varying case and spacing.
 * Canonical form: upper case, no spaces, the suffix after a hyphen.
 */
public final class PmdcNormalizer {

    private static final Pattern FORMAT = Pattern.compile("(\\d{1,7})[-/ ]*([A-Z]{0,3})");

    private PmdcNormalizer() {}

    /**
     * The canonical registration number.
     *
     * @throws NormalizationException when empty or not digits with an optional letter suffix
     */
    public static String normalize(String raw) {
        if (raw == null || raw.isBlank()) {
            throw new NormalizationException("PMDC registration number is empty");
        }
        var matcher = FORMAT.matcher(raw.strip().toUpperCase(Locale.ROOT));
        if (!matcher.matches()) {
            throw new NormalizationException(
                    "PMDC registration number must be digits with an optional letter suffix, e.g. 12345-P");
        }
        return matcher.group(2).isEmpty() ? matcher.group(1) : matcher.group(1) + "-" + matcher.group(2);
    }
}
