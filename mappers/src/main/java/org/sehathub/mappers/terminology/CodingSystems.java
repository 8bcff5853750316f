package org.sehathub.mappers.terminology;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Coding-system names used in HL7 v2 (CWE/CE component 3 and 6, HL7 table 0396) to FHIR system
 * URIs, following the HL7 v2-to-FHIR guide's coding-system map.
 */
public final class CodingSystems {

    private static final Pattern HL7_TABLE = Pattern.compile("HL7(\\d{4})");

    private static final Map<String, String> URIS = Map.ofEntries(
            Map.entry("LN", "http://loinc.org"),
            Map.entry("LOINC", "http://loinc.org"),
            Map.entry("I10", "http://hl7.org/fhir/sid/icd-10"),
            Map.entry("ICD10", "http://hl7.org/fhir/sid/icd-10"),
            Map.entry("ICD-10", "http://hl7.org/fhir/sid/icd-10"),
            Map.entry("I10C", "http://hl7.org/fhir/sid/icd-10-cm"),
            Map.entry("ICD10CM", "http://hl7.org/fhir/sid/icd-10-cm"),
            Map.entry("I9", "http://hl7.org/fhir/sid/icd-9-cm"),
            Map.entry("I9C", "http://hl7.org/fhir/sid/icd-9-cm"),
            Map.entry("CVX", "http://hl7.org/fhir/sid/cvx"),
            Map.entry("MVX", "http://hl7.org/fhir/sid/mvx"),
            Map.entry("SCT", "http://snomed.info/sct"),
            Map.entry("SNM", "http://snomed.info/sct"),
            Map.entry("SNOMED", "http://snomed.info/sct"),
            Map.entry("SNOMEDCT", "http://snomed.info/sct"),
            Map.entry("UCUM", "http://unitsofmeasure.org"),
            Map.entry("ANS+", "http://unitsofmeasure.org"),
            Map.entry("RXNORM", "http://www.nlm.nih.gov/research/umls/rxnorm"),
            Map.entry("RXN", "http://www.nlm.nih.gov/research/umls/rxnorm"),
            Map.entry("NDC", "http://hl7.org/fhir/sid/ndc"),
            Map.entry("ATC", "http://www.whocc.no/atc"),
            Map.entry("WHOATC", "http://www.whocc.no/atc"),
            Map.entry("CPT", "http://www.ama-assn.org/go/cpt"),
            Map.entry("C4", "http://www.ama-assn.org/go/cpt"),
            Map.entry("ISO3166_1", "urn:iso:std:iso:3166"),
            Map.entry("ISO3166_2", "urn:iso:std:iso:3166:-2"),
            Map.entry("ISO+", "urn:iso:std:iso:11073:10101"));

    private CodingSystems() {}

    /**
     * The FHIR system URI for an HL7 v2 coding-system name ({@code LN}, {@code I10}, {@code CVX},
     * {@code SCT}, {@code UCUM}, {@code HL70001}...), case-insensitive; empty for local names such as
     * {@code L} or {@code 99ZZZ}, which callers scope to the sending facility.
     */
    public static Optional<String> uriFor(String hl7Name) {
        if (hl7Name == null || hl7Name.isBlank()) {
            return Optional.empty();
        }
        String key = hl7Name.strip().toUpperCase(Locale.ROOT);
        Matcher table = HL7_TABLE.matcher(key);
        if (table.matches()) {
            return Optional.of("http://terminology.hl7.org/CodeSystem/v2-" + table.group(1));
        }
        return Optional.ofNullable(URIS.get(key));
    }
}
