package org.sehathub.mappers;

import static org.assertj.core.api.Assertions.assertThat;

import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Observation;
import org.junit.jupiter.api.Test;

/** The golden validation tests are only worth something if the validator does find errors. */
class ValidatorSanityTest {

    @Test
    void theValidatorReportsAnObservationWithoutStatusAsAnError() {
        Bundle bundle = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        bundle.addEntry()
                .setFullUrl("urn:uuid:0b7e2f6c-1111-4c1e-9a50-1c1e2d3f4a5b")
                .setResource(
                        new Observation().setCode(new CodeableConcept(new Coding("http://loinc.org", "718-7", null))))
                .getRequest()
                .setMethod(Bundle.HTTPVerb.POST)
                .setUrl("Observation");
        assertThat(FhirTestSupport.validationErrors(bundle)).anyMatch(e -> e.contains("status"));
    }

    @Test
    void theValidatorAcceptsLoincWithoutALoincServer() {
        Bundle bundle = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        bundle.addEntry()
                .setFullUrl("urn:uuid:0b7e2f6c-1111-4c1e-9a50-1c1e2d3f4a5b")
                .setResource(new Observation()
                        .setStatus(Observation.ObservationStatus.FINAL)
                        .setCode(new CodeableConcept(new Coding("http://loinc.org", "718-7", null))))
                .getRequest()
                .setMethod(Bundle.HTTPVerb.POST)
                .setUrl("Observation");
        assertThat(FhirTestSupport.validationErrors(bundle)).isEmpty();
    }
}
