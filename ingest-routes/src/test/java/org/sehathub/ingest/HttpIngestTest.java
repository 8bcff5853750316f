package org.sehathub.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.sehathub.ingest.deadletter.DeadLetter;
import org.sehathub.ingest.support.Hl7Messages;
import org.sehathub.ingest.support.RecordingBundleSink;

/** HL7 v2, clinic CSV and telehealth JSON over real HTTP. */
class HttpIngestTest extends IngestRoutesTestSupport {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ER7 = "x-application/hl7-v2+er7";

    static JsonNode json(HttpResponse<String> response) throws Exception {
        return JSON.readTree(response.body());
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static String example(String path) throws Exception {
        return Files.readString(Path.of("../docs/ingest").resolve(path));
    }

    // HL7 v2 over HTTP

    @Test
    void anHl7MessageWithMoreSegmentsThanAllowedIs413WithAnAr() {
        String over = Hl7Messages.registrationWith(
                "Mayo Hospital Lahore", "SEG-MANY", MAX_SEGMENTS, i -> "NTE|" + i + "||note " + i);

        HttpResponse<String> response = post("/ingest/hl7v2", ER7, bytes(over));

        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(response.body())
                .contains("MSA|AR|SEG-MANY")
                .contains("104^Value too long")
                .contains("sehat.ingest.hl7v2.max-segments");
        assertThat(sink.stored()).isEmpty();
        assertThat(deadLetters.all()).isEmpty();
    }

    @Test
    void hl7OverHttpAnswersWithTheAckAndAStatusThatSaysTheSame() {
        HttpResponse<String> ok =
                post("/ingest/hl7v2", ER7, bytes(Hl7Messages.registration("Mayo Hospital Lahore", "H-1", "MR-1")));
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ok.headers().firstValue("Content-Type"))
                .hasValueSatisfying(t -> assertThat(t).startsWith(ER7));
        assertThat(ok.body()).contains("MSA|AA|H-1");

        HttpResponse<String> ae = post(
                "/ingest/hl7v2",
                "text/plain",
                bytes(Hl7Messages.registration("Mayo Hospital Lahore", "H-2", "MR-2", "20230230")));
        assertThat(ae.statusCode()).isEqualTo(422);
        assertThat(ae.body()).contains("MSA|AE|H-2").contains("ERR||PID^1^7^1|102^Data type error^HL70357|E");

        HttpResponse<String> ar = post("/ingest/hl7v2", "text/plain", bytes("not hl7 at all"));
        assertThat(ar.statusCode()).isEqualTo(400);
        assertThat(ar.body()).contains("MSA|AR");

        HttpResponse<String> conflict =
                post("/ingest/hl7v2", ER7, bytes(Hl7Messages.registration("Mayo Hospital Lahore", "H-1", "MR-9")));
        assertThat(conflict.statusCode()).isEqualTo(409);
        assertThat(conflict.body()).contains("MSA|AE|H-1");

        sink.mode(RecordingBundleSink.Mode.UNAVAILABLE);
        HttpResponse<String> down =
                post("/ingest/hl7v2", ER7, bytes(Hl7Messages.registration("Mayo Hospital Lahore", "H-3", "MR-3")));
        assertThat(down.statusCode()).isEqualTo(503);
        assertThat(down.body()).contains("MSA|AE|H-3");

        assertThat(sink.stored()).hasSize(1);
        assertThat(deadLetters.all())
                .hasSize(4)
                .allSatisfy(d -> assertThat(d.transport()).isEqualTo("http"));
    }

