package org.sehathub.ingest.csv;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.sehathub.ingest.Inbound;
import org.sehathub.ingest.Refusal;
import org.sehathub.ingest.RefusalHandler;

/**
 * The watched folders: {@code <inbox-dir>/<layout>/}, with {@code done/} and {@code failed/}
 * beside the files. A handled file is copied to one of them (with {@code <name>.report.json} in
 * {@code failed/}) and the file consumer then deletes the original; written to a temporary name
 * first and renamed, so nobody ever sees half a report.
 */
public class CsvInbox {

	private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS").withZone(ZoneOffset.UTC);

	private final Path root;
	private final Clock clock;

	public CsvInbox(Path root, Clock clock) {
		this.root = root;
		this.clock = clock;
	}

	public Path root() {
		return root;
	}

	/** The folder watched for one layout. */
	public Path folder(String layout) {
		return root.resolve(layout);
	}

	/** True when the file stays where it is, to be read again at the next poll. */
	public boolean retriesLater(Inbound inbound) {
		Refusal refusal = inbound.refusal();
		return refusal != null && RefusalHandler.retriedFromInbox(inbound, refusal);
	}

	/**
	 * Copies a handled file to {@code done/} or {@code failed/} next to it (the file itself, not
	 * what was read of it: a file refused as too large was never read into memory).
	 *
	 * @param report the report JSON for {@code failed/}; null for {@code done/}
	 */
	public void archive(Path file, byte[] report) {
		Path target = file.resolveSibling(report == null ? "done" : "failed");
		try {
			Files.createDirectories(target);
			Path copy = free(target, file.getFileName().toString());
			Path temporary = copy.resolveSibling("." + copy.getFileName() + ".tmp");
			Files.copy(file, temporary, StandardCopyOption.REPLACE_EXISTING);
			Files.move(temporary, copy, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
			if (report != null) {
				write(copy.resolveSibling(copy.getFileName() + ".report.json"), report);
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
		return folder.resolve(dot > 0 ? name.substring(0, dot) + "-" + stamp + name.substring(dot) : name + "-" + stamp);
	}

	private static void write(Path path, byte[] bytes) throws IOException {
		Path temporary = path.resolveSibling("." + path.getFileName() + ".tmp");
		Files.write(temporary, bytes);
		Files.move(temporary, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
	}
}
