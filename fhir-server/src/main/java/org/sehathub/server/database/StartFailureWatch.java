package org.sehathub.server.database;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * Ends the wait for the embedded PostgreSQL as soon as it has failed to start. Zonky's start polls
 * for a connection until the whole start-up timeout (5 minutes, for crash recovery) has passed,
 * whatever became of the server; {@code pg_ctl}, whose output goes to {@code pg_ctl.log}, says at
 * once when the server exited ("could not start server"), after the server's own reason (a setting
 * it refuses, a cluster it cannot read). This watch reads what {@code pg_ctl} writes from now on
 * and, on that line, interrupts the starting thread, which zonky takes as the end of its wait.
 */
final class StartFailureWatch implements AutoCloseable {

    /** What pg_ctl prints when the server it started has exited. */
    static final String FAILED = "could not start server";

    private static final long POLL_MILLIS = 200;
    /** The end of pg_ctl's output shown in the error: the server's reason comes just before. */
    private static final int SHOWN_LINES = 8;

    private final Path log;
    private final long from;
    private final Thread starting;
    private final Thread watcher;
    private volatile boolean closed;
    private volatile String failure;

    private StartFailureWatch(Path log, long from, Thread starting) {
        this.log = log;
        this.from = from;
        this.starting = starting;
        this.watcher = new Thread(this::watch, "embedded-postgres-start-watch");
        this.watcher.setDaemon(true);
    }

    /** Watches {@code log} from its current end, on behalf of the calling thread. */
    static StartFailureWatch of(Path log) throws IOException {
        long from = Files.exists(log) ? Files.size(log) : 0;
        StartFailureWatch watch = new StartFailureWatch(log, from, Thread.currentThread());
        watch.watcher.start();
        return watch;
    }

    boolean failed() {
        return failure != null;
    }

    /** The failure to start, with pg_ctl's last lines, once the server {@link #failed()} to start. */
    IllegalStateException failure() {
        return new IllegalStateException("The embedded PostgreSQL did not start (from " + log + "):\n" + failure
                + "\nIts log folder under the cluster may say more.");
    }

    /**
     * Stops watching, and clears the interrupt that ended zonky's wait: the starting thread goes on
     * to throw, not to be interrupted elsewhere.
     */
    @Override
    public void close() {
        closed = true;
        watcher.interrupt();
        try {
            watcher.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        if (failure != null) {
            Thread.interrupted();
        }
    }

    private void watch() {
        while (!closed) {
            String written = writtenSinceStart();
            if (written.contains(FAILED)) {
                String[] lines = written.strip().split("\\R");
                failure = Arrays.stream(lines, Math.max(0, lines.length - SHOWN_LINES), lines.length)
                        .collect(Collectors.joining("\n"));
                starting.interrupt();
                return;
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private String writtenSinceStart() {
        if (!Files.exists(log)) {
            return "";
        }
        try (RandomAccessFile file = new RandomAccessFile(log.toFile(), "r")) {
            long length = file.length();
            if (length <= from) {
                return "";
            }
            byte[] bytes = new byte[(int) Math.min(length - from, 1 << 20)];
            file.seek(from);
            file.readFully(bytes);
            return new String(bytes, StandardCharsets.UTF_8);
        } catch (IOException e) {
            // Unreadable for now (rotated, removed): zonky's own timeout still ends the wait.
            return "";
        }
    }
}
