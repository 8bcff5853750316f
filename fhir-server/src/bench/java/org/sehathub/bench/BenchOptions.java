package org.sehathub.bench;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Everything the benchmark can be told, read from {@code -Dbench.*} system properties (the Maven
 * profile passes them through). Sizes and repetitions are parameters so a smoke run takes minutes.
 *
 * @param patients Synthea population size (alive patients)
 * @param seed Synthea's and the HL7 v2 generator's seed
 * @param repetitions how many times each measurement is repeated; figures are median, min and max
 * @param databases which databases to run on, in order: {@code postgres}, {@code embedded}
 * @param modes server variants run on each database: {@code tuned} (our settings), {@code stock}
 *     (profile {@code stock-hapi}); any other name is {@code tuned} plus {@code bench.args.NAME}
 * @param readRequests requests per read measurement (spread over the clients)
 * @param hl7Messages HL7 v2 messages sent per MLLP repetition
 * @param restarts server restarts on the loaded database, each timed
 * @param workloads which parts run: {@code fhir}, {@code mllp}, {@code reads} and {@code analytics}
 *     (both need fhir), {@code match} (patient linking at scale: its own generated population, then {@code $match})
 * @param serverJvm JVM flags for the server process (the documented heap flags)
 * @param jar the server jar
 * @param cacheDir where Synthea and its populations are kept between runs
 * @param resultsDir where JSON results go
 * @param performanceDoc the markdown file whose results section is rewritten
 * @param mavenWrapper the repository's {@code mvnw}, used once to fetch Synthea
 * @param offline pass {@code -o} to that Maven call
 * @param matchPatients generated Patients loaded by the {@code match} workload before it times {@code $match}
 */
record BenchOptions(
        int patients,
        long seed,
        int repetitions,
        List<String> databases,
        List<String> modes,
        int readRequests,
        int hl7Messages,
        int restarts,
        List<String> workloads,
        List<String> serverJvm,
        Path jar,
        Path cacheDir,
        Path resultsDir,
        Path performanceDoc,
        Path mavenWrapper,
        boolean offline,
        int matchPatients) {

    /**
     * The server heap flags docs/operations.md recommends: a small young generation and the serial
     * collector keep RSS after start under 700 MB on this 2-core machine (G1 cost ~100 MB more);
     * the 3 GB ceiling is for four concurrent bulk bundles of Synthea's size, the heap grows only then.
     * The bench profile in fhir-server/pom.xml passes the same string as {@code bench.serverJvm}
     * (Maven needs it as a property); this default serves runs of the driver without Maven.
     */
    static final String DOCUMENTED_SERVER_JVM = "-Xms128m -Xmx3g -Xmn96m -XX:+UseSerialGC"
            + " -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=30 -XX:ReservedCodeCacheSize=128m -Xss512k";

    static BenchOptions fromSystemProperties() {
        Path repo = Path.of(property("bench.repo", ".")).toAbsolutePath().normalize();
        return new BenchOptions(
                Integer.parseInt(property("bench.patients", "200")),
                Long.parseLong(property("bench.seed", "42")),
                Integer.parseInt(property("bench.repetitions", "3")),
                list(property("bench.databases", "postgres,embedded")),
                list(property("bench.modes", "tuned,stock")),
                Integer.parseInt(property("bench.readRequests", "80")),
                Integer.parseInt(property("bench.hl7Messages", "2000")),
                Integer.parseInt(property("bench.restarts", "1")),
                list(property("bench.workloads", "fhir,mllp,reads,analytics")),
                Arrays.asList(property("bench.serverJvm", DOCUMENTED_SERVER_JVM)
                        .trim()
                        .split("\\s+")),
                Path.of(property(
                        "bench.jar",
                        repo.resolve("fhir-server/target/sehat-hub.jar").toString())),
                Path.of(property("bench.cache", System.getProperty("user.home") + "/.cache/sehat-hub-bench")),
                Path.of(property(
                        "bench.results", repo.resolve("docs/performance").toString())),
                Path.of(property(
                        "bench.doc", repo.resolve("docs/performance.md").toString())),
                repo.resolve("mvnw"),
                Boolean.parseBoolean(property("bench.offline", "false")),
                Integer.parseInt(property("bench.matchPatients", "100000")));
    }

    /**
     * The java that runs the server in a mode: {@code bench.java.MODE}, else {@code bench.java},
     * else the benchmark's own. On Java 25 or newer the server starts with its AOT cache
     * ({@code sehat-hub aot-cache}, docs/operations.md), made once per run before the first start.
     */
    String javaFor(String mode) {
        return property(
                "bench.java." + mode,
                property(
                        "bench.java",
                        Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    }

    /** Extra server arguments for a named mode, e.g. {@code -Dbench.args.nocache=--sehat.fhir.match-url-cache=false}. */
    List<String> argsFor(String mode) {
        String extra = System.getProperty("bench.args." + mode, "").trim();
        return extra.isEmpty() ? List.of() : Arrays.asList(extra.split("\\s+"));
    }

    private static String property(String key, String fallback) {
        String value = System.getProperty(key);
        return value == null || value.isBlank() ? fallback : value.trim();
    }

    private static List<String> list(String csv) {
        return Arrays.stream(csv.split(","))
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .toList();
    }
}
