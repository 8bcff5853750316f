package org.sehathub.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ca.uhn.fhir.batch2.api.IJobMaintenanceService;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Quantity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A database written while every R4 search parameter was indexed (HAPI's way, or a Sehat Hub
 * before the promised list), opened by a server that keeps only the promised ones: a dropped
 * parameter is refused at once, and {@code $reindex} removes its rows while the kept parameters
 * still find the data. A type given full text later is found by {@code _content} once the index is
 * rebuilt.
 */
class PromisedSearchParametersOnPostgresIT {

    private static final String LOINC = "http://loinc.org";
    private static final String DROPPED_ROWS = "SELECT count(*) FROM hfj_spidx_token t"
            + " JOIN hfj_resource r ON r.res_id = t.res_id"
            + " WHERE r.res_type = 'Observation' AND r.fhir_id = ? AND t.sp_name IN ('combo-code', 'component-code')";

    @TempDir
    Path dataDir;

    @Test
    void reindexRemovesTheRowsOfParametersNoLongerPromised() {
        Map<String, String> settings = RunningServer.postgres(TestPostgres.newDatabase("promised"), dataDir.toString());
        Map<String, String> everyParameter = new HashMap<>(settings);
        everyParameter.put("sehat.fhir.index-only-promised-search-parameters", "false");
        IdType observation;
        try (RunningServer before = RunningServer.start(everyParameter, "postgres")) {
            observation = writeBloodPressure(before.client());
            assertThat(droppedRows(before, observation))
                    .as("rows HAPI writes for every parameter")
                    .isPositive();
            assertThat(ids(before.client(), "Observation?component-code=" + LOINC + "|8480-6"))
                    .containsExactly(observation.getValue());
        }
        try (RunningServer after = RunningServer.start(settings, "postgres")) {
            FhirTestClient server = after.client();
            assertThatThrownBy(() -> ids(server, "Observation?component-code=" + LOINC + "|8480-6"))
                    .isInstanceOf(InvalidRequestException.class)
                    .hasMessageContaining("Unknown search parameter \"component-code\"");
            assertThat(droppedRows(after, observation))
                    .as("left until a reindex")
                    .isPositive();

            server.fhir()
                    .operation()
                    .onServer()
                    .named("$reindex")
                    .withNoParameters(Parameters.class)
                    .execute();
            await().atMost(Duration.ofMinutes(2))
                    .pollInterval(Duration.ofSeconds(2))
                    .untilAsserted(() -> {
                        // The reindex job moves on at each maintenance pass (every minute unless asked).
                        after.bean(IJobMaintenanceService.class).forceMaintenancePass();
                        assertThat(droppedRows(after, observation)).isZero();
                    });
            assertThat(ids(server, "Observation?code=" + LOINC + "|85354-9&date=2026-03-04"))
                    .as("the promised parameters' rows are rebuilt, not lost")
                    .containsExactly(observation.getValue());
        }
    }

    @Test
    void aTypeGivenFullTextIsFoundOnceTheIndexIsRebuilt() throws IOException {
        Map<String, String> settings = RunningServer.postgres(TestPostgres.newDatabase("fulltext"), dataDir.toString());
        String word = "clinicword" + System.nanoTime();
        IdType clinic;
        try (RunningServer before = RunningServer.start(settings, "postgres")) {
            clinic = ((IdType) before.client()
                            .fhir()
                            .create()
                            .resource(new Organization().setName(word))
                            .execute()
                            .getId())
                    .toUnqualifiedVersionless();
        }
        // The operator's steps (docs/operations.md): add the type, delete the index, start.
        try (Stream<Path> index = Files.walk(dataDir.resolve("lucene"))) {
            index.sorted(Comparator.reverseOrder())
                    .forEach(path -> path.toFile().delete());
        }
        Map<String, String> withOrganizations = new HashMap<>(settings);
        withOrganizations.put("sehat.fhir.full-text-types", "Patient,Organization");
        try (RunningServer after = RunningServer.start(withOrganizations, "postgres")) {
            await().atMost(Duration.ofSeconds(60))
                    .untilAsserted(() -> assertThat(ids(after.client(), "Organization?_content=" + word))
                            .containsExactly(clinic.getValue()));
        }
    }

    private static IdType writeBloodPressure(FhirTestClient server) {
        IdType patient = (IdType) server.fhir()
                .create()
                .resource(TestPatients.atFacility(
                        AbstractFhirServerIT.patient("Naseem", "Akhtar", "1970-07-07"), "Civil Hospital Mithi"))
                .execute()
                .getId();
        Observation pressure = AbstractFhirServerIT.observation(patient, "85354-9", "Blood pressure panel", 0);
        pressure.setValue(null);
        pressure.setEffective(new DateTimeType("2026-03-04"));
        pressure.addComponent()
                .setValue(new Quantity(141).setCode("mm[Hg]"))
                .getCode()
                .addCoding()
                .setSystem(LOINC)
                .setCode("8480-6");
        return ((IdType) server.fhir().create().resource(pressure).execute().getId()).toUnqualifiedVersionless();
    }

    private static int droppedRows(RunningServer server, IdType observation) {
        return server.bean(JdbcTemplate.class).queryForObject(DROPPED_ROWS, Integer.class, observation.getIdPart());
    }

    private static List<String> ids(FhirTestClient server, String url) {
        return FhirTestClient.ids(server.fhir()
                .search()
                .byUrl(server.fhirBase() + "/" + url)
                .returnBundle(Bundle.class)
                .execute());
    }
}
