package org.sehathub.mappers.terminology;

import static org.assertj.core.api.Assertions.assertThat;

import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.junit.jupiter.api.Test;

class TerminologyMapsTest {

  private static final TerminologyMaps MAPS = TerminologyMaps.loadDefault();

  @Test
  void translatesALocalLabCodeToLoincIgnoringCase() {
    Coding coding = MAPS.translate(TerminologyMaps.LAB_TO_LOINC, " hb ").orElseThrow();
    assertThat(coding.getSystem()).isEqualTo("http://loinc.org");
    assertThat(coding.getCode()).isEqualTo("718-7");
  }

  @Test
  void enrichKeepsTheLocalCodingAndAddsTheStandardOne() {
    CodeableConcept concept =
        new CodeableConcept(new Coding("https://fhir.sehathub.pk/CodeSystem/local/mayo", "TYPHOID", "Typhoid"));
    MAPS.enrich(concept, TerminologyMaps.DIAGNOSIS_TO_ICD10);
    assertThat(concept.getCoding()).extracting(Coding::getCode).containsExactly("TYPHOID", "A01.0");
  }
}
