package org.sehathub.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The analysts' side (issue 13): the indicator questions an analyst asks, timed as she asks them
 * (an analyst client's token, JSON answers, small cells suppressed), and how soon a write shows in
 * the figures. The questions rotate over the catalogue so a figure is not one cached query.
 */
final class AnalyticsWorkload {

    /** Latencies of one measurement, and the slowest question's p95. */
    record Latencies(List<Double> millis, int errors, int refused, String slowest) {}

    /** One question's answer time; {@code refused} when the server found the table too sparse. */
    private record Answer(double millis, boolean refused) {}

    /**
     * The start of the server's refusal of a table too sparse to answer (issue 13's suppression):
     * an answer like any other, timed like one (the whole table was counted to decide it). Which
     * questions are refused depends on the population (until earlier years were counted together,
     * 2026-12-07, every month question on the 200-patient population was, for Synthea's sparse
     * history back to 1923).
     */
    private static final String TOO_SPARSE = "the breakdown is too sparse to answer safely";

    /**
     * What an analyst asks of a loaded population, each question as sent (relative to {@code
     * /analytics/indicators/}). Synthea's conditions carry SNOMED CT codes only, so the condition
     * questions count no one there but still run their whole query.
     */
    static final List<String> QUESTIONS = List.of(
            "people?by=province,sex,age_band",
            "people-with-condition?code=E10-E14&by=province,sex",
            "people-with-condition?code=D50-D53&sex=female&by=district,month,age_band&year=2025",
            "encounters?by=year,mode",
            "encounters?by=district,month&year=2025",
            "people-with-high-hba1c?by=province,quarter&year=2025",
            "people-with-low-haemoglobin?by=sex,age_band",
            "vaccine-doses?by=year,sex",
            "vaccine-coverage?antigen=measles&cohort=2024&by=district",
            "antenatal-visits?by=province,month&year=2025");

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration POLL = Duration.ofSeconds(1);

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();
    private final String root;
    private final BenchClient analyst;
    private final BenchClient operator;

    /**
     * @param root the server's root URL ({@code http://127.0.0.1:port})
     * @param analyst the analyst's client, who asks
     * @param operator the operator's client, who refreshes the views and writes the probe
     */
    AnalyticsWorkload(String root, BenchClient analyst, BenchClient operator) {
        this.root = root;
        this.analyst = analyst;
        this.operator = operator;
    }

    /**
     * Brings the views up to date: asks for a refresh until one brings nothing in after the
     * analytical store's settle time has passed since the last write (a change younger than that
     * is not taken yet), so that later figures count the whole load.
     *
     * @param settle the server's {@code sehat.analytics.settle}
     * @return seconds from the call until the views held everything written before it
     */
    double catchUp(Duration settle) throws IOException, InterruptedException {
        Instant started = Instant.now();
        Instant settled = started.plus(settle).plusSeconds(2);
        while (true) {
            int brought = refresh();
            if (brought == 0 && Instant.now().isAfter(settled)) {
                return Duration.between(started, Instant.now()).toMillis() / 1000.0;
            }
            Thread.sleep(brought == 0 ? 2000 : 0);
        }
    }

    /**
     * How long a write takes to show in the figures as the server runs by itself (its background
     * refresh, no operator's refresh): one Encounter written for {@code patientId}, then the
     * encounters' total asked every second until it has grown.
     *
     * @return seconds from the write's 201 to the first answer that counts it
     */
    double freshness(String patientId, Duration limit) throws IOException, InterruptedException {
        long before = encounterTotal();
        String encounter = """
                {"resourceType":"Encounter","status":"finished",
                 "class":{"system":"http://terminology.hl7.org/CodeSystem/v3-ActCode","code":"AMB"},
                 "subject":{"reference":"Patient/%s"},
                 "period":{"start":"%s"}}""".formatted(patientId, Instant.now().toString());
        HttpResponse<String> written = send(
                operator,
                HttpRequest.newBuilder(URI.create(root + "/fhir/Encounter"))
                        .header("Content-Type", "application/fhir+json")
                        .POST(HttpRequest.BodyPublishers.ofString(encounter)));
        if (written.statusCode() != 201) {
            throw new IOException("probe Encounter -> " + written.statusCode() + " " + written.body());
        }
        long writtenAt = System.nanoTime();
        while (System.nanoTime() - writtenAt < limit.toNanos()) {
            if (encounterTotal() > before) {
                return (System.nanoTime() - writtenAt) / 1e9;
            }
            Thread.sleep(POLL.toMillis());
        }
        throw new IOException("the probe Encounter was not counted within " + limit);
    }

    /**
     * Asks the questions with the given clients, {@code requests} in all (a fifth as many first,
     * uncounted, to warm up), each client one question at a time.
     */
    Latencies measure(int clients, int requests) throws InterruptedException {
        for (int w = 0; w < Math.max(QUESTIONS.size(), requests / 5); w++) {
            try {
                ask(QUESTIONS.get(w % QUESTIONS.size()));
            } catch (IOException warmUpFailure) {
                Bench.log("  warm-up analytics failed: %s", warmUpFailure.getMessage());
            }
        }
        List<Double> millis = Collections.synchronizedList(new ArrayList<>());
        List<List<Double>> byQuestion = new ArrayList<>();
        QUESTIONS.forEach(q -> byQuestion.add(Collections.synchronizedList(new ArrayList<>())));
        AtomicInteger next = new AtomicInteger();
        AtomicInteger errors = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        ClientThreads.run(clients, () -> {
            int i;
            while ((i = next.getAndIncrement()) < requests) {
                int question = i % QUESTIONS.size();
                try {
                    Answer answer = ask(QUESTIONS.get(question));
                    millis.add(answer.millis());
                    byQuestion.get(question).add(answer.millis());
                    if (answer.refused()) {
                        refused.incrementAndGet();
                    }
                } catch (IOException e) {
                    if (errors.incrementAndGet() == 1) {
                        Bench.log("  analytics failed: %s", e.getMessage());
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        });
        int slowest = 0;
        for (int q = 1; q < QUESTIONS.size(); q++) {
            if (Stats.percentile(byQuestion.get(q), 95) > Stats.percentile(byQuestion.get(slowest), 95)) {
                slowest = q;
            }
        }
        String slowestLabel =
                "%s (p95 %.0f ms)".formatted(QUESTIONS.get(slowest), Stats.percentile(byQuestion.get(slowest), 95));
        return new Latencies(new ArrayList<>(millis), errors.get(), refused.get(), slowestLabel);
    }

    private Answer ask(String question) throws IOException, InterruptedException {
        long started = System.nanoTime();
        HttpResponse<String> response = send(
                analyst,
                HttpRequest.newBuilder(URI.create(root + "/analytics/indicators/" + question))
                        .GET());
        double millis = (System.nanoTime() - started) / 1e6;
        boolean refused = response.statusCode() == 400
                && JSON.readTree(response.body()).path("detail").asText().startsWith(TOO_SPARSE);
        if (response.statusCode() != 200 && !refused) {
            throw new IOException(
                    question + " -> " + response.statusCode() + " " + FhirLoad.abbreviate(response.body()));
        }
        return new Answer(millis, refused);
    }

    private long encounterTotal() throws IOException, InterruptedException {
        HttpResponse<String> response = send(
                analyst,
                HttpRequest.newBuilder(URI.create(root + "/analytics/indicators/encounters"))
                        .GET());
        if (response.statusCode() != 200) {
            throw new IOException("encounters -> " + response.statusCode() + " " + response.body());
        }
        return JSON.readTree(response.body()).path("total").path("value").asLong();
    }

    private int refresh() throws IOException, InterruptedException {
        HttpResponse<String> response = send(
                operator,
                HttpRequest.newBuilder(URI.create(root + "/admin/analytics/refresh"))
                        .POST(HttpRequest.BodyPublishers.noBody()));
        if (response.statusCode() != 200) {
            throw new IOException("refresh -> " + response.statusCode() + " " + response.body());
        }
        JsonNode body = JSON.readTree(response.body());
        return body.path("resources").asInt();
    }

    private HttpResponse<String> send(BenchClient client, HttpRequest.Builder request)
            throws IOException, InterruptedException {
        request.timeout(Duration.ofMinutes(5)).header("Accept", "application/json");
        client.authorization().ifPresent(value -> request.header("Authorization", value));
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
