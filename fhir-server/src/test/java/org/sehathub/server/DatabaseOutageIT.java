package org.sehathub.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.hl7.fhir.r4.model.Bundle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * "AA means committed" through a database outage: PostgreSQL is stopped in the middle of an MLLP
 * stream and started again. Nothing is acknowledged AA while it is down, the server stays up and
 * recovers by itself, resent messages are then stored, and in the end every message is stored
 * exactly once with nothing half-stored.
 */
class DatabaseOutageIT {

    private static final int MESSAGES = 18;

    @TempDir
    Path postgresData;

    @TempDir
    Path dataDir;

    @Test
    void acknowledgedMessagesAreStoredExactlyOnceAcrossADatabaseOutage() throws IOException {
        int postgresPort = Integer.parseInt(TestDatabases.freePort());
        String family = "Outage" + UUID.randomUUID().toString().substring(0, 8).replace("-", "");
        EmbeddedPostgres postgres = startPostgres(postgresPort);
        Map<String, String> settings =
                new HashMap<>(RunningServer.postgres(postgres.getJdbcUrl("postgres", "postgres"), dataDir.toString()));
        // Fail fast while the database is down instead of holding each sender for Hikari's default 30 s.
        settings.put("spring.datasource.hikari.connection-timeout", "2000");
        settings.put("spring.datasource.hikari.validation-timeout", "1000");

        List<String> acknowledged = new ArrayList<>();
        List<String> refused = new ArrayList<>();
        Map<String, String> messages = new HashMap<>();
        try (RunningServer server = RunningServer.start(settings, "postgres")) {
            int mllpPort = server.mllpPort();
            try (MllpTestClient mllp = new MllpTestClient(mllpPort)) {
                for (int i = 0; i < MESSAGES; i++) {
                    if (i == MESSAGES / 3) {
                        postgres.close();
                    }
                    if (i == 2 * MESSAGES / 3) {
                        postgres = startPostgres(postgresPort);
                    }
                    boolean databaseDown = i >= MESSAGES / 3 && i < 2 * MESSAGES / 3;
                    String controlId = "OUT-" + i + "-" + UUID.randomUUID();
                    String message = labResult(family, i, controlId);
                    messages.put(controlId, message);
                    String ack = sendUntilAnswered(mllp, mllpPort, message);
                    String code = MllpTestClient.ackCode(ack);
                    if (databaseDown) {
                        assertThat(code)
                                .as("message %d while the database is down", i)
                                .isNotEqualTo("AA");
                    }
                    (code.equals("AA") ? acknowledged : refused).add(controlId);
                }
            }
            assertThat(refused).hasSizeGreaterThanOrEqualTo(MESSAGES / 3);

            await().atMost(Duration.ofSeconds(60))
                    .until(() -> server.client().get("/actuator/health").statusCode() == 200);
            try (MllpTestClient mllp = new MllpTestClient(mllpPort)) {
                for (String controlId : refused) {
                    assertThat(MllpTestClient.ackCode(mllp.send(messages.get(controlId))))
                            .as("resend " + controlId)
                            .isEqualTo("AA");
                }
                for (String controlId : acknowledged) {
                    assertThat(MllpTestClient.ackCode(mllp.send(messages.get(controlId))))
                            .as("resend " + controlId)
                            .isEqualTo("AA");
                }
            }

            assertThat(count(server, "Patient?family=" + family)).isEqualTo(MESSAGES);
            assertThat(count(server, "Observation?subject.family=" + family)).isEqualTo(MESSAGES);
            assertThat(count(server, "DiagnosticReport?subject.family=" + family))
                    .isEqualTo(MESSAGES);
        } finally {
            postgres.close();
        }
    }

    /**
     * While PostgreSQL is down the sender may also see its connection dropped by the server; a real
     * sender then reconnects and resends, and so does this one.
     */
    private static String sendUntilAnswered(MllpTestClient mllp, int port, String message) {
        try {
            return mllp.send(message);
        } catch (RuntimeException e) {
            try (MllpTestClient again = new MllpTestClient(port)) {
                return again.send(message);
            }
        }
    }

    private EmbeddedPostgres startPostgres(int port) throws IOException {
        return EmbeddedPostgres.builder()
                .setDataDirectory(postgresData)
                .setCleanDataDirectory(false)
                .setPort(port)
                .setServerConfig("synchronous_commit", "on")
                .start();
    }

    private static int count(RunningServer server, String query) {
        return server.client()
                .fhir()
                .search()
                .byUrl(server.client().fhirBase() + "/" + query + "&_summary=count")
                .returnBundle(Bundle.class)
                .execute()
                .getTotal();
    }

    /** One patient per message (own MRN), one result each: counts show exactly-once per message. */
    private static String labResult(String family, int i, String controlId) {
        String mrn = family + "-" + i;
        return String.join(
                "\r",
                "MSH|^~\\&|PIMS-LIS|PIMS Islamabad|SEHATHUB|SEHATHUB|20240316090000+0500||ORU^R01^ORU_R01|" + controlId
                        + "|P|2.5",
                "PID|1||" + mrn + "^^^PIMS Islamabad^MR||" + family + "^Sana||19880101|F",
                "OBR|1|ORD-" + controlId + "|FIL-" + controlId + "|4548-4^HbA1c^LN|||20240316083000+0500",
                "OBX|1|NM|4548-4^HbA1c^LN||7.2|%|4-5.6|H|||F|||20240316083000+0500");
    }
}
