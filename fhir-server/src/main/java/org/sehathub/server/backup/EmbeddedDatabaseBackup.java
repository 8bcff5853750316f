package org.sehathub.server.backup;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A consistent online backup of the embedded PostgreSQL while the server keeps taking data: a copy
 * of the cluster's files taken between {@code pg_backup_start} and {@code pg_backup_stop} (PostgreSQL's
 * low-level base backup API, what {@code pg_basebackup} does; the embedded binaries do not ship that
 * tool), plus the write-ahead log written meanwhile, which PostgreSQL replays to make the copy
 * consistent when it is started.
 *
 * <p>A backup is laid out as a data folder ({@code database/postgres}, {@code database/password}):
 * restoring is starting Sehat Hub on it (or copying its {@code database} folder into place). The
 * Lucene index is not part of it; it is rebuilt from the database ({@code docs/operations.md}).
 */
public final class EmbeddedDatabaseBackup {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedDatabaseBackup.class);
    private static final DateTimeFormatter NAME =
            DateTimeFormatter.ofPattern("'sehat-backup-'yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    /** Folders whose contents PostgreSQL rebuilds at start; the backup keeps them empty. */
    private static final Set<String> EMPTIED = Set.of(
            "pg_wal",
            "pg_replslot",
            "pg_dynshmem",
            "pg_notify",
            "pg_serial",
            "pg_snapshots",
            "pg_stat_tmp",
            "pg_subtrans",
            "log");
    /** Files of the running server that must not be in a backup. */
    private static final Set<String> SKIPPED =
            Set.of("postmaster.pid", "postmaster.opts", "backup_label", "tablespace_map");

    private final DataSource dataSource;
    private final Path dataDir;
    private final Path backupDir;
    private final Clock clock;
    private final AtomicBoolean running = new AtomicBoolean();

    /**
     * @param dataSource unpooled connections to the embedded server, as its superuser
     * @param dataDir the data folder whose {@code database/} is backed up
     * @param backupDir where backups are written
     */
    public EmbeddedDatabaseBackup(DataSource dataSource, Path dataDir, Path backupDir, Clock clock) {
        this.dataSource = dataSource;
        this.dataDir = dataDir;
        this.backupDir = backupDir;
        this.clock = clock;
    }

    /** What one backup holds. */
    public record Backup(
            String name, Path path, Instant started, Instant finished, long bytes, String walStart, String walStop) {}

    /** Thrown while another backup is being taken. */
    public static final class BackupInProgressException extends RuntimeException {
        BackupInProgressException() {
            super("A backup is being taken; wait for it to finish");
        }
    }

    /**
     * Takes a backup into a new folder under the backup folder and returns it. The folder appears
     * under its final name only once complete; a failed backup leaves nothing behind, and one cut
     * short by a crash leaves a {@code .partial} folder that the next backup removes.
     */
    public Backup take() {
        if (!running.compareAndSet(false, true)) {
            throw new BackupInProgressException();
        }
        try {
            return copy();
        } catch (IOException e) {
            throw new UncheckedIOException("Backup failed", e);
        } catch (SQLException e) {
            throw new IllegalStateException("Backup failed: " + e.getMessage(), e);
        } finally {
            running.set(false);
        }
    }

    /** Removes what a backup cut short by a crash of the whole server left behind. */
    private void removeUnfinished() throws IOException {
        if (!Files.isDirectory(backupDir)) {
            return;
        }
        try (Stream<Path> entries = Files.list(backupDir)) {
            for (Path unfinished : entries.filter(
                            path -> path.getFileName().toString().endsWith(".partial"))
                    .toList()) {
                log.info("Removing the unfinished backup {}", unfinished.getFileName());
                deleteRecursively(unfinished);
            }
        }
    }

    /** The complete backups in the backup folder, newest first. */
    public List<Path> list() throws IOException {
        if (!Files.isDirectory(backupDir)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(backupDir)) {
            return entries.filter(path -> path.getFileName().toString().startsWith("sehat-backup-"))
                    .filter(path -> !path.getFileName().toString().endsWith(".partial"))
                    .sorted((a, b) -> b.getFileName().compareTo(a.getFileName()))
                    .toList();
        }
    }

    private Backup copy() throws IOException, SQLException {
        removeUnfinished();
        Instant started = clock.instant();
        String name = NAME.format(started);
        Path partial = backupDir.resolve(name + ".partial");
        try {
            return copy(name, started, partial);
        } catch (IOException | SQLException | RuntimeException e) {
            deleteRecursively(partial);
            throw e;
        }
    }

    private Backup copy(String name, Instant started, Path partial) throws IOException, SQLException {
        Path target = backupDir.resolve(name);
        Path cluster = dataDir.resolve("database/postgres");
        Path clusterCopy = partial.resolve("database/postgres");
        AtomicLong bytes = new AtomicLong();
        String walStart;
        String walStop;
        // One session from pg_backup_start to pg_backup_stop: PostgreSQL ends the backup if it closes.
        try (Connection session = dataSource.getConnection()) {
            session.setAutoCommit(true);
            walStart = single(session, "SELECT pg_backup_start(?, true)::text", name);
            log.info("Backup {} started at WAL {}", name, walStart);
            copyTree(cluster, clusterCopy, bytes);
            try (Statement stop = session.createStatement();
                    ResultSet row =
                            stop.executeQuery("SELECT lsn::text, labelfile, spcmapfile FROM pg_backup_stop(false)")) {
                row.next();
                walStop = row.getString(1);
                Files.writeString(clusterCopy.resolve("backup_label"), row.getString(2), StandardCharsets.UTF_8);
                String tablespaceMap = row.getString(3);
                if (tablespaceMap != null && !tablespaceMap.isEmpty()) {
                    Files.writeString(clusterCopy.resolve("tablespace_map"), tablespaceMap, StandardCharsets.UTF_8);
                }
            }
            copyWriteAheadLog(session, cluster, clusterCopy, walStart, walStop, bytes);
        }
        Path password = Files.copy(dataDir.resolve("database/password"), partial.resolve("database/password"));
        Files.setPosixFilePermissions(password, PosixFilePermissions.fromString("rw-------"));
        Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
        Instant finished = clock.instant();
        log.info("Backup {} finished: {} MB, WAL {} to {}", name, bytes.get() / (1024 * 1024), walStart, walStop);
        return new Backup(name, target, started, finished, bytes.get(), walStart, walStop);
    }

    /**
     * Copies the WAL segments from the backup's start to its stop. They are taken after
     * {@code pg_backup_stop} (which switches to a new segment, so the last one is complete) and
     * checked: a checkpoint during a long copy may have recycled one ({@code wal_keep_size} keeps
     * them for a while), and a backup without it would not start.
     */
    private static void copyWriteAheadLog(
            Connection session, Path cluster, Path clusterCopy, String walStart, String walStop, AtomicLong bytes)
            throws IOException, SQLException {
        String first = single(session, "SELECT pg_walfile_name(?::pg_lsn)", walStart);
        String last = single(session, "SELECT pg_walfile_name(?::pg_lsn)", walStop);
        Path walCopy = clusterCopy.resolve("pg_wal");
        List<Path> needed;
        try (Stream<Path> segments = Files.list(cluster.resolve("pg_wal"))) {
            needed = segments.filter(Files::isRegularFile)
                    .filter(segment -> {
                        String file = segment.getFileName().toString();
                        return file.length() == 24 && file.compareTo(first) >= 0 && file.compareTo(last) <= 0;
                    })
                    .sorted()
                    .toList();
        }
        for (Path segment : needed) {
            Files.copy(segment, walCopy.resolve(segment.getFileName()));
            bytes.addAndGet(Files.size(segment));
        }
        boolean complete = !needed.isEmpty()
                && needed.get(0).getFileName().toString().equals(first)
                && needed.get(needed.size() - 1).getFileName().toString().equals(last)
                && contiguous(needed);
        if (!complete) {
            throw new IllegalStateException("The write-ahead log from " + first + " to " + last
                    + " was recycled during the backup; raise the embedded server's wal_keep_size and try again");
        }
    }

    /** Segment names are timeline + 64-bit segment number in hex; consecutive numbers, no gap. */
    private static boolean contiguous(List<Path> segments) {
        for (int i = 1; i < segments.size(); i++) {
            long previous = Long.parseUnsignedLong(
                    segments.get(i - 1).getFileName().toString().substring(8), 16);
            long current = Long.parseUnsignedLong(
                    segments.get(i).getFileName().toString().substring(8), 16);
            if (current != nextSegment(previous)) {
                return false;
            }
        }
        return true;
    }

    /** The name's last 16 hex digits are a log number and a segment number (0 to 0xFF for 16 MB). */
    private static long nextSegment(long logAndSegment) {
        long log = logAndSegment >>> 32;
        long segment = logAndSegment & 0xFFFFFFFFL;
        return segment == 0xFF ? (log + 1) << 32 : (log << 32) | (segment + 1);
    }

    /**
     * Copies the cluster's files as they are; pages written meanwhile are made right by WAL replay.
     * Files that disappear while copying (a dropped temporary table) are skipped.
     */
    private static void copyTree(Path source, Path target, AtomicLong bytes) throws IOException {
        Files.createDirectories(
                target, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Files.walkFileTree(source, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) throws IOException {
                Path copy = target.resolve(source.relativize(dir).toString());
                Files.createDirectories(copy);
                Files.setPosixFilePermissions(copy, PosixFilePermissions.fromString("rwx------"));
                boolean emptied = !dir.equals(source)
                        && dir.getParent().equals(source)
                        && EMPTIED.contains(dir.getFileName().toString());
                if (emptied) {
                    if (dir.getFileName().toString().equals("pg_wal")) {
                        Files.createDirectories(copy.resolve("archive_status"));
                    }
                    return FileVisitResult.SKIP_SUBTREE;
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                String name = file.getFileName().toString();
                boolean skipped =
                        (file.getParent().equals(source) && SKIPPED.contains(name)) || name.startsWith("pgsql_tmp");
                if (!skipped) {
                    try {
                        Files.copy(
                                file,
                                target.resolve(source.relativize(file).toString()),
                                StandardCopyOption.COPY_ATTRIBUTES);
                        bytes.addAndGet(attributes.size());
                    } catch (NoSuchFileException gone) {
                        // Removed by the server since the walk listed it: not part of the database any more.
                    }
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                if (e instanceof NoSuchFileException) {
                    return FileVisitResult.CONTINUE;
                }
                throw e;
            }
        });
    }

    private static String single(Connection session, String sql, String parameter) throws SQLException {
        try (PreparedStatement statement = session.prepareStatement(sql)) {
            statement.setString(1, parameter);
            try (ResultSet row = statement.executeQuery()) {
                row.next();
                return row.getString(1);
            }
        }
    }

    private static void deleteRecursively(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(path)) {
            for (Path each :
                    walk.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
                Files.delete(each);
            }
        }
    }
}
