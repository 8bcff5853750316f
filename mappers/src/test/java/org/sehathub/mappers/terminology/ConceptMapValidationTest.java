package org.sehathub.mappers.terminology;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.validation.ResultSeverityEnum;
import java.util.List;
import org.hl7.fhir.r4.model.ConceptMap;
import org.junit.jupiter.api.Test;
import org.sehathub.mappers.FhirTestSupport;

/** The ConceptMaps the server will load must be valid R4 resources. */
class ConceptMapValidationTest {

    @Test
    void everyExportedConceptMapPassesTheR4Validator() {
        List<ConceptMap> conceptMaps = TerminologyMaps.loadDefault().toConceptMaps();
        assertThat(conceptMaps).hasSize(3);
        for (ConceptMap conceptMap : conceptMaps) {
            List<String> errors = FhirTestSupport.validator().validateWithResult(conceptMap).getMessages().stream()
                    .filter(m ->
                            m.getSeverity() == ResultSeverityEnum.ERROR || m.getSeverity() == ResultSeverityEnum.FATAL)
                    .map(m -> m.getLocationString() + ": " + m.getMessage())
                    .toList();
            assertThat(errors).as(conceptMap.getUrl()).isEmpty();
        }
    }
}