    @Test
    void aBatchIsStoredMessageByMessageAndAnsweredWithOneBatchAcknowledgement() {
        String batch = "FHS|^~\\&|MAYO-HIS|Mayo Hospital Lahore|SEHATHUB|SEHATHUB|20240315||night.hl7||F-9\r"
                + "BHS|^~\\&|MAYO-HIS|Mayo Hospital Lahore|SEHATHUB|SEHATHUB|20240315||||B-9\r"
                + Hl7Messages.registration("Mayo Hospital Lahore", "B-1", "MR-B1")
                + Hl7Messages.registration("Mayo Hospital Lahore", "B-2", "MR-B2", "20230230")
                + Hl7Messages.registration("Mayo Hospital Lahore", "B-3", "MR-B3")
                + "BTS|3\rFTS|1\r";

        HttpResponse<String> response = post("/ingest/hl7v2", ER7, bytes(batch));

        assertThat(response.statusCode())
                .as("each message has its own answer in the body")
                .isEqualTo(200);
        String[] segments = response.body().split("\r");
        assertThat(segments[0])
                .startsWith("FHS|^~\\&|SEHATHUB|SEHATHUB|MAYO-HIS|Mayo Hospital Lahore|")
                .endsWith("|F-9");
        assertThat(segments[1])
                .startsWith("BHS|^~\\&|SEHATHUB|SEHATHUB|MAYO-HIS|Mayo Hospital Lahore|")
                .endsWith("|B-9");
        assertThat(response.body()).containsSubsequence("MSA|AA|B-1", "MSA|AE|B-2", "PID^1^7^1", "MSA|AA|B-3");
        assertThat(segments[segments.length - 2]).isEqualTo("BTS|3");
        assertThat(segments[segments.length - 1]).isEqualTo("FTS|1");
        assertThat(sink.stored()).hasSize(2);
        assertThat(deadLetters.all()).singleElement().satisfies(d -> {
            assertThat(d.transport()).isEqualTo("http");
            assertThat(new String(d.payload(), StandardCharsets.UTF_8))
                    .startsWith("MSH|")
                    .contains("|B-2|")
                    .doesNotContain("BHS");
        });
    }

    @Test
    void aBatchWhoseTrailerMiscountsIsStillStoredAndTheAcknowledgementSaysSo() {
        String batch = "BHS|^~\\&|MAYO-HIS|Mayo Hospital Lahore\n"
                + Hl7Messages.registration("Mayo Hospital Lahore", "C-1", "MR-C1")
                        .replace('\r', '\n')
                + "BTS|2\n";

        HttpResponse<String> response = post("/ingest/hl7v2", ER7, bytes(batch));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("MSA|AA|C-1").contains("BTS|1|BTS-1 says 2 message(s); 1 found");
        assertThat(sink.stored()).hasSize(1);
    }

    @Test
    void aBodyOverTheLimitIsRefusedWith413() {
        HttpResponse<String> big = post("/ingest/hl7v2", ER7, new byte[65 * 1024]);
        assertThat(big.statusCode()).isEqualTo(413);
        assertThat(big.body()).contains("MSA|AR");
        assertThat(deadLetters.all()).isEmpty();
    }

    // Clinic CSV

    @Test
    void csvUploadIsAnsweredWithAReportAndTheSameFileTwiceStoresNothingNew() throws Exception {
        byte[] csv = bytes(example("csv/examples/patients.csv"));
        HttpResponse<String> first = post("/ingest/csv/patients", "text/csv", csv, "X-Sehat-Facility", "BHU Chak 45");
        assertThat(first.statusCode()).isEqualTo(200);
        JsonNode report = json(first);
        assertThat(report.path("layout").asText()).isEqualTo("patients");
        assertThat(report.path("facility").asText()).isEqualTo("BHU Chak 45");
        assertThat(report.path("rowsRead").asInt()).isEqualTo(5);
        assertThat(report.path("rowsStored").asInt()).isEqualTo(5);
        assertThat(report.path("rowsRejected").asInt()).isZero();
        assertThat(report.path("duplicate").asBoolean()).isFalse();
        assertThat(report.path("messageId").asText()).startsWith("csv-patients-");
        assertThat(report.path("storedResourceIds")).isNotEmpty();

        HttpResponse<String> again = post("/ingest/csv/patients", "text/csv", csv, "X-Sehat-Facility", "BHU Chak 45");
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(json(again).path("duplicate").asBoolean()).isTrue();
        assertThat(sink.stored()).hasSize(1);
        assertThat(deadLetters.all()).isEmpty();
    }

