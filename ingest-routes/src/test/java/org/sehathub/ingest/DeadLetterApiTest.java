package org.sehathub.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.sehathub.ingest.deadletter.DeadLetter;
import org.sehathub.ingest.support.Hl7Messages;
import org.sehathub.ingest.support.MllpClient;
import org.sehathub.ingest.support.RecordingBundleSink;
import org.springframework.beans.factory.annotation.Autowired;

/** The operators' dead-letter API over real HTTP, and the metrics the routes leave behind. */
class DeadLetterApiTest extends IngestRoutesTestSupport {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Autowired
    private MeterRegistry registry;

    static JsonNode json(HttpResponse<String> response) throws Exception {
        return JSON.readTree(response.body());
    }

    private long refusedWhileStorageIsDown(String controlId) throws Exception {
        sink.mode(RecordingBundleSink.Mode.UNAVAILABLE);
        try (MllpClient client = new MllpClient(MLLP_PORT)) {
            assertThat(client.send(Hl7Messages.registration("Mayo Hospital Lahore", controlId, "MR-DL")))
                    .contains("MSA|AE|" + controlId);
        } finally {
            sink.mode(RecordingBundleSink.Mode.NORMAL);
        }
        return deadLetters.all().get(0).id();
    }

    @Test
    void listsAndInspectsDeadLetters() throws Exception {
        long id = refusedWhileStorageIsDown("DL-1");
        post("/ingest/hl7v2", "text/plain", "junk".getBytes(StandardCharsets.US_ASCII));

        JsonNode all = json(get("/ingest/dead-letters"));
        assertThat(all.path("count").asInt()).isEqualTo(2);
        assertThat(all.path("items").get(0).path("transport").asText())
                .as("newest first")
                .isEqualTo("http");

        JsonNode filtered = json(get("/ingest/dead-letters?status=NEW&source=hl7v2&limit=1"));
        assertThat(filtered.path("count").asInt()).isEqualTo(1);

        HttpResponse<String> one = get("/ingest/dead-letters/" + id);
        assertThat(one.statusCode()).isEqualTo(200);
        JsonNode detail = json(one);
        assertThat(detail.path("letter").path("messageId").asText()).isEqualTo("DL-1");
        assertThat(detail.path("letter").path("reason").asText()).contains("storage unavailable");
        assertThat(detail.path("payloadText").asText()).startsWith("MSH|");
        assertThat(new String(
                        Base64.getDecoder().decode(detail.path("payloadBase64").asText()), StandardCharsets.UTF_8))
                .isEqualTo(detail.path("payloadText").asText());

        HttpResponse<String> raw = get("/ingest/dead-letters/" + id + "/payload");
        assertThat(raw.statusCode()).isEqualTo(200);
        assertThat(raw.headers().firstValue("Content-Type"))
                .hasValueSatisfying(t -> assertThat(t).startsWith("x-application/hl7-v2+er7"));
        assertThat(raw.body()).startsWith("MSH|");

        HttpResponse<String> unknown = get("/ingest/dead-letters/99999");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(json(unknown).path("title").asText()).isEqualTo("Unknown dead letter");

        assertThat(get("/ingest/dead-letters?status=LOST").statusCode()).isEqualTo(400);
    }

    @Test
    void replayStoresWhatCouldNotBeStoredBefore() throws Exception {
        long id = refusedWhileStorageIsDown("DL-2");
        HttpResponse<String> replay = post("/ingest/dead-letters/" + id + "/replay", "application/json", new byte[0]);
        assertThat(replay.statusCode()).isEqualTo(200);
        JsonNode result = json(replay);
        assertThat(result.path("stored").asBoolean()).isTrue();
        assertThat(result.path("letter").path("status").asText()).isEqualTo("REPLAYED");
        assertThat(result.path("resourceIds")).isNotEmpty();
        assertThat(sink.stored())
                .singleElement()
                .satisfies(s -> assertThat(s.receipt().messageId()).isEqualTo("DL-2"));

        // The hospital resends after the replay: the same message, acknowledged, stored once.
        try (MllpClient client = new MllpClient(MLLP_PORT)) {
            assertThat(client.send(Hl7Messages.registration("Mayo Hospital Lahore", "DL-2", "MR-DL")))
                    .contains("MSA|AA|DL-2");
        }
        assertThat(sink.stored()).hasSize(1);
    }

