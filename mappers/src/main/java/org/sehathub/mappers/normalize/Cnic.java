package org.sehathub.mappers.normalize;

import java.util.Optional;
import java.util.regex.Pattern;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Enumerations.AdministrativeGender;
import org.hl7.fhir.r4.model.Identifier;
import org.sehathub.mappers.NamingSystems;

/**
 * A NADRA Computerised National Identity Card number (also the format of the B-form/CRC numbers
 * issued to children).
 *
 * <p>Thirteen digits {@code PPPPP-NNNNNNN-S}: the first digit is the province of issue (1 Khyber
 * Pakhtunkhwa, 2 FATA, 3 Punjab, 4 Sindh, 5 Balochistan, 6 Islamabad, 7 Gilgit-Baltistan), the
 * last digit is odd for men and even for women.
 *
 * @param canonical {@code XXXXX-XXXXXXX-X}
 * @param provinceDigit the first digit, 1-7
 * @param impliedSex the sex the last digit implies (male or female)
 */
public record Cnic(String canonical, int provinceDigit, AdministrativeGender impliedSex) {

    /** Digits in groups of 5, 7 and 1, separated by nothing, hyphens or spaces (consistently or not). */
    private static final Pattern GROUPED = Pattern.compile("\\d{5}[-\\s]*\\d{7}[-\\s]*\\d");

    private static final Pattern ALLOWED_CHARACTERS = Pattern.compile("[\\d\\-\\s]+");

    /**
     * Parses a CNIC written as {@code 3520245678912}, {@code 35202-4567891-2} or with spaces.
     *
     * @throws NormalizationException when it is empty, has characters other than digits, hyphens
     *     and spaces, does not have 13 digits, has separators in the wrong places, or starts with a
     *     digit that is no province code
     */
    public static Cnic parse(String raw) {
        if (raw == null || raw.isBlank()) {
            throw new NormalizationException("CNIC is empty");
        }
        String trimmed = raw.strip();
        if (!ALLOWED_CHARACTERS.matcher(trimmed).matches()) {
            throw new NormalizationException("CNIC may contain only digits, hyphens and spaces, e.g. 35202-4567891-2");
        }
        String digits = trimmed.replaceAll("\\D", "");
        if (digits.length() != 13) {
            throw new NormalizationException("CNIC must have 13 digits, found " + digits.length());
        }
        if (!GROUPED.matcher(trimmed).matches()) {
            throw new NormalizationException("CNIC separators must split it as XXXXX-XXXXXXX-X");
        }
        int province = digits.charAt(0) - '0';
        if (province < 1 || province > 7) {
            throw new NormalizationException("CNIC first digit " + province + " is not a province code (1-7)");
        }
        int last = digits.charAt(12) - '0';
        AdministrativeGender sex = last % 2 == 1 ? AdministrativeGender.MALE : AdministrativeGender.FEMALE;
        String canonical = digits.substring(0, 5) + "-" + digits.substring(5, 12) + "-" + digits.charAt(12);
        return new Cnic(canonical, province, sex);
    }

    /**
     * A warning text when the recorded sex disagrees with the one the last digit implies. Only male
     * and female can disagree; other, unknown or null never do. Never throws: a mismatch is a data
     * quality flag, not a reason to refuse the record.
     */
    public Optional<String> sexMismatch(AdministrativeGender recorded) {
        if (recorded != AdministrativeGender.MALE && recorded != AdministrativeGender.FEMALE) {
            return Optional.empty();
        }
        if (recorded == impliedSex) {
            return Optional.empty();
        }
        return Optional.of("CNIC last digit "
                + canonical.charAt(canonical.length() - 1)
                + " implies "
                + impliedSex.toCode()
                + " but the recorded sex is "
                + recorded.toCode());
    }

    /** The national identifier: system {@link NamingSystems#CNIC}, type NI, use official. */
    public Identifier toIdentifier() {
        return new Identifier()
                .setUse(Identifier.IdentifierUse.OFFICIAL)
                .setType(new CodeableConcept(new Coding(
                                "http://terminology.hl7.org/CodeSystem/v2-0203",
                                "NI",
                                "National unique individual identifier"))
                        .setText("CNIC"))
                .setSystem(NamingSystems.CNIC)
                .setValue(canonical);
    }
}