    @Test
    void badRowsAreReportedAndKeptWhileGoodRowsAreStored() throws Exception {
        String csv = "mrn,given_name,family_name,sex,date_of_birth\n"
                + "BHU-1,Ali,Raza,M,12/05/1978\n"
                + "BHU-2,=HYPERLINK(\"x\"),Bibi,F,1985-09-23\n"
                + "BHU-3,Sana,Khan,F,30/02/1990\n";
        HttpResponse<String> response =
                post("/ingest/csv/patients", "text/csv", bytes(csv), "X-Sehat-Facility", "BHU Chak 45");
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode report = json(response);
        assertThat(report.path("rowsRead").asInt()).isEqualTo(3);
        assertThat(report.path("rowsStored").asInt()).isEqualTo(1);
        assertThat(report.path("rowsRejected").asInt()).isEqualTo(2);
        assertThat(report.path("rejected")).hasSize(2);
        assertThat(report.path("rejected").get(0).path("line").asInt()).isEqualTo(3);
        assertThat(report.path("rejected").get(0).path("column").asText()).isEqualTo("given_name");
        assertThat(report.path("rejected").get(0).path("reason").asText()).contains("formula");
        assertThat(report.path("rejected").get(1).path("column").asText()).isEqualTo("date_of_birth");
        assertThat(sink.stored()).hasSize(1);
        assertThat(deadLetters.all()).singleElement().satisfies(d -> {
            assertThat(d.source()).isEqualTo("csv/patients");
            assertThat(d.sender()).isEqualTo("BHU Chak 45");
            assertThat(d.reason()).startsWith("2 of 3 rows rejected: line 3, column given_name");
            assertThat(report.path("deadLetterId").asLong()).isEqualTo(d.id());
        });
    }

    @Test
    void aCsvFileWithoutGoodRowsOrWithoutAClinicIsRefused() throws Exception {
        HttpResponse<String> noClinic = post("/ingest/csv/patients", "text/csv", bytes("mrn,sex\nA,M\n"));
        assertThat(noClinic.statusCode()).isEqualTo(400);
        assertThat(json(noClinic).path("error").asText()).contains("X-Sehat-Facility");

        HttpResponse<String> unknown =
                post("/ingest/csv/medicines", "text/csv", bytes("mrn,sex\nA,M\n"), "X-Sehat-Facility", "BHU");
        assertThat(unknown.statusCode()).isEqualTo(400);

        HttpResponse<String> noGoodRow =
                post("/ingest/csv/patients", "text/csv", bytes("mrn,sex\nA,Q\n"), "X-Sehat-Facility", "BHU");
        assertThat(noGoodRow.statusCode()).isEqualTo(422);
        assertThat(json(noGoodRow).path("rowsStored").asInt()).isZero();
        assertThat(json(noGoodRow).path("rejected").get(0).path("column").asText())
                .isEqualTo("sex");

        HttpResponse<String> missingColumn =
                post("/ingest/csv/patients", "text/csv", bytes("mrn\nA\n"), "X-Sehat-Facility", "BHU");
        assertThat(missingColumn.statusCode()).isEqualTo(422);
        assertThat(sink.stored()).isEmpty();
        assertThat(deadLetters.all()).hasSize(4);
    }

    // Telehealth JSON

