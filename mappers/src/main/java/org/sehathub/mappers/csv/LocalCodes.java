package org.sehathub.mappers.csv;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.sehathub.mappers.NamingSystems;
import org.sehathub.mappers.normalize.NormalizationException;
import org.sehathub.mappers.terminology.TerminologyMaps;

/**
 * Codes written in a CSV cell: a code the shared table knows keeps its local coding in the
 * table's source system and gains the standard coding; a code the table does not know is kept in
 * the clinic's own local code system and reported as a warning.
 */
final class LocalCodes {

    private static final Pattern ICD10 = Pattern.compile("([A-Z]\\d{2})(?:\\.?([0-9A-Z]{1,4}))?");

    private LocalCodes() {}

    /**
     * A concept for a local code written in {@code column}: the local coding, plus the standard one
     * when the table has it. A code the table does not know, or knows without a target, is reported
     * as a warning on the row.
     */
    static CodeableConcept concept(
            String rawCode, String mapName, ClinicContext context, CsvRowReader row, String column) {
        TerminologyMaps.TerminologyMap map = context.terminology.map(mapName);
        String code = rawCode.strip().toUpperCase(Locale.ROOT);
        CodeableConcept concept = new CodeableConcept();
        Optional<TerminologyMaps.Entry> entry = map.lookup(code);
        if (entry.isPresent()) {
            concept.addCoding(new Coding(
                    map.sourceSystem(),
                    entry.get().sourceCode(),
                    emptyToNull(entry.get().sourceDisplay())));
            context.terminology.enrich(concept, mapName);
            if (concept.getCoding().size() == 1) {
                row.warning(
                        column,
                        "code " + code + " has no " + targetName(map) + " equivalent in " + mapName
                                + ".csv; kept as the local code only");
            }
        } else {
            concept.addCoding(new Coding(NamingSystems.localCodes(context.facility()), code, null));
            row.warning(
                    column,
                    "code " + code + " is not in " + mapName + ".csv; kept as a local code of " + context.facility());
        }
        return concept;
    }

    /**
     * An ICD-10 code in canonical form ({@code A01.0}); {@code a010} and {@code A01.0} are accepted.
     *
     * @throws NormalizationException when it does not look like an ICD-10 code
     */
    static String icd10(String raw) {
        Matcher m = ICD10.matcher(raw.strip().toUpperCase(Locale.ROOT));
        if (!m.matches()) {
            throw new NormalizationException(
                    "not an ICD-10 code (a letter, two digits and an optional .digit, e.g. A01.0)");
        }
        return m.group(2) == null ? m.group(1) : m.group(1) + "." + m.group(2);
    }

    private static String targetName(TerminologyMaps.TerminologyMap map) {
        return switch (map.targetSystem()) {
            case NamingSystems.LOINC -> "LOINC";
            case NamingSystems.ICD10 -> "ICD-10";
            case NamingSystems.CVX -> "CVX";
            default -> map.targetSystem();
        };
    }

    private static String emptyToNull(String value) {
        return value == null || value.isEmpty() ? null : value;
    }
}
