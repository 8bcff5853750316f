package org.sehathub.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The server as its own process, started the way an operator starts it ({@code sehat-hub}, the start
 * script beside the jar, from the repository root; JVM flags and database in the environment), on
 * free ports.
 */
final class ServerProcess implements AutoCloseable {

    private static final Duration START_LIMIT = Duration.ofMinutes(6);

    final int httpPort;
    final int mllpPort;
    final double startupSeconds;
    private final Process process;

    private final BenchClient client;

    private ServerProcess(Process process, int httpPort, int mllpPort, double startupSeconds) {
        this.process = process;
        this.httpPort = httpPort;
        this.mllpPort = mllpPort;
        this.startupSeconds = startupSeconds;
        this.client = BenchClient.operator("http://127.0.0.1:" + httpPort);
    }

    /** Starts the server and returns once {@code GET /fhir/metadata} has answered 200. */
    static ServerProcess start(
            BenchOptions options, Path jar, BenchDatabase database, String mode, Path workDir, Path log)
            throws IOException, InterruptedException {
        int httpPort = freePort();
        int mllpPort = freePort();
        // The start script beside the jar, as operators start it: it runs JAVA with SEHAT_JAVA_OPTS,
        // and with the AOT cache beside the jar on Java 25+ (exec: the process is the JVM itself).
        List<String> command = new ArrayList<>();
        command.add(jar.resolveSibling("sehat-hub").toString());
        command.addAll(List.of("--server.port=" + httpPort, "--sehat.ingest.mllp.port=" + mllpPort));
        command.addAll(BenchClient.serverArgs());
        command.addAll(options.argsFor(mode));
        List<String> profiles = new ArrayList<>(database.profiles());
        if (mode.equals("stock")) {
            profiles.add("stock-hapi");
        }
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        Map<String, String> env = builder.environment();
        env.putAll(database.environment());
        env.put("JAVA", options.javaFor(mode));
        env.put("SEHAT_JAVA_OPTS", String.join(" ", options.serverJvm()));
        env.put("SPRING_PROFILES_ACTIVE", String.join(",", profiles));
        Files.createDirectories(log.getParent());
        Files.writeString(
                log,
                "\n=== " + String.join(" ", command) + " (java " + options.javaFor(mode) + ", profiles " + profiles
                        + ")\n",
                java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.APPEND);

        long started = System.nanoTime();
        Process process = builder.start();
        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        URI metadata = URI.create("http://127.0.0.1:" + httpPort + "/fhir/metadata");
        while (true) {
            if (!process.isAlive()) {
                throw new IOException("Server exited with " + process.exitValue() + " before answering; see " + log);
            }
            if (System.nanoTime() - started > START_LIMIT.toNanos()) {
                process.destroyForcibly();
                throw new IOException("Server did not answer /fhir/metadata within " + START_LIMIT + "; see " + log);
            }
            try {
                HttpResponse<Void> response = http.send(
                        HttpRequest.newBuilder(metadata)
                                .timeout(Duration.ofSeconds(10))
                                .GET()
                                .build(),
                        HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200) {
                    break;
                }
            } catch (IOException notYet) {
                // Not listening yet.
            }
            // Polling a process we do not control: a short pause between attempts keeps the
            // measurement within 0.1 s without busy-waiting on a 2-core machine.
            process.waitFor(100, TimeUnit.MILLISECONDS);
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        return new ServerProcess(process, httpPort, mllpPort, seconds);
    }

    /**
     * The major version of a java binary (its {@code -version} output), to know whether the start
     * script will use an AOT cache.
     */
    static int javaMajor(String java) throws IOException, InterruptedException {
        Process version =
                new ProcessBuilder(java, "-version").redirectErrorStream(true).start();
        String output = new String(version.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        version.waitFor();
        Matcher matcher = Pattern.compile("version \"(\\d+)").matcher(output);
        return matcher.find() ? Integer.parseInt(matcher.group(1)) : 0;
    }

    /**
     * Makes the AOT cache beside the jar with {@code sehat-hub aot-cache} (a training start on a
     * throwaway data folder) and returns the seconds it took.
     */
    static double createAotCache(BenchOptions options, Path jar, String java, Path log)
            throws IOException, InterruptedException {
        long started = System.nanoTime();
        ProcessBuilder builder = new ProcessBuilder(
                        jar.resolveSibling("sehat-hub").toString(), "aot-cache")
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().put("JAVA", java);
        // The flags the server will start with: the script uses a cache only with the flags it was made with.
        builder.environment().put("SEHAT_JAVA_OPTS", String.join(" ", options.serverJvm()));
        Process process = builder.start();
        if (!process.waitFor(10, TimeUnit.MINUTES) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new IOException("sehat-hub aot-cache failed; see " + log);
        }
        return (System.nanoTime() - started) / 1e9;
    }

    /** The benchmark's operator client of this server, for its tokens. */
    BenchClient client() {
        return client;
    }

    /** The benchmark's telehealth app client of this server (consents decide what it reads). */
    BenchClient appClient() {
        return BenchClient.app("http://127.0.0.1:" + httpPort);
    }

    BenchClient analystClient() {
        return BenchClient.analyst(root());
    }

    /** The server's root URL, where {@code /analytics} and {@code /admin} are. */
    String root() {
        return "http://127.0.0.1:" + httpPort;
    }

    String baseUrl() {
        return "http://127.0.0.1:" + httpPort + "/fhir";
    }

    long pid() {
        return process.pid();
    }

    /** Resident set size of the server process in MB, from /proc (Linux). */
    double rssMb() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
            }
        }
        return Double.NaN;
    }

    /**
     * Waits until the server has finished the work a load leaves behind (Hibernate Search writing
     * queued index changes, HAPI's background jobs): its CPU use stays under 5% of one core for
     * three seconds in a row, or {@code limit} passes. Returns the seconds waited.
     */
    double awaitIdle(Duration limit) throws IOException, InterruptedException {
        long started = System.nanoTime();
        long ticksPerSecond = 100; // USER_HZ on Linux
        long previous = cpuTicks();
        int quietSeconds = 0;
        while (quietSeconds < 3 && System.nanoTime() - started < limit.toNanos()) {
            process.waitFor(1, TimeUnit.SECONDS);
            long now = cpuTicks();
            boolean quiet = now - previous < ticksPerSecond / 20; // under 5% of one core over the last second
            quietSeconds = quiet ? quietSeconds + 1 : 0;
            previous = now;
        }
        return (System.nanoTime() - started) / 1e9;
    }

    /** User plus system CPU time of the server process, in clock ticks (/proc/PID/stat fields 14, 15). */
    private long cpuTicks() throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(90, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