    @Test
    void telehealthAnswers201ThenOnAResend200AndOnAChangedDocument409() throws Exception {
        byte[] document = bytes(example("telehealth/examples/minimal-audio-consultation.json"));
        HttpResponse<String> created = post(
                "/ingest/telehealth/consultations",
                "application/json",
                document,
                "X-Sehat-App",
                "marham-app",
                "X-Sehat-Facility",
                "Marham");
        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(json(created).path("consultationId").asText()).isEqualTo("MH-TC-77120");
        assertThat(json(created).path("resourceIds")).isNotEmpty();

        // Re-serialized with other whitespace: still the same document.
        String reformatted = JSON.writeValueAsString(JSON.readTree(document));
        HttpResponse<String> resend = post(
                "/ingest/telehealth/consultations",
                "application/json",
                bytes(reformatted),
                "X-Sehat-App",
                "marham-app",
                "X-Sehat-Facility",
                "Marham");
        assertThat(resend.statusCode()).isEqualTo(200);
        assertThat(json(resend).path("duplicate").asBoolean()).isTrue();

        String changed = reformatted.replace("Burning micturition for 2 days", "Fever for 3 days");
        HttpResponse<String> conflict = post(
                "/ingest/telehealth/consultations",
                "application/json",
                bytes(changed),
                "X-Sehat-App",
                "marham-app",
                "X-Sehat-Facility",
                "Marham");
        assertThat(conflict.statusCode()).isEqualTo(409);
        assertThat(conflict.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(json(conflict).path("type").asText()).endsWith("/conflict");
        assertThat(sink.stored()).hasSize(1);
    }

    @Test
    void telehealthProblemsCarryJsonPointers() throws Exception {
        String invalid = example("telehealth/examples/minimal-audio-consultation.json")
                .replace("\"audio\"", "\"telepathy\"")
                .replace("\"sex\": \"female\"", "\"sex\": \"female\", \"nickname\": \"x\"");
        HttpResponse<String> problem = post(
                "/ingest/telehealth/consultations", "application/json", bytes(invalid), "X-Sehat-App", "marham-app");
        assertThat(problem.statusCode()).isEqualTo(422);
        assertThat(problem.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        JsonNode body = json(problem);
        assertThat(body.path("type").asText()).isEqualTo("https://fhir.sehathub.pk/problems/unmappable");
        assertThat(body.path("status").asInt()).isEqualTo(422);
        assertThat(body.path("title").asText()).isNotBlank();
        assertThat(body.path("detail").asText()).isNotBlank();
        assertThat(body.path("errors").findValuesAsText("pointer")).contains("/encounter/mode", "/patient/nickname");

        HttpResponse<String> notJson = post(
                "/ingest/telehealth/consultations", "application/json", bytes("{oops"), "X-Sehat-App", "marham-app");
        assertThat(notJson.statusCode()).isEqualTo(400);
        assertThat(json(notJson).path("errors").get(0).path("pointer").asText()).isEqualTo("/");

        HttpResponse<String> noApp = post(
                "/ingest/telehealth/consultations",
                "application/json",
                bytes(example("telehealth/examples/minimal-audio-consultation.json")));
        assertThat(noApp.statusCode()).isEqualTo(400);
        assertThat(deadLetters.all())
                .hasSize(3)
                .allSatisfy(d -> assertThat(d.source()).isEqualTo("telehealth"));
    }

    @Test
    void telehealthStorageOutageIs503WithRetryAfter() throws Exception {
        sink.mode(RecordingBundleSink.Mode.UNAVAILABLE);
        HttpResponse<String> down = post(
                "/ingest/telehealth/consultations",
                "application/json",
                bytes(example("telehealth/examples/minimal-audio-consultation.json")),
                "X-Sehat-App",
                "marham-app");
        assertThat(down.statusCode()).isEqualTo(503);
        assertThat(down.headers().firstValue("Retry-After")).hasValue("30");
        assertThat(json(down).path("type").asText()).endsWith("/unavailable");
        assertThat(deadLetters.all()).singleElement().satisfies(d -> {
            assertThat(d.reason()).contains("storage unavailable");
            assertThat(d.status()).isEqualTo(DeadLetter.Status.NEW);
            assertThat(d.sender()).isEqualTo("marham-app");
            assertThat(d.messageId()).isEqualTo("MH-TC-77120");
        });
    }
}
