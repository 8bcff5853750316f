package org.sehathub.ingest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * A watched folder tree: clinic CSV in {@code <csv-inbox>/<layout>/}, HL7 v2 in {@code
 * <hl7v2-inbox>/}, each with {@code done/} and {@code failed/} beside the files. A handled file is
 * copied to one of them, with its answer beside it (the CSV report as {@code <name>.report.json}
 * in {@code failed/}; the HL7 acknowledgement as {@code <name>.ack} in both), and the file consumer
 * then deletes the original; written to a temporary name first and renamed, so nobody ever sees
 * half an answer.
 */
public class FileInbox {

    private static final DateTimeFormatter STAMP =
            DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS").withZone(ZoneOffset.UTC);

    private final Path root;
    private final Clock clock;

    public FileInbox(Path root, Clock clock) {
        this.root = root;
        this.clock = clock;
    }

    /**
     * The file consumer for one watched folder: files matching {@code include} (Ant patterns), read
     * only once complete (size and modification time unchanged for {@code readLockInterval}:
     * {@code readLock=changed}), deleted once handled; names starting with a dot are never read, so an
     * uploader can write {@code x.part} and rename it when done.
     */
    public static String consumerUri(Path folder, String include, Duration pollDelay, Duration readLockInterval) {
        long interval = Math.max(100, readLockInterval.toMillis());
        long delay = Math.max(100, pollDelay.toMillis());
        return "file:" + folder.toAbsolutePath()
                + "?antInclude=" + include
                + "&delete=true"
                + "&readLock=changed"
                + "&readLockCheckInterval=" + interval
                + "&readLockMinAge=" + interval
                + "&readLockTimeout="
                + Math.max(interval * 5, Duration.ofSeconds(10).toMillis())
                + "&delay=" + delay
                + "&initialDelay=" + delay;
    }

    public Path root() {
        return root;
    }

    /** The folder watched for one layout. */
    public Path folder(String layout) {
        return root.resolve(layout);
    }

    /** True when the file stays where it is, to be read again at the next poll. */
    public boolean retriesLater(Refused refused) {
        return RefusalHandler.retriedFromInbox(refused.inbound(), refused.refusal());
    }

    /**
     * Copies a handled file to {@code done/} or {@code failed/} next to it (the file itself, not
     * what was read of it: a file refused as too large was never read into memory).
     *
     * @param report the report JSON for {@code failed/}; null for {@code done/}
     */
    public void archive(Path file, byte[] report) {
        archive(file, report != null, ".report.json", report);
    }

    /**
     * Copies a handled file to {@code failed/} or {@code done/} next to it, and writes {@code answer}
     * beside the copy as {@code <copy name><suffix>}.
     *
     * @param answer what the sender is told; null writes nothing beside the copy
     */
    public void archive(Path file, boolean failed, String suffix, byte[] answer) {
        Path target = file.resolveSibling(failed ? "failed" : "done");
        try {
            Files.createDirectories(target);
            Path copy = free(target, file.getFileName().toString());
            Path temporary = copy.resolveSibling("." + copy.getFileName() + ".tmp");
            Files.copy(file, temporary, StandardCopyOption.REPLACE_EXISTING);
            Files.move(temporary, copy, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            if (answer != null) {
                write(copy.resolveSibling(copy.getFileName() + suffix), answer);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot archive " + file.getFileName(), e);
        }
    }

    /** The name itself, or with a time stamp when a file of that name was archived before. */
    private Path free(Path folder, String name) {
        Path candidate = folder.resolve(name);
        if (!Files.exists(candidate)) {
            return candidate;
        }
        int dot = name.lastIndexOf('.');
        String stamp = STAMP.format(clock.instant());
        return folder.resolve(
                dot > 0 ? name.substring(0, dot) + "-" + stamp + name.substring(dot) : name + "-" + stamp);
    }

    private static void write(Path path, byte[] bytes) throws IOException {
        Path temporary = path.resolveSibling("." + path.getFileName() + ".tmp");
        Files.write(temporary, bytes);
        Files.move(temporary, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
