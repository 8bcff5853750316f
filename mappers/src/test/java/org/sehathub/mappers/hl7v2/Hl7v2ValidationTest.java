package org.sehathub.mappers.hl7v2;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Date;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Provenance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.sehathub.mappers.FhirTestSupport;

/**
 * Every golden HL7 v2 output passes HAPI's validator against base R4. The validator set-up is
 * the shared one in {@link FhirTestSupport}: unknown external code systems (LOINC, ICD-10, CVX,
 * our facility-local code systems) are warnings, every other error fails.
 */
class Hl7v2ValidationTest {

    static Stream<Path> goldenOutputs() throws IOException {
        try (Stream<Path> files = Files.walk(Hl7v2GoldenTest.ROOT)) {
            return files
                    .filter(p -> p.toString().endsWith(".expected.json"))
                    .sorted()
                    .collect(Collectors.toList())
                    .stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("goldenOutputs")
    void goldenOutputIsValidR4(Path expected) {
        Bundle bundle =
                FhirTestSupport.FHIR.newJsonParser().parseResource(Bundle.class, FhirTestSupport.readString(expected));
        // Golden files leave out Provenance.recorded (time of the run); put a value back for FHIR.
        bundle.getEntry().stream()
                .filter(e -> e.getResource() instanceof Provenance p && !p.hasRecorded())
                .forEach(e -> ((Provenance) e.getResource()).setRecorded(Date.from(Hl7v2GoldenTest.CLOCK.instant())));
        List<String> errors = FhirTestSupport.validationErrors(bundle);
        assertThat(errors).as("validation errors in %s", expected).isEmpty();
    }
}
