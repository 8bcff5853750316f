package org.sehathub.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Narrative;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An online backup of the embedded default, taken while a client keeps writing, holds everything
 * acknowledged before it started and starts as a server of its own (PostgreSQL replays the WAL
 * copied with it), with nothing written after it finished; the full-text index, which a backup does
 * not carry, is rebuilt by itself.
 */
class OnlineBackupIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dataDir;

    @TempDir
    Path backupDir;

    @Test
    void backupTakenUnderWritesRestoresToAConsistentServer() throws Exception {
        String family = "Backup" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        List<IdType> beforeBackup = new ArrayList<>();
        List<IdType> duringBackup = new ArrayList<>();
        List<IdType> afterBackup = new ArrayList<>();
        JsonNode backup;
        try (RunningServer server = RunningServer.start(
                Map.of("sehat.data-dir", dataDir.toString(), "sehat.backup.dir", backupDir.toString()))) {
            FhirTestClient client = server.client();
            for (int i = 0; i < 20; i++) {
                beforeBackup.add(create(client, family, "before-" + i));
            }
            AtomicBoolean backingUp = new AtomicBoolean(true);
            CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
                int i = 0;
                while (backingUp.get()) {
                    duringBackup.add(create(client, family, "during-" + i++));
                }
            });
            HttpResponse<byte[]> taken =
                    client.send(HttpRequest.newBuilder().POST(HttpRequest.BodyPublishers.noBody()), "/admin/backups");
            backingUp.set(false);
            writer.get();
            assertThat(taken.statusCode()).as(new String(taken.body())).isEqualTo(201);
            backup = JSON.readTree(taken.body());
            for (int i = 0; i < 5; i++) {
                afterBackup.add(create(client, family, "after-" + i));
            }

            JsonNode listed = JSON.readTree(client.get("/admin/backups").body());
            assertThat(listed)
                    .extracting(JsonNode::asText)
                    .containsExactly(backup.get("name").asText());
        }

        Path restored = Path.of(backup.get("path").asText());
        assertThat(restored.getParent()).isEqualTo(backupDir);
        assertThat(restored.resolve("database/postgres/backup_label")).exists();
        assertThat(Files.list(restored.resolve("database/postgres/pg_wal")).filter(Files::isRegularFile))
                .isNotEmpty();
        assertThat(restored.resolve("database/postgres/postmaster.pid")).doesNotExist();

        try (RunningServer fromBackup = RunningServer.start(Map.of("sehat.data-dir", restored.toString()))) {
            FhirTestClient client = fromBackup.client();
            for (IdType id : beforeBackup) {
                assertThat(client.fhir()
                                .read()
                                .resource(Patient.class)
                                .withId(id.getIdPart())
                                .execute()
                                .getNameFirstRep()
                                .getFamily())
                        .isEqualTo(family);
            }
            int stored = count(client, "Patient?family=" + family);
            assertThat(stored)
                    .as("everything before the backup, part of what was written while it ran, nothing after it")
                    .isBetween(beforeBackup.size(), beforeBackup.size() + duringBackup.size());
            for (IdType id : afterBackup) {
                assertThat(count(client, "Patient?_id=" + id.getIdPart())).isZero();
            }
            await().atMost(Duration.ofMinutes(2))
                    .pollInterval(Duration.ofSeconds(1))
                    .untilAsserted(() -> {
                        assertThat(count(client, "Patient?_content=" + family))
                                .as("full-text index rebuilt")
                                .isEqualTo(stored);
                        assertThat(count(client, "Patient?_text=narrative" + family))
                                .as("narratives indexed")
                                .isEqualTo(stored);
                    });
            create(client, family, "restored-server-takes-writes");
            assertThat(count(client, "Patient?family=" + family)).isEqualTo(stored + 1);
        }
    }

    private static IdType create(FhirTestClient client, String family, String given) {
        Patient patient = new Patient();
        patient.addName().setFamily(family).addGiven(given);
        patient.getText()
                .setStatus(Narrative.NarrativeStatus.GENERATED)
                .setDivAsString("<div xmlns=\"http://www.w3.org/1999/xhtml\">narrative" + family + "</div>");
        return (IdType)
                client.fhir().create().resource(patient).execute().getId().toUnqualifiedVersionless();
    }

    private static int count(FhirTestClient client, String query) {
        return client.fhir()
                .search()
                .byUrl(client.fhirBase() + "/" + query + "&_summary=count")
                .returnBundle(Bundle.class)
                .execute()
                .getTotal();
    }
}
