package org.sehathub.server.analytics;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.stream.Stream;
import org.sehathub.server.config.Problems;
import org.sehathub.server.config.SehatProperties;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

/**
 * The analytical store itself as Parquet, for an operator's Spark, Trino or DuckDB when one machine
 * is outgrown (docs/analytics.md, "The store as Parquet"): {@code GET /admin/analytics/views} lists
 * the views with their rows, {@code GET /admin/analytics/views/{view}.parquet} is one view as it
 * stands, every row and column (record ids and dates as stored: operators only, unlike the
 * analysts' de-identified extracts). One export is written at a time, in DuckDB with a memory cap
 * and its overflow under the data folder; each, and each refused or failed, is in the audit trail.
 */
@RestController
public class StoreParquetController {

    private final List<ViewTable> views;
    private final JdbcTemplate store;
    private final AnalyticsEvents events;
    private final Path work;
    private final Semaphore writing = new Semaphore(1);

    StoreParquetController(
            List<ViewTable> analyticsViews, JdbcTemplate store, AnalyticsEvents events, SehatProperties sehat) {
        this.views = analyticsViews;
        this.store = store;
        this.events = events;
        this.work = sehat.dataDir().resolve("analytics-export");
        clean(work);
    }

    @GetMapping(path = "/admin/analytics/views", produces = MediaType.APPLICATION_JSON_VALUE)
    List<Map<String, Object>> list() {
        List<Map<String, Object>> list = new ArrayList<>();
        for (ViewTable view : views) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("name", view.name());
            entry.put(
                    "rows",
                    store.queryForObject("SELECT count(*) FROM sehat_analytics.\"" + view.name() + "\"", Long.class));
            entry.put("parquet", "/admin/analytics/views/" + view.name() + ".parquet");
            list.add(entry);
        }
        return list;
    }

    @GetMapping("/admin/analytics/views/{name}.parquet")
    ResponseEntity<StreamingResponseBody> parquet(@PathVariable String name) throws IOException, SQLException {
        // Audited asked or not: an operator's attempts on the store are the privacy officer's to see.
        String asked = "views/" + name + ".parquet";
        if (views.stream().noneMatch(v -> v.name().equals(name))) {
            events.asked(asked, "not-found");
            throw new NoSuchView(name);
        }
        if (!writing.tryAcquire()) {
            events.asked(asked, "busy");
            throw new Busy();
        }
        Path file;
        try {
            file = write(name);
        } catch (IOException | SQLException | RuntimeException e) {
            events.asked(asked, "failed");
            throw e;
        } finally {
            writing.release();
        }
        events.asked(asked, null);
        StreamingResponseBody body = out -> {
            try (InputStream in = Files.newInputStream(file)) {
                in.transferTo(out);
            } finally {
                Files.deleteIfExists(file);
            }
        };
        return ResponseEntity.ok()
                .contentType(MediaType.parseMediaType(ViewParquet.MEDIA_TYPE))
                .contentLength(Files.size(file))
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + name + ".parquet\"")
                .body(body);
    }

    /** The view written to a file of its own under the work folder (deleted once sent). */
    private Path write(String name) throws IOException, SQLException {
        Files.createDirectories(work);
        Path file = Files.createTempFile(work, name + "-", ".parquet");
        Files.delete(file); // DuckDB writes it anew
        try (Connection duck = DriverManager.getConnection("jdbc:duckdb:");
                Statement settings = duck.createStatement()) {
            // A view of millions of rows must not take the server's memory: DuckDB spills past this.
            settings.execute("SET memory_limit = '256MB'");
            settings.execute(
                    "SET temp_directory = '" + work.toAbsolutePath().toString().replace("'", "''") + "'");
            ViewParquet.copy(duck, store, name, Set.of(), ViewParquet.AS_STORED);
            ViewParquet.write(duck, name, file);
        } catch (SQLException | RuntimeException e) {
            Files.deleteIfExists(file);
            throw e;
        }
        return file;
    }

    private static final class NoSuchView extends RuntimeException {
        NoSuchView(String name) {
            super("no view " + name + "; the views are listed at /admin/analytics/views");
        }
    }

    private static final class Busy extends RuntimeException {
        Busy() {
            super("another view is being written as Parquet; try again shortly");
        }
    }

    @ExceptionHandler(NoSuchView.class)
    ResponseEntity<ProblemDetail> noSuchView(NoSuchView e) {
        return Problems.of(HttpStatus.NOT_FOUND, "not-found", e.getMessage());
    }

    @ExceptionHandler(Busy.class)
    ResponseEntity<ProblemDetail> busy(Busy e) {
        ResponseEntity<ProblemDetail> busy = Problems.of(HttpStatus.SERVICE_UNAVAILABLE, "export-busy", e.getMessage());
        return ResponseEntity.status(busy.getStatusCode())
                .headers(busy.getHeaders())
                .header(HttpHeaders.RETRY_AFTER, "30")
                .body(busy.getBody());
    }

    /** Deletes the files a server stopped while writing left behind. */
    private static void clean(Path work) {
        if (!Files.isDirectory(work)) {
            return;
        }
        try (Stream<Path> files = Files.list(work)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                if (Files.isRegularFile(file)) {
                    Files.delete(file);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot clear " + work, e);
        }
    }
}
