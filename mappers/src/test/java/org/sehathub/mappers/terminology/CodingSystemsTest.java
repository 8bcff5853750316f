package org.sehathub.mappers.terminology;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class CodingSystemsTest {

    @ParameterizedTest
    @CsvSource({
        "LN,http://loinc.org",
        "ln,http://loinc.org",
        "I10,http://hl7.org/fhir/sid/icd-10",
        "ICD10,http://hl7.org/fhir/sid/icd-10",
        "CVX,http://hl7.org/fhir/sid/cvx",
        "SCT,http://snomed.info/sct",
        "SNM,http://snomed.info/sct",
        "UCUM,http://unitsofmeasure.org",
        "HL70001,http://terminology.hl7.org/CodeSystem/v2-0001",
        "HL70078,http://terminology.hl7.org/CodeSystem/v2-0078"
    })
    void mapsHl7CodingSystemNamesToFhirUris(String name, String uri) {
        assertThat(CodingSystems.uriFor(name)).contains(uri);
    }

    @ParameterizedTest
    @ValueSource(strings = {"L", "99ZZZ", "LOCAL", ""})
    void knowsNoUriForLocalNames(String name) {
        assertThat(CodingSystems.uriFor(name)).isEmpty();
    }
}
