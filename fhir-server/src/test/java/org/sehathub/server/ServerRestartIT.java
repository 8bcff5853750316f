package org.sehathub.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Narrative;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Data written before a restart is there after it: the rows in the database, their versions, and
 * the Lucene full-text index, on the embedded default and on PostgreSQL. A second server is not let
 * onto a data folder in use. Access tokens issued before a restart stay valid after it.
 */
class ServerRestartIT {

    private static final String MRN = "https://fhir.sehathub.pk/sid/mrn/restart-hospital";

    @TempDir
    Path dataDir;

    @Test
    void embeddedDefaultKeepsDataAcrossARestart() {
        Map<String, String> settings = Map.of("sehat.data-dir", dataDir.toString());
        Written written;
        String tokenFromBefore;
        try (RunningServer first = RunningServer.start(settings)) {
            written = write(first.client());
            tokenFromBefore = first.client().token();
            assertThatThrownBy(() -> RunningServer.start(settings))
                    .as("a second server on a data folder in use")
                    .hasStackTraceContaining("Another Sehat Hub process");
        }
        try (RunningServer second = RunningServer.start(settings)) {
            assertStillThere(second.client(), written);
            // The signing key is kept in the data folder: a token issued before the restart still works.
            FhirTestClient withOldToken = new FhirTestClient(second.client().port(), null, "");
            assertThat(withOldToken
                            .get(
                                    "/fhir/Patient/" + written.patient().getIdPart(),
                                    "Authorization",
                                    "Bearer " + tokenFromBefore)
                            .statusCode())
                    .isEqualTo(200);
        }
    }

    @Test
    void postgresKeepsDataAcrossARestart() {
        Map<String, String> settings = RunningServer.postgres(TestPostgres.newDatabase("restart"), dataDir.toString());
        Written written;
        try (RunningServer first = RunningServer.start(settings, "postgres")) {
            written = write(first.client());
        }
        try (RunningServer second = RunningServer.start(settings, "postgres")) {
            assertStillThere(second.client(), written);
        }
    }

    private record Written(IdType patient, IdType observation, String word) {}

    private static Written write(FhirTestClient server) {
        String word = "restartword" + System.nanoTime();
        Patient patient = AbstractFhirServerIT.patient("Parveen", "Shakir", "1952-11-24");
        patient.addIdentifier().setSystem(MRN).setValue("MRN-77");
        patient.getText()
                .setStatus(Narrative.NarrativeStatus.GENERATED)
                .setDivAsString("<div xmlns=\"http://www.w3.org/1999/xhtml\">" + word + "</div>");
        IdType patientId =
                (IdType) server.fhir().create().resource(patient).execute().getId();
        patient.setId(patientId.toUnqualifiedVersionless());
        patient.setBirthDate(null);
        server.fhir().update().resource(patient).execute();
        Observation observation = AbstractFhirServerIT.observation(patientId, "4548-4", "HbA1c", 7.1);
        IdType observationId =
                (IdType) server.fhir().create().resource(observation).execute().getId();
        return new Written(patientId.toUnqualifiedVersionless(), observationId.toUnqualifiedVersionless(), word);
    }

    private static void assertStillThere(FhirTestClient server, Written written) {
        Patient patient = server.fhir()
                .read()
                .resource(Patient.class)
                .withId(written.patient().getIdPart())
                .execute();
        assertThat(patient.getMeta().getVersionId()).isEqualTo("2");
        assertThat(patient.hasBirthDate()).isFalse();
        Patient version1 = server.fhir()
                .read()
                .resource(Patient.class)
                .withIdAndVersion(written.patient().getIdPart(), "1")
                .execute();
        assertThat(version1.getBirthDateElement().getValueAsString()).isEqualTo("1952-11-24");

        Bundle byIdentifier = server.fhir()
                .search()
                .byUrl(server.fhirBase() + "/Patient?identifier=" + MRN + "|MRN-77")
                .returnBundle(Bundle.class)
                .execute();
        assertThat(byIdentifier.getEntry()).hasSize(1);
        Bundle observations = server.fhir()
                .search()
                .byUrl(server.fhirBase() + "/Observation?subject="
                        + written.patient().getValue())
                .returnBundle(Bundle.class)
                .execute();
        assertThat(observations.getEntry())
                .extracting(e -> e.getResource().getIdElement().getIdPart())
                .containsExactly(written.observation().getIdPart());
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(server.fhir()
                                .search()
                                .byUrl(server.fhirBase() + "/Patient?_text=" + written.word())
                                .returnBundle(Bundle.class)
                                .execute()
                                .getEntry())
                        .hasSize(1));
    }
}
