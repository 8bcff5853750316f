package org.sehathub.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.Properties;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sehathub.server.backup.EmbeddedDatabaseBackup;
import org.sehathub.server.config.SehatProperties;
import org.sehathub.server.database.EmbeddedPostgresServer;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The embedded default runs a real PostgreSQL under the data folder that keeps what it
 * acknowledges (every commit flushed) and lets nobody else in.
 */
@EmbeddedServerTest
class EmbeddedDatabaseIT {

    @Autowired
    DataSource dataSource;

    @Autowired
    EmbeddedPostgresServer server;

    @Autowired
    SehatProperties sehat;

    @Test
    void commitsAreFlushedToDiskBeforeTheyAreAcknowledged() throws SQLException {
        assertThat(setting("fsync")).isEqualTo("on");
        assertThat(setting("synchronous_commit")).isEqualTo("on");
        assertThat(setting("full_page_writes")).isEqualTo("on");
    }

    @Test
    void theClusterLivesInTheDataFolder() throws SQLException {
        assertThat(Path.of(setting("data_directory"))).isEqualTo(sehat.dataDir().resolve("database/postgres"));
        assertThat(setting("server_version")).startsWith("16.");
    }

    @Test
    void onlyThisServerCanConnect() throws Exception {
        assertThat(setting("listen_addresses")).isEqualTo("127.0.0.1");
        assertThat(setting("unix_socket_directories")).isEmpty();
        assertThat(Files.getPosixFilePermissions(sehat.dataDir().resolve("database/password")))
                .isEqualTo(PosixFilePermissions.fromString("rw-------"));

        Properties noPassword = new Properties();
        noPassword.setProperty("user", server.username());
        assertThatThrownBy(() -> DriverManager.getConnection(server.jdbcUrl(), noPassword)
                        .close())
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("password");
        Properties wrongPassword = new Properties();
        wrongPassword.setProperty("user", server.username());
        wrongPassword.setProperty("password", "guessed");
        assertThatThrownBy(() -> DriverManager.getConnection(server.jdbcUrl(), wrongPassword)
                        .close())
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("password authentication failed");
    }

    @Test
    void aBackupThatFailsHalfWayEndsItsSessionAndLeavesNothingBehind(@TempDir Path temp) throws Exception {
        Path notAFolder = Files.writeString(temp.resolve("not-a-folder"), "");
        EmbeddedDatabaseBackup failing = new EmbeddedDatabaseBackup(
                server.unpooledDataSource(), sehat.dataDir(), notAFolder.resolve("backups"), Clock.systemUTC());
        assertThatThrownBy(failing::take).isInstanceOf(UncheckedIOException.class);
        assertThat(notAFolder).isRegularFile();
        // Its session, whose last statement started the backup, is closed: PostgreSQL has ended it.
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            try (Connection connection = dataSource.getConnection();
                    Statement statement = connection.createStatement();
                    ResultSet row = statement.executeQuery(
                            "SELECT count(*) FROM pg_stat_activity WHERE query LIKE 'SELECT pg_backup_start%'")) {
                row.next();
                return row.getInt(1) == 0;
            }
        });

        Path good = temp.resolve("backups");
        EmbeddedDatabaseBackup.Backup taken = new EmbeddedDatabaseBackup(
                        server.unpooledDataSource(), sehat.dataDir(), good, Clock.systemUTC())
                .take();
        assertThat(taken.path().resolve("database/postgres/backup_label")).exists();
        assertThat(taken.path().resolve("database/password")).exists();
    }

    private String setting(String name) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery("SELECT current_setting('" + name + "')")) {
            row.next();
            return row.getString(1);
        }
    }
}
