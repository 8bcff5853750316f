package org.sehathub.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One server run: a fresh database, the server in one mode (our tuning or HAPI's stock settings),
 * then the whole workload in a fixed order: start, FHIR ingest, MLLP ingest, reads, restart. Before
 * MLLP and before reads the run settles: ANALYZE on PostgreSQL, then a wait until the server is idle.
 */
final class BenchRun {

    /**
     * What one run produced.
     *
     * @param database {@code postgres} or {@code embedded}
     * @param mode {@code tuned}, {@code stock} or a named variant
     * @param description database facts and server flags
     * @param measurements the figures
     */
    record Outcome(String database, String mode, Map<String, String> description, Measurements measurements) {}

    private static final int[] INGEST_CLIENTS = {1, 4};
    private static final int[] READ_CLIENTS = {1, 8};
    private static final int MLLP_CONNECTIONS = 8;
    private static final Duration SETTLE_LIMIT = Duration.ofMinutes(3);
    /**
     * How long after start the resident size is read again, the server idle: start-up's garbage
     * collected and freed native memory given back (the start script trims it every 5 s).
     */
    private static final int SETTLE_SECONDS = 10;
    /** The server's {@code sehat.analytics.settle} as the benchmark runs it (the default). */
    private static final Duration ANALYTICS_SETTLE = Duration.ofSeconds(30);

    private final BenchOptions options;
    private final SyntheaPopulation population;
    private final Hl7v2Stream hl7;
    private final Path workDir;
    private final Path logDir;
    private final Path jar;

    BenchRun(BenchOptions options, Path jar, SyntheaPopulation population, Hl7v2Stream hl7, Path workDir, Path logDir) {
        this.jar = jar;
        this.options = options;
        this.population = population;
        this.hl7 = hl7;
        this.workDir = workDir;
        this.logDir = logDir;
    }

    Outcome execute(String kind, String mode) throws Exception {
        Measurements m = new Measurements();
        Path log = logDir.resolve(kind + "-" + mode + ".log");
        Map<String, String> description = new java.util.LinkedHashMap<>();
        try (BenchDatabase database = BenchDatabase.create(kind)) {
            description.putAll(database.description());
            description.put("serverJvm", String.join(" ", options.serverJvm()));
            String java = options.javaFor(mode);
            int javaMajor = ServerProcess.javaMajor(java);
            description.put("serverJava", java + " (Java " + javaMajor + ")");
            Files.deleteIfExists(jar.resolveSibling("sehat-hub.aot"));
            if (javaMajor >= 25) {
                Files.createDirectories(log.getParent());
                double seconds = ServerProcess.createAotCache(options, jar, java, log);
                Bench.log("[%s/%s] AOT cache created in %.1f s", kind, mode, seconds);
                description.put("aotCache", "sehat-hub aot-cache, made before the first start");
            }
            List<String> profiles = new ArrayList<>(database.profiles());
            if (mode.equals("stock")) {
                profiles.add("stock-hapi");
            }
            description.put("profiles", String.join(",", profiles));
            description.put("serverArgs", String.join(" ", options.argsFor(mode)));
            try (ServerProcess server = ServerProcess.start(options, jar, database, mode, workDir, log)) {
                Bench.log("[%s/%s] started in %.1f s, RSS %.0f MB", kind, mode, server.startupSeconds, server.rssMb());
                if (database.reused) {
                    addRestart(m, server.startupSeconds);
                } else {
                    m.add(
                            "startup.fresh",
                            "Startup to first /fhir/metadata 200 (empty database, schema created)",
                            "s",
                            false,
                            server.startupSeconds);
                }
                m.add("rss.afterStart", "RSS after start", "MB", false, server.rssMb());
                m.add("rss.settled", "RSS " + SETTLE_SECONDS + " s after start, idle", "MB", false, settledRss(server));
                CpuMeter cpu = CpuMeter.of(server, database);
                boolean loaded = options.workloads().contains("fhir");
                if (database.reused) {
                    Bench.log("[%s/%s] on the loaded data folder %s: nothing loaded", kind, mode, database.dataDir);
                    m.notes.add(
                            "Run on a data folder loaded by an earlier run (bench.reuse), without loading it again");
                    loader = new FhirLoad(server.baseUrl(), server.client());
                    loader.findLoaded(population.patients());
                } else if (loaded) {
                    ingest(server, database, cpu, m);
                }
                if (options.workloads().contains("mllp")) {
                    settle(server, database);
                    mllp(server, database, cpu, m);
                }
                if ((loaded || database.reused) && options.workloads().contains("reads")) {
                    settle(server, database);
                    reads(server, m);
                }
                if ((loaded || database.reused) && options.workloads().contains("analytics")) {
                    settle(server, database);
                    analytics(server, m);
                }
                if (options.workloads().contains("match")) {
                    settle(server, database);
                    match(server, database, m);
                }
                m.add("rss.afterLoad", "RSS after the load", "MB", false, server.rssMb());
            }
            for (int i = 0; i < options.restarts(); i++) {
                try (ServerProcess server = ServerProcess.start(options, jar, database, mode, workDir, log)) {
                    Bench.log(
                            "[%s/%s] restarted in %.1f s, RSS %.0f MB",
                            kind, mode, server.startupSeconds, server.rssMb());
                    addRestart(m, server.startupSeconds);
                    m.add("rss.afterRestart", "RSS after restart", "MB", false, server.rssMb());
                    m.add(
                            "rss.settledAfterRestart",
                            "RSS " + SETTLE_SECONDS + " s after restart, idle",
                            "MB",
                            false,
                            settledRss(server));
                }
            }
        }
        return new Outcome(kind, mode, description, m);
    }

    private static double settledRss(ServerProcess server) throws Exception {
        Thread.sleep(SETTLE_SECONDS * 1000L);
        return server.rssMb();
    }

    private static void addRestart(Measurements m, double seconds) {
        m.add("startup.restart", "Startup to first /fhir/metadata 200 (loaded database)", "s", false, seconds);
    }

    /**
     * Between workloads: the database's after-load step, then wait for the server to finish what
     * the previous workload left queued, so each figure measures its own workload only: the
     * analytical store's views brought up to date (the server's background refresh takes a
     * write only once it has settled, so the last half minute of a load would otherwise be brought
     * in during the next figure), then the server idle.
     */
    private static void settle(ServerProcess server, BenchDatabase database) throws Exception {
        long started = System.nanoTime();
        database.afterBulkLoad();
        double analyzed = (System.nanoTime() - started) / 1e9;
        double caughtUp =
                new AnalyticsWorkload(server.root(), server.analystClient(), server.client()).catchUp(ANALYTICS_SETTLE);
        double idle = server.awaitIdle(SETTLE_LIMIT);
        Bench.log(
                "  settled: after-load step %.1f s, analytics views up to date after %.1f s more, server idle after %.1f s more",
                analyzed, caughtUp, idle);
    }

    private void ingest(ServerProcess server, BenchDatabase database, CpuMeter cpu, Measurements m) throws Exception {
        FhirLoad load = new FhirLoad(server.baseUrl(), server.client());
        load.loadShared(population.sharedBundles());
        this.loader = load;
        Map<String, Long> insertedBefore = TableInserts.read(database);
        long resources = 0;
        List<List<SyntheaPopulation.PatientBundle>> slices =
                balancedSlices(population.patients(), options.repetitions() * INGEST_CLIENTS.length);
        for (int rep = 0; rep < options.repetitions(); rep++) {
            for (int k = 0; k < INGEST_CLIENTS.length; k++) {
                List<SyntheaPopulation.PatientBundle> bundles = slices.get(rep * INGEST_CLIENTS.length + k);
                if (bundles.isEmpty()) {
                    continue;
                }
                int clients = INGEST_CLIENTS[k];
                CpuMeter.Reading cpuBefore = cpu.read();
                FhirLoad.Result result = load.load(bundles, clients);
                CpuMeter.Reading used = cpu.read().since(cpuBefore);
                resources += result.resources();
                Bench.log(
                        "  ingest rep %d, %d client(s): %d resources in %.1f s = %.0f/s (%d bundles failed)",
                        rep + 1,
                        clients,
                        result.resources(),
                        result.seconds(),
                        result.resourcesPerSecond(),
                        result.failedBundles());
                m.add(
                        "fhirIngest.c" + clients,
                        "FHIR ingest, Synthea transaction bundles, " + clients + " client(s)",
                        "resources/s",
                        true,
                        result.resourcesPerSecond());
                m.add(
                        "fhirIngest.c" + clients + ".cpu.server",
                        "FHIR ingest, " + clients + " client(s): server CPU per resource",
                        "ms",
                        false,
                        1000 * used.server() / result.resources());
                m.add(
                        "fhirIngest.c" + clients + ".cpu.postgres",
                        "FHIR ingest, " + clients + " client(s): PostgreSQL CPU per resource",
                        "ms",
                        false,
                        1000 * used.postgres() / result.resources());
                if (result.failedBundles() > 0) {
                    m.notes.add(result.failedBundles() + " bundle(s) failed in ingest rep " + (rep + 1) + " at "
                            + clients + " client(s); see the server log");
                }
            }
        }
        TableInserts.per(insertedBefore, TableInserts.read(database), resources / 1000.0)
                .forEach((table, rows) -> m.add(
                        "fhirIngest.rows." + table,
                        "FHIR ingest: rows inserted into " + table,
                        "per 1,000 resources",
                        false,
                        rows));
    }

    private FhirLoad loader;

    /**
     * Splits the population into disjoint slices of nearly equal resource counts (largest bundle to
     * the lightest slice first): Synthea's bundles range from hundreds to tens of thousands of
     * resources, and a slice holding one giant bundle would measure that bundle, not the server.
     */
    static List<List<SyntheaPopulation.PatientBundle>> balancedSlices(
            List<SyntheaPopulation.PatientBundle> patients, int count) {
        List<List<SyntheaPopulation.PatientBundle>> slices = new ArrayList<>();
        long[] sizes = new long[count];
        for (int i = 0; i < count; i++) {
            slices.add(new ArrayList<>());
        }
        List<SyntheaPopulation.PatientBundle> bySize = new ArrayList<>(patients);
        bySize.sort(java.util.Comparator.comparingInt(SyntheaPopulation.PatientBundle::resources)
                .reversed()
                .thenComparing(p -> p.file().getFileName().toString()));
        for (SyntheaPopulation.PatientBundle bundle : bySize) {
            int lightest = 0;
            for (int i = 1; i < count; i++) {
                if (sizes[i] < sizes[lightest]) {
                    lightest = i;
                }
            }
            slices.get(lightest).add(bundle);
            sizes[lightest] += bundle.resources();
        }
        return slices;
    }

    private void mllp(ServerProcess server, BenchDatabase database, CpuMeter cpu, Measurements m) throws Exception {
        if (!MllpLoad.available(server.mllpPort)) {
            Bench.log("  MLLP: not available (nothing listens on the MLLP port)");
            m.notes.add("MLLP ingest: not available in this jar (nothing listened on the MLLP port)");
            return;
        }
        Map<String, Long> insertedBefore = TableInserts.read(database);
        ServerMeters meters = new ServerMeters(server);
        long messages = 0;
        int first = database.firstFreshHl7Repetition();
        if (first > 0) {
            m.notes.add("MLLP: messages of HL7 v2 repetitions from " + (first + 1)
                    + " (the reused folder holds the earlier ones)");
        }
        for (int rep = 0; rep < options.repetitions(); rep++) {
            Map<String, Double> metersBefore = meters.read();
            CpuMeter.Reading cpuBefore = cpu.read();
            MllpLoad.Result result =
                    MllpLoad.run(server.mllpPort, hl7, first + rep, options.hl7Messages(), MLLP_CONNECTIONS);
            database.hl7RepetitionsSent(first + rep + 1);
            CpuMeter.Reading used = cpu.read().since(cpuBefore);
            Map<String, Double> metersAfter = meters.read();
            messages += result.accepted() + result.otherAcks();
            Bench.log(
                    "  MLLP rep %d: %d AA, %d other in %.1f s = %.0f/s, ACK p50 %.1f ms p95 %.1f ms",
                    rep + 1,
                    result.accepted(),
                    result.otherAcks(),
                    result.seconds(),
                    result.acceptedPerSecond(),
                    Stats.percentile(result.ackMillis(), 50),
                    Stats.percentile(result.ackMillis(), 95));
            m.add(
                    "mllp.throughput",
                    "MLLP ingest, 8 connections, acknowledged (AA)",
                    "messages/s",
                    true,
                    result.acceptedPerSecond());
            m.add(
                    "mllp.ack.p50",
                    "MLLP ACK latency p50, 8 connections",
                    "ms",
                    false,
                    Stats.percentile(result.ackMillis(), 50));
            m.add(
                    "mllp.ack.p95",
                    "MLLP ACK latency p95, 8 connections",
                    "ms",
                    false,
                    Stats.percentile(result.ackMillis(), 95));
            int sent = Math.max(1, result.accepted() + result.otherAcks());
            m.add("mllp.cpu.server", "MLLP ingest: server CPU per message", "ms", false, 1000 * used.server() / sent);
            m.add(
                    "mllp.cpu.postgres",
                    "MLLP ingest: PostgreSQL CPU per message",
                    "ms",
                    false,
                    1000 * used.postgres() / sent);
            groupCommit(metersBefore, metersAfter, sent, m);
            if (result.otherAcks() > 0) {
                m.notes.add(result.otherAcks() + " HL7 v2 message(s) not acknowledged AA in MLLP rep " + (rep + 1));
            }
        }
        TableInserts.per(insertedBefore, TableInserts.read(database), messages)
                .forEach((table, rows) -> m.add(
                        "mllp.rows." + table, "MLLP ingest: rows inserted into " + table, "per message", false, rows));
    }

    /**
     * What group commit did with the MLLP messages (from the server's meters; absent when it is off):
     * the share of messages stored together with others, the mean size of those groups, and how
     * many were stored again alone after their group failed.
     */
    private static void groupCommit(Map<String, Double> before, Map<String, Double> after, int sent, Measurements m) {
        double grouped = ServerMeters.growth(before, after, "sehat_ingest_group_messages_sum");
        double groups = ServerMeters.growth(before, after, "sehat_ingest_group_messages_count");
        if (!after.containsKey("sehat_ingest_group_messages_count")) {
            return;
        }
        m.add(
                "mllp.group.share",
                "MLLP ingest: messages stored in a transaction with others (group commit)",
                "%",
                false,
                100 * grouped / sent);
        m.add(
                "mllp.group.size",
                "MLLP ingest: messages per group-commit transaction",
                "messages",
                false,
                groups == 0 ? 0 : grouped / groups);
        m.add(
                "mllp.group.retriedAlone",
                "MLLP ingest: messages stored again alone after their group failed",
                "per 1,000 messages",
                false,
                1000 * ServerMeters.growth(before, after, "sehat_ingest_group_retried_alone_total") / sent);
    }

    /**
     * The operator's reads, then (with authorization on) the same patients read by a telehealth app
     * that each patient's consent grants: the difference is what the consent checks cost.
     */
    private void reads(ServerProcess server, Measurements m) throws Exception {
        ReadWorkload reads =
                new ReadWorkload(server.baseUrl(), server.client(), population.patients(), loader.patientIds);
        boolean app = server.client().authorization().isPresent();
        if (app) {
            BenchConsents.grantApp(server.baseUrl(), server.client(), loader.patientIds.values());
        }
        ReadWorkload appReads =
                new ReadWorkload(server.baseUrl(), server.appClient(), population.patients(), loader.patientIds);
        for (int rep = 0; rep < options.repetitions(); rep++) {
            for (int clients : READ_CLIENTS) {
                for (ReadWorkload.Query query : reads.queries) {
                    measure(reads, query, clients, "read.", "", rep, m);
                }
                if (app) {
                    for (ReadWorkload.Query query : appReads.appQueries()) {
                        measure(appReads, query, clients, "read.app.", "Telehealth app (consent checked): ", rep, m);
                    }
                }
            }
            Bench.log("  reads rep %d done", rep + 1);
        }
    }

    /**
     * The analysts' side on the loaded record: the views brought up to date, how long a write
     * takes to show in the figures, the indicator questions at 1 and 8 clients, and what keeping
     * the views up to date cost the server (its refresh meters, over the whole run).
     */
    private void analytics(ServerProcess server, Measurements m) throws Exception {
        AnalyticsWorkload analytics = new AnalyticsWorkload(server.root(), server.analystClient(), server.client());
        Map<String, Double> meters = new ServerMeters(server).read();
        double brought = meters.getOrDefault("sehat_analytics_refresh_resources_total", 0.0);
        double cpu = meters.getOrDefault("sehat_analytics_refresh_cpu_seconds_total", 0.0);
        double busy = meters.getOrDefault("sehat_analytics_refresh_seconds_sum", 0.0);
        if (brought > 0) {
            m.add(
                    "analytics.refresh.cpu",
                    "Analytics views kept up to date: server CPU per resource brought in",
                    "ms",
                    false,
                    1000 * cpu / brought);
            m.add(
                    "analytics.refresh.rate",
                    "Analytics views kept up to date: resources brought in per second of refresh",
                    "resources/s",
                    true,
                    brought / Math.max(busy, 1e-9));
        }
        String probePatient = loader.patientIds.values().iterator().next();
        for (int rep = 0; rep < options.repetitions(); rep++) {
            double fresh = analytics.freshness(probePatient, Duration.ofMinutes(3));
            Bench.log("  analytics rep %d: a write counted after %.1f s", rep + 1, fresh);
            m.add("analytics.freshness", "Analytics: a write counted in the figures after", "s", false, fresh);
            for (int clients : READ_CLIENTS) {
                AnalyticsWorkload.Latencies latencies = analytics.measure(clients, options.readRequests());
                double p50 = Stats.percentile(latencies.millis(), 50);
                double p95 = Stats.percentile(latencies.millis(), 95);
                Bench.log(
                        "  analytics rep %d, %d client(s): p50 %.1f ms, p95 %.1f ms, slowest %s, %d refused as too"
                                + " sparse, %d error(s)",
                        rep + 1, clients, p50, p95, latencies.slowest(), latencies.refused(), latencies.errors());
                String label = "Analytics: indicator questions (" + AnalyticsWorkload.QUESTIONS.size() + " kinds), "
                        + clients + " client(s)";
                m.add("analytics.c" + clients + ".p50", label + ", p50", "ms", false, p50);
                m.add("analytics.c" + clients + ".p95", label + ", p95", "ms", false, p95);
                if (latencies.errors() > 0) {
                    m.notes.add(latencies.errors() + " error(s) in analytics at " + clients + " client(s), rep "
                            + (rep + 1));
                }
                if (latencies.refused() > 0) {
                    m.notes.add(latencies.refused() + " analytics answer(s) at " + clients + " client(s), rep "
                            + (rep + 1) + ": a table too sparse to answer (timed like the others)");
                }
            }
        }
    }

    /**
     * Patient linking at scale: {@code bench.matchPatients} generated Patients loaded with 4 clients
     * (each linked into its person as it is stored), then {@code $match} at 1 and 8 clients.
     */
    private void match(ServerProcess server, BenchDatabase database, Measurements m) throws Exception {
        MatchWorkload workload = new MatchWorkload(
                server.baseUrl(), server.client(), MatchWorkload.population(options.seed(), options.matchPatients()));
        MatchWorkload.Load load = workload.load(4);
        Bench.log(
                "  match load: %d patients in %.1f s = %.0f/s (%d refused)",
                load.patients(), load.seconds(), load.patients() / load.seconds(), load.failed());
        m.add(
                "match.load",
                "Patients loaded for $match (batch bundles of 200, 4 clients, each linked)",
                "patients/s",
                true,
                load.patients() / load.seconds());
        m.add("match.patients", "Patients loaded for $match", "patients", true, load.patients());
        if (load.failed() > 0) {
            m.notes.add(load.failed() + " Patient(s) refused while loading the $match population");
        }
        settle(server, database);
        for (int rep = 0; rep < options.repetitions(); rep++) {
            for (int clients : READ_CLIENTS) {
                int requests = Math.max(clients, options.readRequests() * 2);
                MatchWorkload.Latencies latencies = workload.measure(clients, requests);
                double p50 = Stats.percentile(latencies.millis(), 50);
                double p95 = Stats.percentile(latencies.millis(), 95);
                double first = 100.0
                        * latencies.foundFirst()
                        / Math.max(1, latencies.millis().size());
                Bench.log(
                        "  $match rep %d, %d client(s): p50 %.1f ms, p95 %.1f ms, the person's own record first in %.0f%%, %d error(s)",
                        rep + 1, clients, p50, p95, first, latencies.errors());
                String label = "Patient/$match among " + load.patients() + " patients, " + clients + " client(s)";
                m.add("match.c" + clients + ".p50", label + ", p50", "ms", false, p50);
                m.add("match.c" + clients + ".p95", label + ", p95", "ms", false, p95);
                m.add("match.c" + clients + ".first", label + ", own record ranked first", "%", true, first);
                if (latencies.errors() > 0) {
                    m.notes.add(
                            latencies.errors() + " error(s) in $match at " + clients + " client(s), rep " + (rep + 1));
                }
            }
        }
    }

    private void measure(
            ReadWorkload reads,
            ReadWorkload.Query query,
            int clients,
            String keyPrefix,
            String labelPrefix,
            int rep,
            Measurements m)
            throws InterruptedException {
        ReadWorkload.Latencies latencies = reads.measure(query, clients, options.readRequests());
        String key = keyPrefix + query.name() + ".c" + clients;
        String label = labelPrefix + query.description() + ", " + clients + " client(s)";
        m.add(key + ".p50", label + ", p50", "ms", false, latencies.p50());
        m.add(key + ".p95", label + ", p95", "ms", false, latencies.p95());
        if (latencies.errors() > 0) {
            m.notes.add(latencies.errors() + " error(s) in " + key + " rep " + (rep + 1));
        }
    }
}
