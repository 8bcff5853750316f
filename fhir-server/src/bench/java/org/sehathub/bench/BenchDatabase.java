package org.sehathub.bench;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A fresh database for one server run, with the environment that points the server at it. Every
 * run gets its own data folder (Lucene index, and the PostgreSQL cluster on the embedded default).
 */
abstract class BenchDatabase implements AutoCloseable {

    /** In a data folder: how many HL7 v2 repetitions of the benchmark it has been sent. */
    private static final String HL7_REPETITIONS_SENT = "bench-hl7-repetitions-sent";

    final Path dataDir;
    /** A loaded data folder of an earlier run ({@code bench.reuse}): nothing is loaded, nothing deleted. */
    final boolean reused;

    BenchDatabase(Path dataDir, boolean reused) {
        this.dataDir = dataDir;
        this.reused = reused;
    }

    /**
     * A fresh database of the kind; or, with {@code bench.reuse} set to a data folder that {@code
     * bench.keepData} kept (embedded default only), that folder as it is, to measure the reads and
     * questions of a large population again without loading it again (a new jar upgrades it at
     * start, as it would an operator's).
     */
    static BenchDatabase create(String kind) throws IOException {
        String reuse = System.getProperty("bench.reuse", "").trim();
        if (!reuse.isEmpty()) {
            if (!kind.equals("embedded")) {
                throw new IllegalArgumentException("bench.reuse takes an embedded default's data folder");
            }
            return new Embedded(Path.of(reuse), true);
        }
        Path dataDir = Files.createTempDirectory("sehat-bench-" + kind + "-");
        return switch (kind) {
            case "postgres" -> new Postgres(dataDir);
            case "embedded" -> new Embedded(dataDir, false);
            default -> throw new IllegalArgumentException("Unknown database " + kind + " (postgres or embedded)");
        };
    }

    /**
     * The first HL7 v2 repetition this run may send: the benchmark's messages of a repetition have
     * fixed control ids, so on a reused folder the ones sent before would come back as duplicates
     * (acknowledged without being stored, and measured as if they had been). A kept folder records
     * how many repetitions it has taken.
     */
    int firstFreshHl7Repetition() throws IOException {
        Path marker = dataDir.resolve(HL7_REPETITIONS_SENT);
        return reused && Files.exists(marker)
                ? Integer.parseInt(Files.readString(marker).trim())
                : 0;
    }

    /** Records that repetitions below {@code next} have been sent to this folder. */
    void hl7RepetitionsSent(int next) throws IOException {
        Files.writeString(dataDir.resolve(HL7_REPETITIONS_SENT), Integer.toString(next));
    }

    abstract String kind();

    /** Spring profiles the server needs for this database. */
    abstract List<String> profiles();

