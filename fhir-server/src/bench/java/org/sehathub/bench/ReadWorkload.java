package org.sehathub.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import java.util.stream.Collectors;

/**
 * The read side: the searches each kind of user makes, timed one request at a time per client.
 * Query parameters come from the loaded population (real ids, identifiers, names and codes), and
 * rotate so a run is not a single cached query repeated.
 */
final class ReadWorkload {

    /**
     * One kind of read.
     *
     * @param name short key used in the results
     * @param description what a reader of the table sees
     * @param url the i-th request's relative URL
     * @param followPages fetch every next page and time the whole walk
     * @param share fraction of the read request budget (whole-history walks are expensive)
     */
    record Query(String name, String description, IntFunction<String> url, boolean followPages, double share) {}

    /** Latencies of one measurement. */
    record Latencies(List<Double> millis, int errors) {

        double p50() {
            return Stats.percentile(millis, 50);
        }

        double p95() {
            return Stats.percentile(millis, 95);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] CONTENT_WORDS = {"glucose", "hemoglobin", "height", "pressure", "weight"};

    private final HttpClient http;
    private final String baseUrl;
    final List<Query> queries;

    private final BenchClient client;

    ReadWorkload(
            String baseUrl,
            BenchClient client,
            List<SyntheaPopulation.PatientBundle> loaded,
            Map<String, String> patientIds) {
        this.baseUrl = baseUrl;
        this.client = client;
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10))
                .build();
        List<SyntheaPopulation.PatientBundle> patients = loaded.stream()
                .filter(p -> patientIds.containsKey(p.identifier())
                        && !p.observationCodes().isEmpty())
                .toList();
        if (patients.isEmpty()) {
            throw new IllegalStateException("No loaded patient to read back");
        }
        List<String> conditionCodes = populationConditionCodes(loaded);
        this.queries = List.of(
                new Query(
                        "identifier",
                        "Patient?identifier=system|value",
                        i -> "Patient?identifier=" + encode(pick(patients, i).identifier()),
                        false,
                        1),
                new Query(
                        "name",
                        "Patient?name=family",
                        i -> "Patient?name=" + encode(pick(patients, i).family()),
                        false,
                        1),
                new Query(
                        "observations",
                        "Observation?patient=id&code=system|code",
                        i -> {
                            SyntheaPopulation.PatientBundle p = pick(patients, i);
                            return "Observation?patient=" + patientIds.get(p.identifier()) + "&code="
                                    + encode(p.observationCodes().get(0));
                        },
                        false,
                        1),
                new Query(
                        "everything-first",
                        "Patient/id/$everything, first page",
                        i -> "Patient/" + patientIds.get(pick(patients, i).identifier()) + "/$everything",
                        false,
                        1),
                new Query(
                        "everything-all",
                        "Patient/id/$everything, every page (next links)",
                        i -> "Patient/" + patientIds.get(pick(patients, i).identifier()) + "/$everything",
                        true,
                        0.15),
                new Query(
                        "content",
                        "Observation?_content=word (full text)",
                        i -> "Observation?_content=" + CONTENT_WORDS[i % CONTENT_WORDS.length],
                        false,
                        1),
                new Query(
                        "count",
                        "Condition?code=system|code&_summary=count",
                        i -> "Condition?code=" + encode(conditionCodes.get(i % conditionCodes.size()))
                                + "&_summary=count",
                        false,
                        1));
    }

    /**
     * Runs one query kind with the given clients and request budget. A fifth as many warm-up
     * requests go first, uncounted, so the figure is the steady state of a running server (the JIT
     * has compiled this query's path), not its first calls; start-up is measured on its own.
     */
    Latencies measure(Query query, int clients, int requestBudget) throws InterruptedException {
        int requests = Math.max(clients, (int) Math.round(requestBudget * query.share()));
        int warmUps = Math.max(1, requests / 5);
        for (int w = 0; w < warmUps; w++) {
            try {
                timed(query, requests + 1 + w);
            } catch (IOException warmUpFailure) {
                Bench.log("  warm-up %s failed: %s", query.name(), warmUpFailure.getMessage());
            }
        }
        List<Timed> times = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger next = new AtomicInteger(1);
        AtomicInteger errors = new AtomicInteger();
        ClientThreads.run(clients, () -> {
            int i;
            while ((i = next.getAndIncrement()) <= requests) {
                try {
                    times.add(new Timed(query.url().apply(i), timed(query, i)));
                } catch (IOException e) {
                    if (errors.incrementAndGet() == 1) {
                        Bench.log("  %s failed: %s", query.name(), e.getMessage());
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        });
        List<Timed> slowest = times.stream()
                .sorted(Comparator.comparingDouble(Timed::millis).reversed())
                .limit(3)
                .toList();
        Bench.log(
                "  %s at %d client(s), slowest: %s",
                query.name(),
                clients,
                slowest.stream()
                        .map(t -> String.format("%.0f ms %s", t.millis(), t.url()))
                        .collect(Collectors.joining("; ")));
        return new Latencies(times.stream().map(Timed::millis).toList(), errors.get());
    }

    /** One request's relative URL and how long it took, so the slowest can be named. */
    private record Timed(String url, double millis) {}

    private double timed(Query query, int i) throws IOException, InterruptedException {
        long started = System.nanoTime();
        String url = baseUrl + "/" + query.url().apply(i);
        int pages = 0;
        while (url != null) {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
                    .timeout(Duration.ofMinutes(5))
                    .header("Accept", "application/fhir+json")
                    .GET();
            client.authorization().ifPresent(value -> request.header("Authorization", value));
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IOException(
                        query.name() + " -> " + response.statusCode() + " " + FhirLoad.abbreviate(response.body()));
            }
            pages++;
            url = query.followPages() ? nextLink(response.body()) : null;
            if (pages > 10_000) {
                throw new IOException(query.name() + ": more than 10,000 pages");
            }
        }
        return (System.nanoTime() - started) / 1e6;
    }

    private static String nextLink(String body) throws IOException {
        JsonNode bundle = JSON.readTree(body);
        for (JsonNode link : bundle.path("link")) {
            if ("next".equals(link.path("relation").asText())) {
                return link.path("url").asText();
            }
        }
        return null;
    }

    private static List<String> populationConditionCodes(List<SyntheaPopulation.PatientBundle> loaded) {
        Map<String, Integer> patientsWith = new HashMap<>();
        for (SyntheaPopulation.PatientBundle p : loaded) {
            p.conditionCodes().forEach(code -> patientsWith.merge(code, 1, Integer::sum));
        }
        List<String> top = patientsWith.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue()
                        .reversed()
                        .thenComparing(Map.Entry.comparingByKey()))
                .limit(5)
                .map(Map.Entry::getKey)
                .toList();
        return top.isEmpty() ? List.of("http://snomed.info/sct|44054006") : top;
    }

    private static <T> T pick(List<T> list, int i) {
        return list.get(Math.floorMod(i * 7919, list.size()));
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /**
     * What a telehealth app reads of a consenting patient: her by identifier, her observations, the
     * first page of her whole record. Run with the app's client, these time the consent checks.
     */
    List<Query> appQueries() {
        List<String> names = List.of("identifier", "observations", "everything-first");
        return queries.stream().filter(q -> names.contains(q.name())).toList();
    }

    /** Descriptions by query name, for the results table. */
    Map<String, String> descriptions() {
        Map<String, String> descriptions = new LinkedHashMap<>();
        queries.forEach(q -> descriptions.put(q.name(), q.description()));
        return descriptions;
    }
}
