package org.sehathub.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The start script's AOT cache ({@code target/sehat-hub aot-cache}, docs/operations.md) and its
 * native-memory trimming: on the Java the tests run on, or on the one {@code SEHAT_TEST_JAVA} names
 * (set it to a Java 25 to test the cache itself where the build runs on 17). A cache already in target/ is removed. Starting the
 * server through the script is {@link CrashRecoveryIT}'s.
 */
class StartScriptIT {

    private static final Path START_SCRIPT = Path.of("target", "sehat-hub");
    private static final Path CACHE = Path.of("target", "sehat-hub.aot");
    private static final Path CACHE_OPTS = Path.of("target", "sehat-hub.aot.opts");

    private final String java = System.getenv()
            .getOrDefault(
                    "SEHAT_TEST_JAVA",
                    Path.of(System.getProperty("java.home"), "bin", "java").toString());

    @Test
    void aotCacheIsMadeOnJava25AndUsedOnlyWithTheFlagsItWasMadeWith() throws Exception {
        Files.deleteIfExists(CACHE);
        Files.deleteIfExists(CACHE_OPTS);
        Process process = script(Map.of(), "aot-cache");
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(10, TimeUnit.MINUTES)).isTrue();
        try {
            if (javaMajor() >= 25) {
                assertThat(process.exitValue()).as(output).isZero();
                assertThat(output).contains("created");
                assertThat(Files.size(CACHE)).isGreaterThan(10_000_000L);
                assertThat(Files.readString(CACHE_OPTS)).contains("-Xms128m");

                assertThat(startsMappingTheCache(Map.of()))
                        .as("started with the flags the cache was made with")
                        .isTrue();
                // A smaller initial heap cannot map a linked cache's heap objects: the JVM would
                // refuse to start with it, so the script leaves the cache out and says so.
                assertThat(startsMappingTheCache(Map.of("SEHAT_JAVA_OPTS", "-Xms64m -Xmx1g -Xmn32m -XX:+UseSerialGC")))
                        .as("started with other flags")
                        .isFalse();
            } else {
                assertThat(process.exitValue()).as(output).isEqualTo(2);
                assertThat(output).contains("needs Java 25 or newer").contains("is Java " + javaMajor());
                assertThat(CACHE).doesNotExist();
            }
        } finally {
            Files.deleteIfExists(CACHE);
            Files.deleteIfExists(CACHE_OPTS);
        }
    }

    @Test
    void nativeMemoryFreedAtStartIsGivenBackToTheSystem() throws Exception {
        String flags = whileStarting(Map.of(), (server, output) -> {
            Path jcmd = Path.of(java).resolveSibling("jcmd");
            Process vmFlags = new ProcessBuilder(jcmd.toString(), Long.toString(server.pid()), "VM.flags")
                    .redirectErrorStream(true)
                    .start();
            String printed = new String(vmFlags.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(vmFlags.waitFor(1, TimeUnit.MINUTES)).isTrue();
            return printed;
        });
        if (knowsTrimming()) {
            assertThat(flags).contains("-XX:TrimNativeHeapInterval=5000");
        } else {
            assertThat(flags).as("left out where the JVM does not know it").doesNotContain("TrimNativeHeapInterval");
        }
    }

    /** Whether this JVM has the trimming flag (Java 22+, and the 17 and 21 updates that have it). */
    private boolean knowsTrimming() throws Exception {
        Process probe = new ProcessBuilder(
                        java, "-XX:+UnlockExperimentalVMOptions", "-XX:TrimNativeHeapInterval=5000", "-version")
                .redirectErrorStream(true)
                .start();
        probe.getInputStream().readAllBytes();
        return probe.waitFor() == 0;
    }

    /**
     * Starts the server through the script on a throwaway data folder until Spring Boot logs that
     * it is starting (the JVM is up), tells whether the process mapped the cache, and stops it.
     */
    private boolean startsMappingTheCache(Map<String, String> environment) throws Exception {
        return whileStarting(environment, (server, output) -> {
            assertThat(output).doesNotContain("Unable to use AOT cache");
            if (!environment.isEmpty()) {
                assertThat(output).contains("not using").contains("made with other JVM flags");
            }
            return Files.readString(Path.of("/proc", Long.toString(server.pid()), "maps"))
                    .contains(CACHE.toAbsolutePath().toString());
        });
    }

    /** What {@code check} finds in a server started through the script once its JVM is up. */
    private interface StartedCheck<T> {
        T check(Process server, String output) throws Exception;
    }

    /**
     * Starts the server through the script on a throwaway data folder until Spring Boot logs that
     * it is starting (the JVM is up), runs {@code check} on it, and stops it.
     */
    private <T> T whileStarting(Map<String, String> environment, StartedCheck<T> check) throws Exception {
        Path dataDir = Files.createTempDirectory("sehat-start-script");
        Map<String, String> env = new HashMap<>(environment);
        env.put("SEHAT_DATA_DIR", dataDir.toString());
        Process server = script(env, "--server.port=0", "--sehat.ingest.mllp.port=0");
        StringBuilder seen = new StringBuilder();
        try (BufferedReader lines =
                new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8))) {
            long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            String line;
            while ((line = lines.readLine()) != null && System.nanoTime() < deadline) {
                seen.append(line).append('\n');
                if (line.contains("Starting SehatHubApplication")) {
                    break;
                }
            }
            assertThat(seen.toString()).as("the JVM started").contains("Starting SehatHubApplication");
            return check.check(server, seen.toString());
        } finally {
            server.destroy();
            if (!server.waitFor(1, TimeUnit.MINUTES)) {
                server.destroyForcibly().waitFor();
            }
            Path pidFile = dataDir.resolve("database/postgres/postmaster.pid");
            if (Files.exists(pidFile)) {
                ProcessHandle.of(Long.parseLong(
                                Files.readAllLines(pidFile).get(0).trim()))
                        .ifPresent(ProcessHandle::destroyForcibly);
            }
            try (Stream<Path> files = Files.walk(dataDir)) {
                files.sorted(Comparator.reverseOrder())
                        .forEach(path -> path.toFile().delete());
            }
        }
    }

    private Process script(Map<String, String> environment, String... arguments) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(START_SCRIPT.toString());
        builder.command().addAll(List.of(arguments));
        builder.environment().put("JAVA", java);
        builder.environment().remove("SEHAT_JAVA_OPTS");
        builder.environment().putAll(environment);
        return builder.redirectErrorStream(true).start();
    }

    private int javaMajor() throws Exception {
        Process version =
                new ProcessBuilder(java, "-version").redirectErrorStream(true).start();
        String output = new String(version.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        version.waitFor();
        Matcher matcher = Pattern.compile("version \"(\\d+)").matcher(output);
        return matcher.find() ? Integer.parseInt(matcher.group(1)) : 0;
    }
}
