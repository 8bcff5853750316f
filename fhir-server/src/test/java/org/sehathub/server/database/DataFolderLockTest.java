package org.sehathub.server.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One Sehat Hub process per data folder; a dead holder never blocks the next start. */
class DataFolderLockTest {

    /** Holds the lock as another Sehat Hub would, says so, and holds it until killed or its input closes. */
    private static final String HOLDER = """
			import java.nio.channels.FileChannel;
			import java.nio.file.*;
			class Holder {
				public static void main(String[] args) throws Exception {
					FileChannel channel = FileChannel.open(Path.of(args[0]), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
					channel.lock();
					channel.write(java.nio.ByteBuffer.wrap(String.valueOf(ProcessHandle.current().pid()).getBytes()));
					System.out.println("locked");
					System.in.read();
				}
			}
			""";

    @TempDir
    Path dataDir;

    @Test
    void refusesAFolderAnotherProcessHoldsAndTakesItOnceThatProcessIsKilled() throws Exception {
        Path source = Files.writeString(dataDir.resolve("Holder.java"), HOLDER);
        Process holder = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        source.toString(),
                        dataDir.resolve(DataFolderLock.FILE_NAME).toString())
                .redirectErrorStream(true)
                .start();
        try {
            BufferedReader output =
                    new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
            assertThat(output.readLine()).isEqualTo("locked");

            assertThatThrownBy(() -> DataFolderLock.acquire(dataDir))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("Another Sehat Hub process (pid " + holder.pid() + ")")
                    .hasMessageContaining(dataDir.toString());
        } finally {
            holder.destroyForcibly().waitFor();
        }

        try (DataFolderLock lock = DataFolderLock.acquire(dataDir)) {
            assertThat(Files.readString(dataDir.resolve(DataFolderLock.FILE_NAME)))
                    .isEqualTo(String.valueOf(ProcessHandle.current().pid()));
        }
    }

    @Test
    void refusesASecondServerInTheSameProcessAndFreesTheFolderOnClose() throws Exception {
        DataFolderLock first = DataFolderLock.acquire(dataDir);
        assertThatThrownBy(() -> DataFolderLock.acquire(dataDir)).isInstanceOf(IllegalStateException.class);
        first.close();
        DataFolderLock.acquire(dataDir).close();
    }
}
