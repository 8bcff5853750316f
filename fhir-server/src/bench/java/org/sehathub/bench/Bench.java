package org.sehathub.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The Sehat Hub benchmark: a Synthea population and an HL7 v2 stream against the server jar, on
 * PostgreSQL and on the embedded default, with our storage tuning and with HAPI's stock settings.
 * Run it with {@code fhir-server/bench/run.sh} (see docs/performance.md); not part of the tests.
 */
public final class Bench {

    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");

    private Bench() {}

    public static void main(String[] args) throws Exception {
        BenchOptions options = BenchOptions.fromSystemProperties();
        if (!Files.exists(options.jar())) {
            throw new IllegalStateException(
                    "No server jar at " + options.jar() + "; build it first (./mvnw -B -DskipTests package)");
        }
        MachineInfo before = MachineInfo.capture();
        log(
                "Benchmark: %d patients, seed %d, %d repetition(s), databases %s, modes %s, server JVM %s",
                options.patients(),
                options.seed(),
                options.repetitions(),
                options.databases(),
                options.modes(),
                String.join(" ", options.serverJvm()));
        SyntheaPopulation population = SyntheaPopulation.ensure(options);
        long resources = population.patients().stream()
                .mapToLong(SyntheaPopulation.PatientBundle::resources)
                .sum();
        log(
                "Population: %d patient bundles, %d resources",
                population.patients().size(), resources);

        Path repo = options.mavenWrapper().getParent();
        Path logDir = repo.resolve("fhir-server/target/bench-logs");
        Files.createDirectories(logDir);
        // A private copy of the jar and the lib/ folder its manifest names: a build running beside the
        // benchmark may rewrite target/ under a running server, and every run must use the same jar.
        Path copy = Files.createTempDirectory("sehat-bench-jar-");
        Path jar = copy.resolve("sehat-hub.jar");
        Files.copy(options.jar(), jar);
        Files.copy(
                options.jar().resolveSibling("sehat-hub"),
                copy.resolve("sehat-hub"),
                StandardCopyOption.COPY_ATTRIBUTES);
        Path lib = Files.createDirectory(copy.resolve("lib"));
        try (Stream<Path> libraries = Files.list(options.jar().resolveSibling("lib"))) {
            for (Path library : libraries.toList()) {
                Files.copy(library, lib.resolve(library.getFileName()));
            }
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                SyntheaPopulation.deleteRecursively(copy);
            } catch (IOException ignored) {
                // A temporary folder; the system cleans it eventually.
            }
        }));
        List<BenchRun.Outcome> outcomes = new ArrayList<>();
        BenchRun run = new BenchRun(options, jar, population, new Hl7v2Stream(options.seed()), repo, logDir);
        LocalDateTime started = LocalDateTime.now();
        for (String database : options.databases()) {
            for (String mode : options.modes()) {
                log("=== %s / %s", database, mode);
                outcomes.add(run.execute(database, mode));
                // Written after every run, so a benchmark stopped part-way still leaves what it measured.
                Path json =
                        new BenchReport(options, population, before, MachineInfo.capture(), outcomes, started).write();
                log("Results so far: %s and %s", json, options.performanceDoc());
            }
        }
    }

    static synchronized void log(String format, Object... args) {
        System.out.println(LocalTime.now().format(CLOCK) + " " + String.format(format, args));
    }
}
