package org.sehathub.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The start script's AOT cache command ({@code target/sehat-hub aot-cache}, docs/operations.md): on
 * the Java the tests run on (a cache already in target/ is removed). Starting the server through the
 * script is {@link CrashRecoveryIT}'s.
 */
class StartScriptIT {

    private static final Path START_SCRIPT = Path.of("target", "sehat-hub");
    private static final Path CACHE = Path.of("target", "sehat-hub.aot");

    @Test
    void aotCacheIsMadeOnJava25AndRefusedWithTheReasonBefore() throws Exception {
        Files.deleteIfExists(CACHE);
        ProcessBuilder builder = new ProcessBuilder(START_SCRIPT.toString(), "aot-cache");
        builder.environment()
                .put(
                        "JAVA",
                        Path.of(System.getProperty("java.home"), "bin", "java").toString());
        builder.environment().remove("SEHAT_JAVA_OPTS");
        Process process = builder.redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(10, TimeUnit.MINUTES)).isTrue();
        try {
            if (Runtime.version().feature() >= 25) {
                assertThat(process.exitValue()).as(output).isZero();
                assertThat(output).contains("created");
                assertThat(Files.size(CACHE)).isGreaterThan(10_000_000L);
            } else {
                assertThat(process.exitValue()).as(output).isEqualTo(2);
                assertThat(output)
                        .contains("needs Java 25 or newer")
                        .contains("is Java " + Runtime.version().feature());
                assertThat(CACHE).doesNotExist();
            }
        } finally {
            Files.deleteIfExists(CACHE);
        }
    }
}
