package org.sehathub.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Writes a run's results: a JSON file under docs/performance/ and the results section of
 * docs/performance.md (between its bench:results markers), with the machine and settings.
 */
final class BenchReport {

    static final String START = "<!-- bench:results:start -->";
    static final String END = "<!-- bench:results:end -->";

    private final BenchOptions options;
    private final SyntheaPopulation population;
    private final MachineInfo before;
    private final MachineInfo after;
    private final List<BenchRun.Outcome> outcomes;
    private final LocalDateTime when;

    /** {@code when} names the results file, so the report of one benchmark keeps one file as it grows. */
    BenchReport(
            BenchOptions options,
            SyntheaPopulation population,
            MachineInfo before,
            MachineInfo after,
            List<BenchRun.Outcome> outcomes,
            LocalDateTime when) {
        this.when = when;
        this.options = options;
        this.population = population;
        this.before = before;
        this.after = after;
        this.outcomes = outcomes;
    }

    Path write() throws IOException {
        Files.createDirectories(options.resultsDir());
        Path json = options.resultsDir()
                .resolve("results-" + when.format(DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HHmm")) + "-p"
                        + options.patients() + ".json");
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(json.toFile(), toJson());
        writeMarkdown(json);
        return json;
    }

    private ObjectNode toJson() {
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode root = mapper.createObjectNode();
        root.put("date", when.toString());
        ObjectNode opts = root.putObject("options");
        opts.put("patients", options.patients());
        opts.put("patientBundles", population.patients().size());
        opts.put("resources", totalResources());
        opts.put("seed", options.seed());
        opts.put("repetitions", options.repetitions());
        opts.put("readRequests", options.readRequests());
        opts.put("hl7Messages", options.hl7Messages());
        opts.put("restarts", options.restarts());
        opts.put("serverJvm", String.join(" ", options.serverJvm()));
        root.set("machineBefore", mapper.valueToTree(before.facts()));
        root.set("machineAfter", mapper.valueToTree(after.facts()));
        ArrayNode runs = root.putArray("runs");
        for (BenchRun.Outcome outcome : outcomes) {
            ObjectNode run = runs.addObject();
            run.put("database", outcome.database());
            run.put("mode", outcome.mode());
            run.set("settings", mapper.valueToTree(outcome.description()));
            ObjectNode figures = run.putObject("figures");
            for (Measurements.Series series : outcome.measurements().series.values()) {
                Stats.Spread spread = series.spread();
                ObjectNode figure = figures.putObject(series.name());
                figure.put("label", series.label());
                figure.put("unit", series.unit());
                figure.put("higherIsBetter", series.higherIsBetter());
                figure.put("median", spread.median());
                figure.put("min", spread.min());
                figure.put("max", spread.max());
                figure.put("n", spread.n());
                BenchRun.Outcome stock = stockFor(outcome.database());
                if (stock != null
                        && stock != outcome
                        && stock.measurements().series.containsKey(series.name())) {
                    figure.put(
                            "ratioToStock",
                            spread.median()
                                    / stock.measurements()
                                            .series
                                            .get(series.name())
                                            .spread()
                                            .median());
                }
            }
            ArrayNode notes = run.putArray("notes");
            outcome.measurements().notes.forEach(notes::add);
        }
        return root;
    }

    /** A run of the match workload alone: its own generated population, none of Synthea's loaded. */
    private boolean matchOnly() {
        return options.workloads().equals(List.of("match"));
    }

    private void writeMarkdown(Path json) throws IOException {
        StringBuilder md = new StringBuilder();
        md.append("### Run: ")
                .append(when.format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm")))
                .append(", ");
        if (matchOnly()) {
            md.append("`match` workload only: ")
                    .append(String.format(Locale.ROOT, "%,d", options.matchPatients()))
                    .append(" generated patients");
        } else {
            md.append(population.patients().size())
                    .append(" Synthea patient bundles (")
                    .append(String.format(Locale.ROOT, "%,d", totalResources()))
                    .append(" resources)");
        }
        md.append(", seed ")
                .append(options.seed())
                .append(", ")
                .append(options.repetitions())
                .append(" repetition(s)\n\n");
        md.append("- Machine: ")
                .append(before.facts().get("cores"))
                .append(" cores (")
                .append(before.facts().get("cpu"))
                .append("), ")
                .append(before.facts().get("memoryGiB"))
                .append(" GiB RAM, ")
                .append(before.facts().get("java"))
                .append(", ")
                .append(before.facts().get("os"))
                .append("\n");
        md.append("- Load average (1/5/15 min): ")
                .append(before.facts().get("loadAverage"))
                .append(" before, ")
                .append(after.facts().get("loadAverage"))
                .append(" after (the machine is shared)\n");
        md.append("- Server JVM: `")
                .append(String.join(" ", options.serverJvm()))
                .append("`\n");
        md.append("- Workload: ingest slices of the population at 1 and 4 clients per repetition; ")
                .append(options.hl7Messages())
                .append(" HL7 v2 messages per MLLP repetition; ")
                .append(options.readRequests())
                .append(" requests per read figure; ")
                .append(options.restarts())
                .append(" timed restart(s)\n");
        md.append("- Raw results: `")
                .append(options.performanceDoc().getParent().relativize(json))
                .append("`\n\n");
        md.append("Ratios are ours/stock of the medians: above 1 is better for throughput, below 1 is better for ")
                .append("times, latencies and memory.\n\n");
        Set<String> databases = new LinkedHashSet<>();
        outcomes.forEach(o -> databases.add(o.database()));
        for (String database : databases) {
            List<BenchRun.Outcome> runs =
                    outcomes.stream().filter(o -> o.database().equals(database)).toList();
            BenchRun.Outcome stock = stockFor(database);
            md.append("#### ")
                    .append(
                            database.equals("postgres")
                                    ? "PostgreSQL"
                                    : "Embedded default (PostgreSQL run by the server)")
                    .append("\n\n");
            md.append("| figure | unit |");
            runs.forEach(r -> md.append(' ')
                    .append(r.mode().equals("stock") ? "stock HAPI" : r.mode())
                    .append(": median (min-max) |"));
            runs.stream()
                    .filter(r -> r != stock && stock != null)
                    .forEach(r -> md.append(' ').append(r.mode()).append("/stock |"));
            md.append("\n|---|---|");
            runs.forEach(r -> md.append("---|"));
            runs.stream().filter(r -> r != stock && stock != null).forEach(r -> md.append("---|"));
            md.append('\n');
            Set<String> names = new LinkedHashSet<>();
            runs.forEach(r -> names.addAll(r.measurements().series.keySet()));
            for (String name : names) {
                Measurements.Series any = runs.stream()
                        .map(r -> r.measurements().series.get(name))
                        .filter(java.util.Objects::nonNull)
                        .findFirst()
                        .orElseThrow();
                md.append("| ")
                        .append(any.label().replace("|", "\\|"))
                        .append(" | ")
                        .append(any.unit())
                        .append(" |");
                for (BenchRun.Outcome r : runs) {
                    Measurements.Series s = r.measurements().series.get(name);
                    md.append(' ').append(s == null ? "-" : format(s.spread())).append(" |");
                }
                for (BenchRun.Outcome r : runs) {
                    if (r == stock || stock == null) {
                        continue;
                    }
                    Measurements.Series ours = r.measurements().series.get(name);
                    Measurements.Series theirs = stock.measurements().series.get(name);
                    md.append(' ')
                            .append(
                                    ours == null || theirs == null
                                            ? "-"
                                            : String.format(
                                                    Locale.ROOT,
                                                    "%.2f",
                                                    ours.spread().median()
                                                            / theirs.spread().median()))
                            .append(" |");
                }
                md.append('\n');
            }
            md.append('\n');
            for (BenchRun.Outcome r : runs) {
                md.append("Settings, ").append(r.mode()).append(": ");
                r.description()
                        .forEach((k, v) ->
                                md.append('`').append(k).append('=').append(v).append("` "));
                md.append("\n\n");
                for (String note : r.measurements().notes) {
                    md.append("- Note (")
                            .append(r.mode())
                            .append("): ")
                            .append(note)
                            .append('\n');
                }
                if (!r.measurements().notes.isEmpty()) {
                    md.append('\n');
                }
            }
        }
        // Each (size, databases) combination keeps its own block, newest combination first, so a
        // large PostgreSQL-only run and a smaller run on both databases can stand side by side. A
        // run of the match workload alone loads its own generated population, not Synthea's: its
        // own block, so it does not replace the last full run at the same bench.patients.
        String population = matchOnly() ? "match" + options.matchPatients() : "p" + options.patients();
        String key = population + "-" + String.join("+", options.databases());
        String blockStart = "<!-- bench:run:" + key + ":start -->";
        String blockEnd = "<!-- bench:run:" + key + ":end -->";
        String block = blockStart + "\n" + md + blockEnd;
        Path doc = options.performanceDoc();
        String existing = Files.exists(doc) ? Files.readString(doc) : "# Performance\n\n";
        String updated;
        int start = existing.indexOf(blockStart);
        int end = existing.indexOf(blockEnd);
        if (start >= 0 && end > start) {
            updated = existing.substring(0, start) + block + existing.substring(end + blockEnd.length());
        } else if (existing.contains(START)) {
            int at = existing.indexOf(START) + START.length();
            updated = existing.substring(0, at) + "\n\n" + block + existing.substring(at);
        } else {
            updated = existing + "\n## Results\n\n" + START + "\n\n" + block + "\n\n" + END + "\n";
        }
        Files.writeString(doc, updated);
    }

    private BenchRun.Outcome stockFor(String database) {
        return outcomes.stream()
                .filter(o -> o.database().equals(database) && o.mode().equals("stock"))
                .findFirst()
                .orElse(null);
    }

    private long totalResources() {
        return population.patients().stream()
                .mapToLong(SyntheaPopulation.PatientBundle::resources)
                .sum();
    }

    private static String format(Stats.Spread spread) {
        if (spread.n() == 0) {
            return "-";
        }
        if (spread.n() == 1) {
            return number(spread.median());
        }
        return number(spread.median()) + " (" + number(spread.min()) + "-" + number(spread.max()) + ")";
    }

    private static String number(double value) {
        if (Double.isNaN(value)) {
            return "-";
        }
        return Math.abs(value) >= 100
                ? String.format(Locale.ROOT, "%,.0f", value)
                : String.format(Locale.ROOT, "%.1f", value);
    }
}