    /** Environment variables for the server process. */
    Map<String, String> environment() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("SEHAT_DATA_DIR", dataDir.toString());
        return env;
    }

    /** Facts worth recording beside the results (database version and settings). */
    abstract Map<String, String> description();

    /** A connection to the server's database, as its superuser. */
    abstract Connection connect() throws IOException, SQLException;

    /**
     * What an operator does after a bulk load, before serving reads (docs/operations.md): ANALYZE,
     * as PostgreSQL's manual advises after populating a database. Autovacuum would gather the
     * statistics too, but at a time of its choosing.
     */
    void afterBulkLoad() throws IOException {
        try (Connection connection = connect();
                Statement statement = connection.createStatement()) {
            statement.execute("ANALYZE");
        } catch (SQLException e) {
            throw new IOException("ANALYZE after the bulk load failed", e);
        }
    }

    /**
     * Deletes the run's data folder, unless {@code bench.keepData} is true: then it stays, loaded,
     * for looking into a figure afterwards (start the jar with {@code SEHAT_DATA_DIR} set to it).
     */
    @Override
    public void close() throws IOException {
        if (reused || Boolean.getBoolean("bench.keepData")) {
            Bench.log("Kept the %s run's data folder: %s", kind(), dataDir);
            return;
        }
        SyntheaPopulation.deleteRecursively(dataDir);
    }

    /**
     * The embedded default: the server runs its own PostgreSQL under the data folder, with the
     * settings it ships with (application.yaml). The benchmark fixes the port so it can ANALYZE.
     */
    static final class Embedded extends BenchDatabase {

        private final int port;

        Embedded(Path dataDir, boolean reused) throws IOException {
            super(dataDir, reused);
            try (ServerSocket socket = new ServerSocket(0)) {
                this.port = socket.getLocalPort();
            }
        }

        @Override
        String kind() {
            return "embedded";
        }

        @Override
        List<String> profiles() {
            return List.of();
        }

        @Override
        Map<String, String> environment() {
            Map<String, String> env = super.environment();
            env.put("SEHAT_DATABASE_EMBEDDED_PORT", String.valueOf(port));
            return env;
        }

        @Override
        Connection connect() throws IOException, SQLException {
            String password =
                    Files.readString(dataDir.resolve("database/password")).strip();
            return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/sehat", "postgres", password);
        }

        @Override
        Map<String, String> description() {
            return Map.of(
                    "database",
                    "embedded default: PostgreSQL 16 run by the server in SEHAT_DATA_DIR, shipped settings");
        }
    }

    /**
     * PostgreSQL 16 from zonky's binaries on Maven Central, a new cluster per run. zonky turns
     * synchronous_commit off by default; we turn it back on, because an acknowledgement must mean
     * the data is on disk and a benchmark that skips that measures a server nobody should run.
     */
    static final class Postgres extends BenchDatabase {

        /** Server settings for the benchmark cluster; the same for every mode, documented in docs/performance.md. */
        static final Map<String, String> SETTINGS = settings();

        private final EmbeddedPostgres server;
        private final String url;

        Postgres(Path dataDir) throws IOException {
            super(dataDir, false);
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder();
            SETTINGS.forEach(builder::setServerConfig);
            this.server = builder.start();
            try (Connection connection = server.getPostgresDatabase().getConnection();
                    Statement statement = connection.createStatement()) {
                statement.execute("CREATE DATABASE sehat ENCODING 'UTF8'");
            } catch (SQLException e) {
                server.close();
                throw new IOException("Cannot create the benchmark database", e);
            }
            this.url = server.getJdbcUrl("postgres", "sehat");
        }

        private static Map<String, String> settings() {
            Map<String, String> settings = new LinkedHashMap<>();
            settings.put("fsync", "on");
            settings.put("synchronous_commit", "on");
            settings.put("shared_buffers", "512MB");
            settings.put("work_mem", "16MB");
            settings.put("max_wal_size", "2GB");
            settings.put("max_connections", "100");
            return settings;
        }

        @Override
        String kind() {
            return "postgres";
        }

        @Override
        List<String> profiles() {
            return List.of("postgres");
        }

        @Override
        Map<String, String> environment() {
            Map<String, String> env = super.environment();
            // The JDBC URL carries no tuning: batching options come from the server's own settings.
            env.put("SEHAT_DB_URL", url.replaceAll("[?&]user=[^&]*", ""));
            env.put("SEHAT_DB_USER", "postgres");
            env.put("SEHAT_DB_PASSWORD", "postgres");
            return env;
        }

        @Override
        Connection connect() throws SQLException {
            return DriverManager.getConnection(server.getJdbcUrl("postgres", "sehat"), "postgres", "postgres");
        }

        @Override
        Map<String, String> description() {
            Map<String, String> description = new LinkedHashMap<>();
            description.put("database", "PostgreSQL 16.x (zonky embedded binaries 16.15.0), fresh cluster per run");
            SETTINGS.forEach((key, value) -> description.put("postgresql." + key, value));
            return description;
        }

        @Override
        public void close() throws IOException {
            try {
                server.close();
            } finally {
                super.close();
            }
        }
    }
}
