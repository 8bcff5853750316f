package org.sehathub.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With {@code sehat.fhir.auto-create-placeholder-references=true}, a reference to a resource that
 * does not exist yet creates an empty placeholder instead of being refused (the default refusal is
 * tested in {@link AbstractFhirServerIT#refusesAReferenceToAResourceThatDoesNotExist()}).
 */
class PlaceholderReferencesIT {

    @TempDir
    Path dataDir;

    @Test
    void createsAPlaceholderForAMissingTargetWhenConfigured() {
        Map<String, String> settings =
                Map.of("sehat.data-dir", dataDir.toString(), "sehat.fhir.auto-create-placeholder-references", "true");
        try (RunningServer server = RunningServer.start(settings)) {
            Observation early = AbstractFhirServerIT.observation(
                    new IdType("Patient", "arrives-later"), "718-7", "Hemoglobin", 12.5);

            IdType created = (IdType)
                    server.client().fhir().create().resource(early).execute().getId();

            assertThat(created.getIdPart()).isNotBlank();
            Patient placeholder = server.client()
                    .fhir()
                    .read()
                    .resource(Patient.class)
                    .withId("arrives-later")
                    .execute();
            assertThat(placeholder.hasName()).isFalse();
        }
    }
}
