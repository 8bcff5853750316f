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
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** Loads Synthea transaction bundles over FHIR REST ({@code POST /fhir}) with N concurrent clients. */
final class FhirLoad {

    /**
     * One load's outcome.
     *
     * @param resources entries stored by successful bundles
     * @param seconds wall-clock time of the whole load
     * @param failedBundles bundles the server refused or failed
     */
    record Result(long resources, double seconds, int failedBundles) {

        double resourcesPerSecond() {
            return resources / seconds;
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http;
    private final String baseUrl;
    /** Patient server ids by their Synthea identifier, learnt from transaction responses. */
    final Map<String, String> patientIds = new ConcurrentHashMap<>();

    private final BenchClient client;

    FhirLoad(String baseUrl, BenchClient client) {
        this.baseUrl = baseUrl;
        this.client = client;
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10))
                .build();
    }

    /** Loads Synthea's hospital and practitioner batch bundles (not timed). */
    void loadShared(List<Path> bundles) throws IOException, InterruptedException {
        for (Path bundle : bundles) {
            HttpResponse<String> response = post(bundle);
            if (response.statusCode() != 200) {
                throw new IOException("Shared bundle " + bundle.getFileName() + " refused: " + response.statusCode()
                        + " " + abbreviate(response.body()));
            }
        }
    }

    /** Loads the bundles with {@code clients} concurrent clients and times the whole load. */
    Result load(List<SyntheaPopulation.PatientBundle> bundles, int clients) throws InterruptedException {
        ConcurrentLinkedQueue<SyntheaPopulation.PatientBundle> queue = new ConcurrentLinkedQueue<>(bundles);
        AtomicLong resources = new AtomicLong();
        AtomicInteger failed = new AtomicInteger();
        long started = System.nanoTime();
        ClientThreads.run(clients, () -> {
            SyntheaPopulation.PatientBundle bundle;
            while ((bundle = queue.poll()) != null) {
                try {
                    HttpResponse<String> response = post(bundle.file());
                    if (response.statusCode() == 200) {
                        resources.addAndGet(bundle.resources());
                        rememberPatient(bundle, response.body());
                    } else {
                        failed.incrementAndGet();
                        Bench.log(
                                "  bundle %s refused: %d %s",
                                bundle.file().getFileName(), response.statusCode(), abbreviate(response.body()));
                    }
                } catch (IOException e) {
                    failed.incrementAndGet();
                    Bench.log("  bundle %s failed: %s", bundle.file().getFileName(), e);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        });
        double seconds = (System.nanoTime() - started) / 1e9;
        return new Result(resources.get(), seconds, failed.get());
    }

    /**
     * Learns the ids of patients an earlier run loaded ({@code bench.reuse}), by their Synthea
     * identifier, as {@link #load} learns them from its responses.
     */
    void findLoaded(List<SyntheaPopulation.PatientBundle> bundles) throws IOException, InterruptedException {
        for (SyntheaPopulation.PatientBundle bundle : bundles) {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl
                            + "/Patient?_elements=id&identifier="
                            + URLEncoder.encode(bundle.identifier(), StandardCharsets.UTF_8)))
                    .header("Accept", "application/fhir+json");
            client.authorization().ifPresent(value -> request.header("Authorization", value));
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            JsonNode id = JSON.readTree(response.body())
                    .path("entry")
                    .path(0)
                    .path("resource")
                    .path("id");
            if (response.statusCode() == 200 && !id.isMissingNode()) {
                patientIds.put(bundle.identifier(), id.asText());
            }
        }
    }

    private HttpResponse<String> post(Path bundle) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl))
                .timeout(Duration.ofMinutes(30))
                .header("Content-Type", "application/fhir+json")
                .header("Accept", "application/fhir+json")
                // Only ids and statuses are needed back, not every stored resource.
                .header("Prefer", "return=minimal")
                .POST(HttpRequest.BodyPublishers.ofFile(bundle));
        client.authorization().ifPresent(value -> request.header("Authorization", value));
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private void rememberPatient(SyntheaPopulation.PatientBundle bundle, String body) throws IOException {
        JsonNode response = JSON.readTree(body);
        for (JsonNode entry : response.path("entry")) {
            String location = entry.path("response").path("location").asText();
            if (location.startsWith("Patient/")) {
                patientIds.put(bundle.identifier(), location.split("/")[1]);
                return;
            }
        }
    }

    static String abbreviate(String text) {
        String flat = text == null ? "" : text.replaceAll("\\s+", " ");
        return flat.length() > 300 ? flat.substring(0, 300) + "..." : flat;
    }
}
