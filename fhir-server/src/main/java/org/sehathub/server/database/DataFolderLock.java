package org.sehathub.server.database;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One Sehat Hub process per data folder: an exclusive lock on {@code <data-dir>/sehat-hub.lock},
 * held for the life of the process.
 *
 * <p>The operating system releases the lock when the process ends in any way, {@code kill -9}
 * included, so a crashed server never blocks its own restart, while a second server started on a
 * folder in use stops at once instead of sharing the database files and the Lucene index.
 */
public final class DataFolderLock implements AutoCloseable {

    static final String FILE_NAME = "sehat-hub.lock";

    private final FileChannel channel;
    private final FileLock lock;

    private DataFolderLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Takes the lock, or throws {@link IllegalStateException} naming the process that holds it.
     */
    public static DataFolderLock acquire(Path dataDir) {
        try {
            Files.createDirectories(dataDir);
            Path file = dataDir.resolve(FILE_NAME);
            FileChannel channel = FileChannel.open(
                    file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            FileLock lock = tryLock(channel);
            if (lock == null) {
                String holder = Files.readString(file, StandardCharsets.UTF_8).strip();
                channel.close();
                throw new IllegalStateException(
                        "Another Sehat Hub process (pid " + holder + ") is using the data folder " + dataDir
                                + "; stop it first, or give this one its own folder (SEHAT_DATA_DIR)");
            }
            channel.truncate(0);
            channel.write(StandardCharsets.UTF_8.encode(
                    String.valueOf(ProcessHandle.current().pid())));
            channel.force(true);
            return new DataFolderLock(channel, lock);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot lock the data folder " + dataDir, e);
        }
    }

    /** Null when another process holds the lock, or another server in this JVM (tests start several). */
    private static FileLock tryLock(FileChannel channel) throws IOException {
        try {
            return channel.tryLock();
        } catch (OverlappingFileLockException heldInThisProcess) {
            return null;
        }
    }

    @Override
    public void close() throws IOException {
        lock.release();
        channel.close();
    }
}
