package org.sehathub.server.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedPostgresServerTest {

    private static final EmbeddedPostgresProperties DEFAULTS =
            new EmbeddedPostgresProperties(true, 0, Duration.ofMinutes(1), Map.of());

    @TempDir
    Path dataDir;

    @Test
    void refusesAFolderWithAnEarlierBuildsH2DatabaseInsteadOfStartingEmpty() throws Exception {
        Files.createDirectories(dataDir.resolve("database"));
        Files.writeString(dataDir.resolve("database/sehat.mv.db"), "");

        assertThatThrownBy(() -> EmbeddedPostgresServer.start(dataDir, DEFAULTS))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("H2 database from an earlier Sehat Hub build");
        assertThat(dataDir.resolve("database/postgres")).doesNotExist();
    }

    @Test
    void refusesAClusterWhosePasswordFileIsGoneRatherThanWaitingToConnect() throws Exception {
        Files.createDirectories(dataDir.resolve("database/postgres"));
        Files.writeString(dataDir.resolve("database/postgres/PG_VERSION"), "16\n");

        assertThatThrownBy(() -> EmbeddedPostgresServer.start(dataDir, DEFAULTS))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("password file")
                .hasMessageContaining("is missing");
        assertThat(dataDir.resolve("database/password")).doesNotExist();
    }

    @Test
    void refusesAPortAnotherProgramListensOnAtOnceRatherThanWaitingOutTheStartUpTimeout() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            EmbeddedPostgresProperties onTakenPort =
                    new EmbeddedPostgresProperties(true, taken.getLocalPort(), Duration.ofMinutes(1), Map.of());
            long started = System.nanoTime();
            assertThatThrownBy(() -> EmbeddedPostgresServer.start(dataDir, onTakenPort))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("Port " + taken.getLocalPort())
                    .hasMessageContaining("in use by another program");
            assertThat(Duration.ofNanos(System.nanoTime() - started))
                    .as("refused before PostgreSQL is started, not after the start-up timeout")
                    .isLessThan(Duration.ofSeconds(30));
        }
        assertThat(dataDir.resolve("database/postgres")).doesNotExist();
    }

    @Test
    @Timeout(120)
    void aServerThatFailsToStartIsReportedWithItsReasonRatherThanWaitedForUntilTheTimeout() throws Exception {
        EmbeddedPostgresProperties refused = new EmbeddedPostgresProperties(
                true, 0, Duration.ofMinutes(5), Map.of("shared_buffers", "a-great-deal"));

        assertThatThrownBy(() -> EmbeddedPostgresServer.start(dataDir, refused))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("did not start")
                .hasMessageContaining("shared_buffers")
                .hasMessageContaining(StartFailureWatch.FAILED);
        assertThat(Thread.currentThread().isInterrupted())
                .as("the interrupt that ended the wait is not left behind")
                .isFalse();

        // The cluster initdb made is sound: the same folder starts with a setting PostgreSQL takes.
        try (EmbeddedPostgresServer server = EmbeddedPostgresServer.start(dataDir, DEFAULTS);
                Connection connection = server.unpooledDataSource().getConnection();
                ResultSet one = connection.createStatement().executeQuery("SELECT 1")) {
            assertThat(one.next()).isTrue();
        }
    }

    @Test
    void operatorSettingsCannotTurnDurabilityLoopbackOrParameterFreeLogsOff() {
        Map<String, String> settings = EmbeddedPostgresServer.serverSettings(Map.of(
                "shared_buffers", "256MB",
                "log_min_duration_statement", "200",
                "fsync", "off",
                "synchronous_commit", "off",
                "listen_addresses", "*",
                "log_parameter_max_length", "-1"));

        assertThat(settings)
                .containsEntry("shared_buffers", "256MB")
                .containsEntry("fsync", "on")
                .containsEntry("synchronous_commit", "on")
                .containsEntry("full_page_writes", "on")
                .containsEntry("listen_addresses", "127.0.0.1")
                .containsEntry("unix_socket_directories", "")
                .containsEntry("log_min_error_statement", "panic")
                .containsEntry("log_min_duration_statement", "200")
                .containsEntry("log_parameter_max_length", "0")
                .containsEntry("log_parameter_max_length_on_error", "0");
    }
}
