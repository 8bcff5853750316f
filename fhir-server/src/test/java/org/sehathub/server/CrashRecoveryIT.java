package org.sehathub.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.hl7.fhir.r4.model.Bundle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Nothing acknowledged is lost by a {@code kill -9}: the packaged jar runs as its own process, is
 * killed while a sender is streaming, and is started again on the same data; every message that got
 * AA before the kill is there, and resending everything stores each message exactly once. On an
 * external PostgreSQL, and on the embedded default both when only the server is killed (its
 * PostgreSQL is left running and the restart shuts it down) and when its PostgreSQL is killed too
 * (the restart goes through PostgreSQL's crash recovery).
 */
class CrashRecoveryIT {

    private static final Path START_SCRIPT = Path.of("target", "sehat-hub");

    @TempDir
    Path dataDir;

    @Test
    void acknowledgedMessagesSurviveAKillNineOnPostgres() throws Exception {
        String database = TestPostgres.newDatabase("crash");
        acknowledgedMessagesSurviveAKillNine(
                Map.of(
                        "SPRING_PROFILES_ACTIVE", "postgres",
                        "SEHAT_DB_URL", database,
                        "SEHAT_DB_USER", "postgres",
                        "SEHAT_DB_PASSWORD", "postgres"),
                false);
    }

    @Test
    void acknowledgedMessagesSurviveAKillNineOnTheEmbeddedDefault() throws Exception {
        acknowledgedMessagesSurviveAKillNine(Map.of(), false);
    }

    @Test
    void acknowledgedMessagesSurviveAKillNineOfServerAndEmbeddedDatabase() throws Exception {
        acknowledgedMessagesSurviveAKillNine(Map.of(), true);
    }

    /**
     * @param environment what selects the database (empty: the embedded default)
     * @param killEmbeddedDatabase also SIGKILL the embedded PostgreSQL the server leaves running
     */
    private void acknowledgedMessagesSurviveAKillNine(Map<String, String> environment, boolean killEmbeddedDatabase)
            throws Exception {
        assertThat(START_SCRIPT)
                .as("the packaged start script and jar (integration tests run after package)")
                .isExecutable();
        String family = "Crash" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        int httpPort = Integer.parseInt(TestDatabases.freePort());
        int mllpPort = Integer.parseInt(TestDatabases.freePort());
        Map<String, String> messages = new LinkedHashMap<>();
        for (int i = 0; i < 40; i++) {
            String controlId = "CRASH-" + i + "-" + UUID.randomUUID();
            messages.put(controlId, labResult(family, i, controlId));
        }

        List<String> acknowledged = new ArrayList<>();
        Process first = startServer(environment, httpPort, mllpPort);
        ExecutorService sender = Executors.newSingleThreadExecutor();
        try {
            awaitUp(httpPort, mllpPort);
            Future<?> streaming = sender.submit(() -> {
                try (MllpTestClient mllp = new MllpTestClient(mllpPort)) {
                    for (Map.Entry<String, String> message : messages.entrySet()) {
                        if (MllpTestClient.ackCode(mllp.send(message.getValue()))
                                .equals("AA")) {
                            synchronized (acknowledged) {
                                acknowledged.add(message.getKey());
                            }
                        }
                    }
                } catch (RuntimeException connectionLost) {
                    // Expected: the server is killed under the sender's feet.
                }
            });
            await().atMost(Duration.ofMinutes(2)).until(() -> {
                synchronized (acknowledged) {
                    return acknowledged.size() >= 10;
                }
            });
            first.destroyForcibly().waitFor();
            streaming.get();
        } finally {
            sender.shutdownNow();
            first.destroyForcibly().waitFor();
        }
        assertThat(acknowledged).hasSizeBetween(10, messages.size());
        if (killEmbeddedDatabase) {
            killEmbeddedPostgres();
        }

        Process second = startServer(environment, httpPort, mllpPort);
        try {
            awaitUp(httpPort, mllpPort);
            FhirTestClient server = new FhirTestClient(httpPort);
            List<String> acknowledgedBeforeKill = List.copyOf(acknowledged);
            for (String controlId : acknowledgedBeforeKill) {
                int index = Integer.parseInt(controlId.split("-")[1]);
                assertThat(count(
                                server,
                                "Patient?identifier=https://fhir.sehathub.pk/sid/mrn/pims-islamabad|" + family + "-"
                                        + index))
                        .as("patient of acknowledged message " + controlId)
                        .isEqualTo(1);
            }
            try (MllpTestClient mllp = new MllpTestClient(mllpPort)) {
                for (String message : messages.values()) {
                    assertThat(MllpTestClient.ackCode(mllp.send(message))).isEqualTo("AA");
                }
            }
            assertThat(count(server, "Patient?family=" + family)).isEqualTo(messages.size());
            assertThat(count(server, "Observation?subject.family=" + family)).isEqualTo(messages.size());
        } finally {
            second.destroy();
            second.waitFor();
        }
    }

    /**
     * SIGKILL to the postmaster, then wait for its children to notice and exit, as they would have
     * on a machine that lost power.
     */
    private void killEmbeddedPostgres() throws IOException {
        Path pidFile = dataDir.resolve("database/postgres/postmaster.pid");
        long pid = Long.parseLong(Files.readAllLines(pidFile).get(0).strip());
        ProcessHandle postmaster = ProcessHandle.of(pid)
                .orElseThrow(() -> new AssertionError("the embedded PostgreSQL should outlive the killed server"));
        List<ProcessHandle> children = postmaster.children().toList();
        postmaster.destroyForcibly();
        await().atMost(Duration.ofMinutes(1))
                .until(() -> !postmaster.isAlive() && children.stream().noneMatch(ProcessHandle::isAlive));
    }

    private Process startServer(Map<String, String> environment, int httpPort, int mllpPort) throws IOException {
        Path log = Files.createTempFile(dataDir, "server", ".log");
        // Through the start script beside the jar, as operators start it (exec: the process is the JVM).
        List<String> command = new ArrayList<>(List.of(
                START_SCRIPT.toString(),
                "--server.port=" + httpPort,
                "--sehat.ingest.mllp.port=" + mllpPort,
                "--sehat.data-dir=" + dataDir));
        command.addAll(TestClients.arguments());
        ProcessBuilder builder =
                new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().keySet().removeIf(key -> key.startsWith("SPRING_") || key.startsWith("SEHAT_"));
        builder.environment().putAll(environment);
        builder.environment()
                .put(
                        "JAVA",
                        Path.of(System.getProperty("java.home"), "bin", "java").toString());
        builder.environment().put("SEHAT_JAVA_OPTS", "-Xmx768m");
        return builder.start();
    }

    /** Both listeners: the MLLP consumer starts with the Camel context, after the web server. */
    private static void awaitUp(int httpPort, int mllpPort) {
        FhirTestClient client = new FhirTestClient(httpPort);
        await().atMost(Duration.ofMinutes(4))
                .pollInterval(Duration.ofSeconds(1))
                .ignoreExceptions()
                .until(() -> client.get("/fhir/metadata").statusCode() == 200);
        await().atMost(Duration.ofMinutes(1))
                .pollInterval(Duration.ofMillis(500))
                .ignoreExceptions()
                .until(() -> {
                    try (Socket socket = new Socket("127.0.0.1", mllpPort)) {
                        return socket.isConnected();
                    }
                });
    }

    private static int count(FhirTestClient server, String query) {
        return server.fhir()
                .search()
                .byUrl(server.fhirBase() + "/" + query + "&_summary=count")
                .returnBundle(Bundle.class)
                .execute()
                .getTotal();
    }

    private static String labResult(String family, int i, String controlId) {
        return String.join(
                "\r",
                "MSH|^~\\&|PIMS-LIS|PIMS Islamabad|SEHATHUB|SEHATHUB|20240316090000+0500||ORU^R01^ORU_R01|" + controlId
                        + "|P|2.5",
                "PID|1||" + family + "-" + i + "^^^PIMS Islamabad^MR||" + family + "^Sana||19880101|F",
                "OBR|1|ORD-" + controlId + "|FIL-" + controlId + "|4548-4^HbA1c^LN|||20240316083000+0500",
                "OBX|1|NM|4548-4^HbA1c^LN||7.2|%|4-5.6|H|||F|||20240316083000+0500");
    }
}
