package org.sehathub.server.backup;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.sehathub.server.config.Problems;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Operators take an online backup of the embedded database with {@code POST /admin/backups} and
 * list the backups with {@code GET /admin/backups} (docs/operations.md, Backups).
 */
@RestController
@ConditionalOnProperty(name = "sehat.database.embedded.enabled", havingValue = "true", matchIfMissing = true)
@RequestMapping("/admin/backups")
public class BackupController {

    private final EmbeddedDatabaseBackup backup;

    public BackupController(EmbeddedDatabaseBackup backup) {
        this.backup = backup;
    }

    /** A finished backup, as the API shows it. */
    public record Taken(
            String name, String path, Instant started, Instant finished, long bytes, String walStart, String walStop) {
        static Taken of(EmbeddedDatabaseBackup.Backup backup) {
            return new Taken(
                    backup.name(),
                    backup.path().toString(),
                    backup.started(),
                    backup.finished(),
                    backup.bytes(),
                    backup.walStart(),
                    backup.walStop());
        }
    }

    /** Takes a backup while the server keeps working; answers once it is complete. */
    @PostMapping(produces = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<Taken> take() {
        EmbeddedDatabaseBackup.Backup taken = backup.take();
        return ResponseEntity.created(URI.create("/admin/backups/" + taken.name()))
                .body(Taken.of(taken));
    }

    @GetMapping(produces = MediaType.APPLICATION_JSON_VALUE)
    public List<String> list() throws IOException {
        return backup.list().stream().map(Path::getFileName).map(Path::toString).toList();
    }

    @ExceptionHandler(EmbeddedDatabaseBackup.BackupInProgressException.class)
    ResponseEntity<ProblemDetail> inProgress(EmbeddedDatabaseBackup.BackupInProgressException e) {
        return Problems.of(HttpStatus.CONFLICT, "backup-in-progress", "Backup in progress", e.getMessage());
    }

    @ExceptionHandler({IllegalStateException.class, UncheckedIOException.class})
    ResponseEntity<ProblemDetail> failed(RuntimeException e) {
        return Problems.of(HttpStatus.INTERNAL_SERVER_ERROR, "backup-failed", "Backup failed", e.getMessage());
    }
}
