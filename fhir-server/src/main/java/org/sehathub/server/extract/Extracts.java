package org.sehathub.server.extract;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * De-identified extracts for analysts and researchers (docs/analytics.md, "De-identified
 * extracts"), written one at a time in the background ({@link ExtractJob}) into {@code
 * <data-dir>/extracts/<id>/}, kept until deleted. An extract's state is its folder: a {@code
 * manifest.json} means complete, a {@code failed.txt} failed, neither (while this server runs it)
 * in progress; one left unfinished by a restart is failed.
 */
public class Extracts implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Extracts.class);

    /** An extract's state: {@code running} with what it is doing, {@code complete}, or {@code failed} with why. */
    public record State(String status, String detail) {}

    /** Who asked for an extract, in its folder; never served (not a file name {@link #file} accepts). */
    private static final String REQUESTER = "requester.txt";

    private final ExtractJob job;
    private final Path root;
    private final Map<String, String> running = new ConcurrentHashMap<>();
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread thread = new Thread(r, "deidentified-extract");
        thread.setDaemon(true);
        return thread;
    });

    Extracts(ExtractJob job, Path root) {
        this.job = job;
        this.root = root;
    }

    /** Starts an extract for {@code requester}, the only caller besides operators who may fetch it; returns its id. */
    String start(List<String> types, int k, String requester, String query, boolean parquet) throws IOException {
        String id = UUID.randomUUID().toString();
        Path folder = root.resolve(id);
        Files.createDirectories(folder);
        Files.writeString(folder.resolve(REQUESTER), requester);
        running.put(id, "queued");
        worker.submit(() -> {
            try {
                job.write(
                        new ExtractJob.Request(id, types, k, requester, query, parquet),
                        folder,
                        step -> running.put(id, step));
            } catch (IOException | RuntimeException e) {
                log.warn("de-identified extract {} failed: {}", id, e.toString());
                try {
                    Files.createDirectories(folder);
                    Files.writeString(folder.resolve("failed.txt"), e.getClass().getSimpleName());
                } catch (IOException ignored) {
                    // the state is still failed: no manifest, not running
                }
            } finally {
                running.remove(id);
            }
        });
        return id;
    }

    Optional<State> state(String id) {
        if (!valid(id)) {
            return Optional.empty();
        }
        String step = running.get(id);
        if (step != null) {
            return Optional.of(new State("running", step));
        }
        Path folder = root.resolve(id);
        if (Files.exists(folder.resolve("manifest.json"))) {
            return Optional.of(new State("complete", null));
        }
        if (Files.isDirectory(folder)) {
            return Optional.of(new State("failed", "the extract did not finish; ask for it again"));
        }
        return Optional.empty();
    }

    /**
     * Whether an extract was asked for by {@code requester} (as {@link #start} recorded it). Others
     * are told there is no such extract, as if it did not exist.
     */
    boolean askedBy(String id, String requester) {
        if (!valid(id)) {
            return false;
        }
        try {
            return Files.readString(root.resolve(id).resolve(REQUESTER)).equals(requester);
        } catch (IOException e) {
            return false;
        }
    }

    Path manifest(String id) {
        return root.resolve(id).resolve("manifest.json");
    }

    /** A file of a complete extract, if there is one of that name. */
    Optional<Path> file(String id, String name) {
        if (!valid(id)
                || !name.matches("[A-Z][A-Za-z]{1,40}\\.ndjson|[a-z]{1,40}\\.parquet")
                || !"complete".equals(state(id).map(State::status).orElse(""))) {
            return Optional.empty();
        }
        Path file = root.resolve(id).resolve(name);
        return Files.isRegularFile(file) ? Optional.of(file) : Optional.empty();
    }

    /** Deletes an extract's files; false if there is none (or it is still being written). */
    boolean delete(String id) {
        if (!valid(id) || running.containsKey(id) || !Files.isDirectory(root.resolve(id))) {
            return false;
        }
        try (Stream<Path> files = Files.walk(root.resolve(id))) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.delete(path);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return true;
    }

    private static boolean valid(String id) {
        return id != null && id.matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    }

    @Override
    public void close() {
        worker.shutdownNow();
    }
}
