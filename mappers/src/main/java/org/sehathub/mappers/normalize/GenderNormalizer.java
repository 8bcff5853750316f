package org.sehathub.mappers.normalize;

import java.util.Locale;
import java.util.Map;
import org.hl7.fhir.r4.model.Enumerations.AdministrativeGender;

/**
 * Administrative sex from the spellings that reach us: HL7 table 0001 codes (M, F, O, U, A, N),
 * English words, Urdu words in Latin and Urdu script, and {@code X}, the NADRA marker for
 * transgender persons (administrative gender {@code other}).
 */
public final class GenderNormalizer {

    private static final Map<String, AdministrativeGender> VALUES = Map.ofEntries(
            Map.entry("m", AdministrativeGender.MALE),
            Map.entry("male", AdministrativeGender.MALE),
            Map.entry("man", AdministrativeGender.MALE),
            Map.entry("mard", AdministrativeGender.MALE),
            Map.entry("مرد", AdministrativeGender.MALE),
            Map.entry("f", AdministrativeGender.FEMALE),
            Map.entry("female", AdministrativeGender.FEMALE),
            Map.entry("woman", AdministrativeGender.FEMALE),
            Map.entry("aurat", AdministrativeGender.FEMALE),
            Map.entry("khatoon", AdministrativeGender.FEMALE),
            Map.entry("عورت", AdministrativeGender.FEMALE),
            Map.entry("o", AdministrativeGender.OTHER),
            Map.entry("other", AdministrativeGender.OTHER),
            Map.entry("x", AdministrativeGender.OTHER),
            Map.entry("transgender", AdministrativeGender.OTHER),
            Map.entry("khawaja sira", AdministrativeGender.OTHER),
            Map.entry("khwaja sira", AdministrativeGender.OTHER),
            // HL7 v2 table 0001: A ambiguous, N not applicable map to other (HL7 v2-to-FHIR ConceptMap).
            Map.entry("a", AdministrativeGender.OTHER),
            Map.entry("n", AdministrativeGender.OTHER),
            Map.entry("u", AdministrativeGender.UNKNOWN),
            Map.entry("unknown", AdministrativeGender.UNKNOWN));

    private GenderNormalizer() {}

    /**
     * The administrative gender, case-insensitive.
     *
     * @throws NormalizationException when empty or not one of the known spellings
     */
    public static AdministrativeGender parse(String raw) {
        if (raw == null || raw.isBlank()) {
            throw new NormalizationException("sex is empty");
        }
        String key = NameNormalizer.collapseWhitespace(raw).toLowerCase(Locale.ROOT);
        AdministrativeGender gender = VALUES.get(key);
        if (gender == null) {
            throw new NormalizationException(
                    "sex '" + raw.strip() + "' is not one of M, F, O, U, male, female, other, unknown");
        }
        return gender;
    }
}