    @Test
    void aReplayThatFailsAgainIsRecordedAsFailed() throws Exception {
        try (MllpClient client = new MllpClient(MLLP_PORT)) {
            client.send(Hl7Messages.registration("Mayo Hospital Lahore", "DL-3", "MR-3", "20230230"));
        }
        long id = deadLetters.all().get(0).id();
        JsonNode result = json(post("/ingest/dead-letters/" + id + "/replay", "application/json", new byte[0]));
        assertThat(result.path("stored").asBoolean()).isFalse();
        assertThat(result.path("letter").path("status").asText()).isEqualTo("FAILED_REPLAY");
        assertThat(result.path("letter").path("lastOutcome").asText()).startsWith("PID-7:");
        assertThat(result.path("letter").path("replayCount").asInt()).isEqualTo(1);
        assertThat(deadLetters.all()).as("a replay keeps no new dead letter").hasSize(1);
    }

    @Test
    void replayOfACsvFileStoresTheRowsThatFailedBefore() throws Exception {
        String csv =
                "mrn,given_name,family_name,sex,date_of_birth\nR-1,Ali,Raza,M,12/05/1978\nR-2,Sana,Khan,F,1990-01-02\n";
        sink.mode(RecordingBundleSink.Mode.REJECT);
        post(
                "/ingest/csv/patients",
                "text/csv",
                csv.getBytes(StandardCharsets.UTF_8),
                "X-Sehat-Facility",
                "BHU Chak 45");
        sink.mode(RecordingBundleSink.Mode.NORMAL);
        long id = deadLetters.all().get(0).id();
        JsonNode result = json(post("/ingest/dead-letters/" + id + "/replay", "application/json", new byte[0]));
        assertThat(result.path("letter").path("status").asText()).isEqualTo("REPLAYED");
        assertThat(sink.stored()).singleElement().satisfies(s -> {
            assertThat(s.receipt().sender()).isEqualTo("BHU Chak 45");
            assertThat(s.receipt().messageId()).contains("#replay-" + id + "-1");
        });
    }

    @Test
    void discardKeepsTheLetterAndRefusesItsReplay() throws Exception {
        long id = refusedWhileStorageIsDown("DL-4");
        HttpResponse<String> discarded = delete("/ingest/dead-letters/" + id);
        assertThat(discarded.statusCode()).isEqualTo(200);
        assertThat(json(discarded).path("status").asText()).isEqualTo("DISCARDED");
        assertThat(deadLetters.find(id)).get().extracting(DeadLetter::status).isEqualTo(DeadLetter.Status.DISCARDED);

        HttpResponse<String> replay = post("/ingest/dead-letters/" + id + "/replay", "application/json", new byte[0]);
        assertThat(replay.statusCode()).isEqualTo(409);
        assertThat(replay.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(delete("/ingest/dead-letters/424242").statusCode()).isEqualTo(404);
    }

    @Test
    void countsMessagesPerRouteFacilityAndOutcome() throws Exception {
        try (MllpClient client = new MllpClient(MLLP_PORT)) {
            client.send(Hl7Messages.registration("Metrics Hospital", "M-1", "MR-M"));
            client.send(Hl7Messages.registration("Metrics Hospital", "M-1", "MR-M"));
            client.send(Hl7Messages.registration("Metrics Hospital", "M-2", "MR-M", "20230230"));
        }
        assertThat(count("received")).isEqualTo(3);
        assertThat(count("stored")).isEqualTo(1);
        assertThat(count("duplicate")).isEqualTo(1);
        assertThat(count("dead-lettered")).isEqualTo(1);
        assertThat(registry.find(IngestMetrics.MESSAGES)
                        .tags(
                                "route",
                                "hl7v2-mllp-inbound",
                                "facility",
                                "Metrics Hospital",
                                "outcome",
                                "refused",
                                "reason",
                                "unmappable")
                        .counter()
                        .count())
                .isEqualTo(1);
        assertThat(registry.find(IngestMetrics.LATENCY)
                        .tags("route", "hl7v2-mllp-inbound", "outcome", "stored")
                        .timer()
                        .count())
                .isPositive();
    }

    private double count(String outcome) {
        return registry
                .find(IngestMetrics.MESSAGES)
                .tags("route", "hl7v2-mllp-inbound", "facility", "Metrics Hospital", "outcome", outcome)
                .counters()
                .stream()
                .mapToDouble(c -> c.count())
                .sum();
    }
}
