package org.sehathub.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A Synthea population, generated once per (seed, size) and kept in the cache folder: Synthea and
 * its libraries are fetched from Maven Central with the repository's Maven wrapper and run as their
 * own process, so Synthea's HAPI FHIR version never shares a classpath with ours.
 *
 * @param sharedBundles the hospital and practitioner batch bundles; patient bundles refer to their
 *     organisations, locations and practitioners by conditional URL, so these are loaded first
 * @param patients one summary per patient bundle, sorted by file name
 */
record SyntheaPopulation(List<Path> sharedBundles, List<PatientBundle> patients) {

    private static final String SYNTHEA = "synthea-3.3.0";
    private static final String SYNTHEA_IDENTIFIER_SYSTEM = "https://github.com/synthetichealth/synthea";

    /**
     * What the read workload needs to know about one patient bundle.
     *
     * @param file the transaction bundle
     * @param resources its entry count
     * @param identifier the patient's Synthea identifier (system|value)
     * @param family the patient's family name
     * @param observationCodes LOINC codes of the patient's observations, most frequent first
     * @param conditionCodes SNOMED codes of the patient's conditions
     */
    record PatientBundle(
            Path file,
            int resources,
            String identifier,
            String family,
            List<String> observationCodes,
            List<String> conditionCodes) {}

    static SyntheaPopulation ensure(BenchOptions options) throws IOException, InterruptedException {
        Path lib = options.cacheDir().resolve(SYNTHEA).resolve("lib");
        if (!Files.isDirectory(lib) || !Files.exists(lib.resolve("synthea-3.3.0.jar"))) {
            fetchSynthea(options, lib);
        }
        Path folder = options.cacheDir().resolve("population-seed" + options.seed() + "-p" + options.patients());
        if (!Files.exists(folder.resolve("COMPLETE"))) {
            generate(options, lib, folder);
        }
        return read(folder.resolve("fhir"));
    }

    private static void fetchSynthea(BenchOptions options, Path lib) throws IOException, InterruptedException {
        Bench.log("Fetching Synthea 3.3.0 and its libraries into %s", lib);
        Path pom = options.mavenWrapper().getParent().resolve("fhir-server/bench/synthea/pom.xml");
        List<String> command = new ArrayList<>(List.of(options.mavenWrapper().toString(), "-q", "-B"));
        if (options.offline()) {
            command.add("-o");
        }
        command.addAll(List.of("-f", pom.toString(), "dependency:copy-dependencies", "-DoutputDirectory=" + lib));
        run(command, options.cacheDir().resolve("synthea-fetch.log"));
    }

    private static void generate(BenchOptions options, Path lib, Path folder) throws IOException, InterruptedException {
        Bench.log("Generating %d Synthea patients (seed %d) into %s", options.patients(), options.seed(), folder);
        deleteRecursively(folder);
        Files.createDirectories(folder);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        run(
                List.of(
                        java,
                        "-Xmx2g",
                        "-cp",
                        lib + "/*",
                        "App",
                        "-s",
                        Long.toString(options.seed()),
                        "-cs",
                        Long.toString(options.seed()),
                        "-p",
                        Integer.toString(options.patients()),
                        "--exporter.baseDirectory=" + folder + "/"),
                folder.resolve("synthea.log"));
        Files.writeString(folder.resolve("COMPLETE"), "");
    }

    private static void run(List<String> command, Path log) throws IOException, InterruptedException {
        Files.createDirectories(log.getParent());
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        int exit = process.waitFor();
        if (exit != 0) {
            throw new IOException("Command failed (exit " + exit + "), see " + log + ": " + String.join(" ", command));
        }
    }

    private static SyntheaPopulation read(Path fhirFolder) throws IOException {
        ObjectMapper json = new ObjectMapper();
        List<Path> shared = new ArrayList<>();
        List<PatientBundle> patients = new ArrayList<>();
        List<Path> files;
        try (Stream<Path> listing = Files.list(fhirFolder)) {
            files = listing.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
        for (Path file : files) {
            String name = file.getFileName().toString();
            if (name.startsWith("hospitalInformation")) {
                shared.add(0, file);
            } else if (name.startsWith("practitionerInformation")) {
                shared.add(file);
            } else {
                patients.add(summarize(json.readTree(file.toFile()), file));
            }
        }
        return new SyntheaPopulation(shared, patients);
    }

    private static PatientBundle summarize(JsonNode bundle, Path file) {
        String identifier = null;
        String family = null;
        Map<String, Integer> observationCodes = new HashMap<>();
        Map<String, Integer> conditionCodes = new HashMap<>();
        for (JsonNode entry : bundle.path("entry")) {
            JsonNode resource = entry.path("resource");
            switch (resource.path("resourceType").asText()) {
                case "Patient" -> {
                    for (JsonNode id : resource.path("identifier")) {
                        if (SYNTHEA_IDENTIFIER_SYSTEM.equals(id.path("system").asText())) {
                            identifier = SYNTHEA_IDENTIFIER_SYSTEM + "|"
                                    + id.path("value").asText();
                        }
                    }
                    family = resource.path("name").path(0).path("family").asText();
                }
                case "Observation" ->
                    count(observationCodes, resource.path("code").path("coding").path(0));
                case "Condition" ->
                    count(conditionCodes, resource.path("code").path("coding").path(0));
                default -> {
                    // Other resource types are loaded but not queried by name.
                }
            }
        }
        return new PatientBundle(
                file,
                bundle.path("entry").size(),
                identifier,
                family,
                byFrequency(observationCodes),
                byFrequency(conditionCodes));
    }

    private static void count(Map<String, Integer> counts, JsonNode coding) {
        if (!coding.isMissingNode()) {
            counts.merge(
                    coding.path("system").asText() + "|" + coding.path("code").asText(), 1, Integer::sum);
        }
    }

    private static List<String> byFrequency(Map<String, Integer> counts) {
        return counts.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue()
                        .reversed()
                        .thenComparing(Map.Entry.comparingByKey()))
                .map(Map.Entry::getKey)
                .toList();
    }

    static void deleteRecursively(Path folder) throws IOException {
        if (!Files.exists(folder)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(folder)) {
            for (Path p :
                    walk.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
