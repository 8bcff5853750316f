package org.sehathub.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sehathub.mappers.NamingSystems;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Every ingest entry point end to end: a real MLLP socket, real HTTP and a real watched folder into
 * the real server on PostgreSQL. Fixtures are the mappers' golden messages and the documented CSV and
 * telehealth examples, so what the docs show is what is tested.
 */
@PostgresServerTest
class IngestEndToEndOnPostgresIT {

    private static final Path GOLDEN_HL7 = Path.of("..", "mappers", "src", "test", "resources", "golden", "hl7v2");
    private static final Path DOCS = Path.of("..", "docs", "ingest");
    private static final String MAYO_MRN = "https://fhir.sehathub.pk/sid/mrn/mayo-hospital-lahore";
    private static final ObjectMapper JSON = new ObjectMapper();

    @LocalServerPort
    int port;

    @Value("${sehat.ingest.mllp.port}")
    int mllpPort;

    @Value("${sehat.data-dir}")
    Path dataDir;

    /** The operator: reads the record, dead letters and metrics. */
    FhirTestClient server;
    /** A hospital system: sends HL7 v2 and CSV over HTTP. */
    FhirTestClient hospital;
    /** A telehealth app: sends its consultations. */
    FhirTestClient telehealthApp;

    @BeforeEach
    void connect() {
        server = new FhirTestClient(port);
        hospital = new FhirTestClient(port, TestClients.HOSPITAL);
        telehealthApp = new FhirTestClient(port, TestClients.APP);
    }

    // ---------------------------------------------------------------- HL7 v2 over MLLP

    @Test
    void everySupportedMessageTypeIsAcknowledgedOnlyAfterItIsStored() throws IOException {
        List<Path> messages;
        try (Stream<Path> files = Files.walk(GOLDEN_HL7)) {
            // Merges need their old patient first; they have a test of their own below.
            messages = files.filter(p -> p.toString().endsWith(".hl7")
                            && !p.toString().contains("A40")
                            && !p.toString().contains("A34"))
                    .sorted()
                    .toList();
        }
        assertThat(messages).hasSizeGreaterThanOrEqualTo(25);
        DateTimeType start = DateTimeType.now();

        try (MllpTestClient mllp = new MllpTestClient(mllpPort)) {
            for (Path message : messages) {
                String text = hl7(message);
                String ack = mllp.send(text);
                assertThat(MllpTestClient.ackCode(ack))
                        .as(message + " -> " + ack)
                        .isEqualTo("AA");
                assertThat(MllpTestClient.field(ack, "MSA", 2)).isEqualTo(MllpTestClient.field(text, "MSH", 10));
            }
        }
        assertThat(count("Patient?identifier=" + MAYO_MRN + "|MR-2024-448812")).isEqualTo(1);
        // Exact counts of what known golden messages hold, whatever else the shared database has.
        String sid = "https://fhir.sehathub.pk/sid/";
        assertThat(count("Immunization?patient.identifier=" + sid + "mrn/bhu-chak-45|BHU45-00512"))
                .as("three RXA")
                .isEqualTo(3);
        assertThat(count("Observation?category=laboratory&patient.identifier=" + sid
                        + "mrn/chughtai-lab-lahore|CL-PT-9910022"))
                .as("the OUL lipid profile")
                .isEqualTo(3);
        assertThat(count("Specimen?identifier=" + sid + "specimen/chughtai-lab-lahore|CL-SP-240611-771"))
                .isEqualTo(1);
        assertThat(count("ServiceRequest?identifier=" + sid
                        + "placer-order/shifa-international-hospital|SIH-ORD-771201"))
                .as("the ORM's first order")
                .isEqualTo(1);
        assertThat(count("ServiceRequest?requisition=" + sid
                        + "placer-group/shifa-international-hospital|SIH-ORD-771200"))
                .as("both orders of the requisition")
                .isEqualTo(2);
        assertThat(count("DocumentReference?identifier=" + sid + "document/akuh|AKUH-DOC-5520931"))
                .isEqualTo(1);
        assertThat(count("Appointment?identifier=" + sid + "appointment/pims-islamabad|PIMS-APT-240612-0007"))
                .isEqualTo(1);

        // Every resource those messages stored passes the server's own $validate (base R4).
        StoredResourceValidation.Result validation = StoredResourceValidation.since(server.fhir(), start);
        assertThat(validation.total()).isGreaterThan(100);
        assertThat(validation.errors())
                .as("$validate errors in %s", validation.validated())
                .isEmpty();
    }

    @Test
    void aResendIsAcknowledgedAgainAndStoresNothingNew() {
        String mrn = "MR-" + UUID.randomUUID();
        String message = registration(mrn, "MSG-" + UUID.randomUUID(), "Khan", "03001234567");
        try (MllpTestClient mllp = new MllpTestClient(mllpPort)) {
            assertThat(MllpTestClient.ackCode(mllp.send(message))).isEqualTo("AA");
            String patientId = onlyPatient(mrn).getIdElement().getIdPart();

            assertThat(MllpTestClient.ackCode(mllp.send(message))).isEqualTo("AA");

            assertThat(count("Patient?identifier=" + MAYO_MRN + "|" + mrn)).isEqualTo(1);
            Bundle history = server.fhir()
                    .history()
                    .onInstance("Patient/" + patientId)
                    .returnBundle(Bundle.class)
                    .execute();
            assertThat(history.getEntry()).hasSize(1);
        }
    }

    @Test
    void valuesWithFhirSearchCharactersAreMatchedAsOneValue() {
        // A ward named with commas (PV1-3) and an MRN with a comma and a dollar sign: in a match URL
        // unescaped, HAPI read them as alternatives and refused the message (HAPI-0929, ERR-3 207).
        String ward = "4 East, room 136, bed B " + UUID.randomUUID();
        String mrn = "MR,$-" + UUID.randomUUID();
        try (MllpTestClient mllp = new MllpTestClient(mllpPort)) {
            for (int i = 0; i < 2; i++) {
                String message = registration(mrn, "WARD-" + UUID.randomUUID(), "Khan", "03001234567")
                        .replace("ADT^A04", "ADT^A01")
                        .replace("PV1|1|O", "PV1|1|I|" + ward);
                String ack = mllp.send(message);
                assertThat(MllpTestClient.ackCode(ack)).as(ack).isEqualTo("AA");
            }
        }
        // Searched as any client must: FHIR's escaping (\, \$), then URL encoding.
        assertThat(count("Patient?identifier=" + MAYO_MRN + "%7C" + searchValue(mrn)))
                .as("one patient, found again by the second message")
                .isEqualTo(1);
        assertThat(count("Location?identifier=" + searchValue(ward)))
                .as("one Location, found again by the second message")
                .isEqualTo(1);
    }

    private static String searchValue(String value) {
        String escaped = value.replace(",", "\\,").replace("$", "\\$");
        return java.net.URLEncoder.encode(escaped, StandardCharsets.UTF_8).replace("+", "%20");
    }

    @Test
    void olderVersionsAndCharacterSetsAsSentInTheWildAreStored() {
        String v21 = "MR-21-" + UUID.randomUUID();
        String unicode = "MR-U-" + UUID.randomUUID();
        try (MllpTestClient mllp = new MllpTestClient(mllpPort)) {
            // Version 2.1: MSH-9 names the type only, EVN-1 the event.
            String old = registration(v21, "V21-" + UUID.randomUUID(), "Khan", "03001234567")
                    .replace("ADT^A04^ADT_A01", "ADT")
                    .replace("|P|2.5", "|P|2.1");
            assertThat(MllpTestClient.ackCode(mllp.send(old))).as(old).isEqualTo("AA");
            // MSH-18 UNICODE (UTF-16 by the table) over UTF-8 bytes, as senders write it: Urdu intact.
            String declared = registration(unicode, "UNI-" + UUID.randomUUID(), "خان", "03001234567")
                    .replace("|P|2.5", "|P|2.5||||||UNICODE");
            String ack = mllp.send(declared);
            assertThat(MllpTestClient.ackCode(ack)).as(ack).isEqualTo("AA");
        }
        assertThat(onlyPatient(v21).getBirthDateElement().getValueAsString()).isEqualTo("1990-01-01");
        assertThat(onlyPatient(unicode).getNameFirstRep().getFamily()).isEqualTo("خان");
    }

    @Test
    void theSameControlIdWithDifferentContentIsRefusedAndKept() {
        String mrn = "MR-" + UUID.randomUUID();
        String controlId = "MSG-" + UUID.randomUUID();
        try (MllpTestClient mllp = new MllpTestClient(mllpPort)) {
            assertThat(MllpTestClient.ackCode(mllp.send(registration(mrn, controlId, "Khan", "03001234567"))))
                    .isEqualTo("AA");

            String ack = mllp.send(registration(mrn, controlId, "Changed", "03001234567"));

            assertThat(MllpTestClient.ackCode(ack)).isEqualTo("AE");
            assertThat(MllpTestClient.field(ack, "ERR", 8)).containsIgnoringCase("different content");
        }
        assertThat(onlyPatient(mrn).getNameFirstRep().getFamily()).isEqualTo("Khan");
        assertThat(deadLetters("?source=hl7v2&limit=200").findValuesAsText("messageId"))
                .contains(controlId);
    }

    @Test
    void messagesOnOneConnectionAreStoredInTheOrderSent() {
        // Five updates of one patient: after each AA the record already holds that message's phone
        // number (AA means committed), and one version per message is kept, in the order sent.
        String mrn = "MR-" + UUID.randomUUID();
        try (MllpTestClient mllp = new MllpTestClient(mllpPort)) {
            for (int i = 1; i <= 5; i++) {
                String message = registration(mrn, "ORDER-" + i + "-" + UUID.randomUUID(), "Khan", "0300111111" + i)
                        .replace("ADT^A04", i == 1 ? "ADT^A04" : "ADT^A08");
                assertThat(MllpTestClient.ackCode(mllp.send(message))).isEqualTo("AA");
                assertThat(onlyPatient(mrn).getTelecomFirstRep().getValue())
                        .as("after message " + i)
                        .isEqualTo("+92300111111" + i);
            }
        }
        Bundle history = server.fhir()
                .history()
                .onInstance("Patient/" + onlyPatient(mrn).getIdElement().getIdPart())
                .returnBundle(Bundle.class)
                .execute();
        assertThat(history.getEntry()).as("one version per message").hasSize(5);
    }

    @Test
    void concurrentConnectionsAboutOnePatientCreateOnePatient() throws Exception {
        String mrn = "MR-" + UUID.randomUUID();
        List<Callable<List<String>>> senders = new ArrayList<>();
        for (int connection = 0; connection < 8; connection++) {
            int c = connection;
            senders.add(() -> {
                List<String> codes = new ArrayList<>();
                try (MllpTestClient mllp = new MllpTestClient(mllpPort)) {
                    for (int i = 0; i < 3; i++) {
                        codes.add(MllpTestClient.ackCode(
                                mllp.send(labResult(mrn, "ORU-" + c + "-" + i + "-" + UUID.randomUUID()))));
                    }
                }
                return codes;
            });
        }

        List<String> codes = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(senders.size());
        try {
            for (Future<List<String>> result : pool.invokeAll(senders)) {
                codes.addAll(result.get());
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(codes).hasSize(24).containsOnly("AA");
        assertThat(count("Patient?identifier=" + MAYO_MRN + "|" + mrn)).isEqualTo(1);
        assertThat(count("Observation?subject.identifier=" + MAYO_MRN + "|" + mrn))
                .isEqualTo(24);
    }

    @Test
    void aRefusedMergeIsKeptAndReplayedOnceTheMissingPatientArrives() throws IOException {
        String survivor = "MR-" + UUID.randomUUID();
        String old = "MR-OLD-" + UUID.randomUUID();
        String controlId = "A40-" + UUID.randomUUID();
        String merge = hl7(GOLDEN_HL7.resolve("ADT_A40/adt-a40-mayo-merge-duplicate-mrn.hl7"))
                .replace("MR-2024-448812", survivor)
                .replace("MR-2023-120077", old)
                .replace("MAYO-20240320-000411", controlId);
        try (MllpTestClient mllp = new MllpTestClient(mllpPort)) {
            assertThat(MllpTestClient.ackCode(
                            mllp.send(registration(survivor, "REG-" + UUID.randomUUID(), "Raza", "03001234567"))))
                    .isEqualTo("AA");
            String refused = mllp.send(merge);
            assertThat(MllpTestClient.ackCode(refused)).isEqualTo("AE");
            // Unknown key identifier, and nothing of the server's text (it quotes the match URL, an MRN).
            assertThat(MllpTestClient.field(refused, "ERR", 3)).startsWith("204");
            assertThat(refused).doesNotContain("HAPI-").doesNotContain(old);
            assertThat(MllpTestClient.ackCode(
                            mllp.send(registration(old, "REG-" + UUID.randomUUID(), "Raza", "03001234567"))))
                    .isEqualTo("AA");
        }
        long letterId = -1;
        for (JsonNode item : deadLetters("?source=hl7v2&status=NEW&limit=200").get("items")) {
            if (controlId.equals(item.get("messageId").asText())) {
                letterId = item.get("id").asLong();
            }
        }
        assertThat(letterId).as("dead letter for " + controlId).isPositive();

        HttpResponse<byte[]> replay = server.send(
                HttpRequest.newBuilder().POST(HttpRequest.BodyPublishers.noBody()),
                "/ingest/dead-letters/" + letterId + "/replay");

        assertThat(replay.statusCode())
                .as(new String(replay.body(), StandardCharsets.UTF_8))
                .isEqualTo(200);
        assertThat(json(replay).get("stored").asBoolean()).isTrue();
        assertThat(json(server.get("/ingest/dead-letters/" + letterId))
                        .get("letter")
                        .get("status")
                        .asText())
                .isEqualTo("REPLAYED");
        Patient replaced = onlyPatient(old);
        assertThat(replaced.getActive()).isFalse();
        assertThat(replaced.getLink()).anyMatch(l -> l.getType() == Patient.LinkType.REPLACEDBY);
    }

    // ---------------------------------------------------------------- HTTP and folders

    @Test
    void hl7OverHttpIsAnsweredWithTheAck() {
        String mrn = "MR-" + UUID.randomUUID();
        HttpResponse<byte[]> response = hospital.send(
                HttpRequest.newBuilder()
                        .POST(HttpRequest.BodyPublishers.ofString(
                                registration(mrn, "HTTP-" + UUID.randomUUID(), "Bibi", "03215556677")))
                        .header("Content-Type", "x-application/hl7-v2+er7"),
                "/ingest/hl7v2");

        String ack = new String(response.body(), StandardCharsets.UTF_8);
        assertThat(response.statusCode()).as(ack).isEqualTo(200);
        assertThat(MllpTestClient.ackCode(ack)).isEqualTo("AA");
        assertThat(count("Patient?identifier=" + MAYO_MRN + "|" + mrn)).isEqualTo(1);
        // Tagged with Mayo's facility: Mayo's client finds it, a hospital of another facility does not.
        Patient stored = onlyPatient(mrn);
        assertThat(stored.getMeta().getTag()).anyMatch(t -> "mayo-hospital-lahore".equals(t.getCode()));
        String path = "/fhir/Patient/" + stored.getIdElement().getIdPart();
        assertThat(hospital.get(path).statusCode()).isEqualTo(200);
        assertThat(new FhirTestClient(port, TestClients.NARROW).get(path).statusCode())
                .isEqualTo(404);
    }

    @Test
    void clinicCsvIsStoredFromAnUploadAndFromTheWatchedFolder() throws IOException {
        String facility = "BHU Chak 45";
        HttpResponse<byte[]> upload = hospital.send(
                HttpRequest.newBuilder()
                        .POST(HttpRequest.BodyPublishers.ofFile(DOCS.resolve("csv/examples/patients.csv")))
                        .header("Content-Type", "text/csv")
                        .header("X-Sehat-Facility", facility),
                "/ingest/csv/patients");
        assertThat(upload.statusCode())
                .as(new String(upload.body(), StandardCharsets.UTF_8))
                .isEqualTo(200);
        JsonNode report = json(upload);
        assertThat(report.get("rowsStored").asInt()).isPositive();

        Path inbox = dataDir.resolve("inbox/csv/lab-results");
        Files.createDirectories(inbox);
        Path file = inbox.resolve(facility.replace(' ', '-') + "__results.csv");
        Files.copy(DOCS.resolve("csv/examples/lab-results.csv"), file);

        await().atMost(Duration.ofSeconds(60))
                .until(() -> Files.exists(inbox.resolve("done").resolve(file.getFileName()))
                        || Files.exists(inbox.resolve("failed").resolve(file.getFileName())));
        assertThat(inbox.resolve("done").resolve(file.getFileName())).exists();
        assertThat(file).doesNotExist();
    }

    @Test
    void aTeleconsultationIsStoredOnceAndAnsweredWithItsIds() throws IOException {
        byte[] example = Files.readAllBytes(DOCS.resolve("telehealth/examples/dengue-video-consultation.json"));
        String app = "sehat-kahani";
        HttpRequest.Builder post = HttpRequest.newBuilder()
                .POST(HttpRequest.BodyPublishers.ofByteArray(example))
                .header("Content-Type", "application/json")
                .header("X-Sehat-App", app);

        HttpResponse<byte[]> created = telehealthApp.send(post, "/ingest/telehealth/consultations");
        HttpResponse<byte[]> again = telehealthApp.send(post, "/ingest/telehealth/consultations");

        assertThat(created.statusCode())
                .as(new String(created.body(), StandardCharsets.UTF_8))
                .isEqualTo(201);
        List<String> ids = textValues(json(created).get("resourceIds"));
        assertThat(ids).anyMatch(id -> id.startsWith("Encounter/"));
        for (String id : ids) {
            assertThat(server.get("/fhir/" + id).statusCode()).as(id).isEqualTo(200);
        }
        assertThat(again.statusCode()).isBetween(200, 201);
        assertThat(textValues(json(again).get("resourceIds"))).isEqualTo(ids);
    }

    @Test
    void ingestMetricsArePublishedForPrometheusWithBoundedLabels() {
        String stranger = "Stranger Clinic " + UUID.randomUUID().toString().substring(0, 8);
        try (MllpTestClient mllp = new MllpTestClient(mllpPort)) {
            mllp.send(registration("MR-" + UUID.randomUUID(), "MET-" + UUID.randomUUID(), "Khan", "03001234567"));
            // A facility no sender is registered for: refused, and counted without its name.
            assertThat(MllpTestClient.ackCode(mllp.send(
                            registration("MR-" + UUID.randomUUID(), "MET-" + UUID.randomUUID(), "Khan", "03001234567")
                                    .replace("|Mayo Hospital Lahore|SEHATHUB|", "|" + stranger + "|SEHATHUB|"))))
                    .isEqualTo("AR");
        }
        String metrics = new String(server.get("/actuator/prometheus").body(), StandardCharsets.UTF_8);
        assertThat(metrics)
                .contains("sehat_ingest")
                .contains("facility=\"Mayo Hospital Lahore\"")
                .contains("facility=\"other\"")
                .doesNotContain(stranger);
    }

    // ---------------------------------------------------------------- senders

    @Test
    void aHospitalCannotSendInAnotherFacilitysNameAndTheMessageIsKept() throws IOException {
        String mrn = "MR-" + UUID.randomUUID();
        String controlId = "FORGED-" + UUID.randomUUID();
        String forged = registration(mrn, controlId, "Renamed", "03001234567")
                .replace("|Mayo Hospital Lahore|SEHATHUB|", "|Services Hospital Lahore|SEHATHUB|");

        HttpResponse<byte[]> response = hospital.send(
                HttpRequest.newBuilder()
                        .POST(HttpRequest.BodyPublishers.ofString(forged))
                        .header("Content-Type", "x-application/hl7-v2+er7"),
                "/ingest/hl7v2");

        String ack = new String(response.body(), StandardCharsets.UTF_8);
        assertThat(response.statusCode()).as(ack).isEqualTo(403);
        assertThat(MllpTestClient.ackCode(ack)).isEqualTo("AR");
        assertThat(ack)
                .contains("ERR||MSH^1^4")
                .contains("|103^Table value not found^HL70357|")
                .contains("may not send for facility Services Hospital Lahore");
        assertThat(count("Patient?identifier=" + MAYO_MRN + "|" + mrn)).isZero();
        assertThat(deadLetters("?source=hl7v2&limit=200").get("items"))
                .anySatisfy(item -> assertThat(item.get("messageId").asText()).isEqualTo(controlId));
    }

    @Test
    void aBatchIsStoredMessageByMessageAndAForgedMemberIsRefusedAlone() throws IOException {
        String good = "MR-" + UUID.randomUUID();
        String alsoGood = "MR-" + UUID.randomUUID();
        String forgedMrn = "MR-" + UUID.randomUUID();
        String forgedId = "BATCH-FORGED-" + UUID.randomUUID();
        String batch = "BHS|^~\\&|MAYO-HIS|Mayo Hospital Lahore|SEHATHUB|SEHATHUB|20240315||||NIGHT-1\r"
                + registration(good, "BATCH-" + UUID.randomUUID(), "Raza", "03001234567") + "\r"
                + registration(forgedMrn, forgedId, "Raza", "03001234567")
                        .replace("|Mayo Hospital Lahore|SEHATHUB|", "|Services Hospital Lahore|SEHATHUB|")
                + "\r"
                + registration(alsoGood, "BATCH-" + UUID.randomUUID(), "Raza", "03001234567") + "\r"
                + "BTS|3\r";

        HttpResponse<byte[]> response = hospital.send(
                HttpRequest.newBuilder()
                        .POST(HttpRequest.BodyPublishers.ofString(batch))
                        .header("Content-Type", "x-application/hl7-v2+er7"),
                "/ingest/hl7v2");

        String ack = new String(response.body(), StandardCharsets.UTF_8);
        assertThat(response.statusCode()).as(ack).isEqualTo(200);
        assertThat(ack)
                .startsWith("BHS|")
                .contains("|NIGHT-1")
                .containsSubsequence("MSA|AA|", "MSA|AR|" + forgedId, "103^", "MSA|AA|")
                .endsWith("BTS|3\r");
        assertThat(count("Patient?identifier=" + MAYO_MRN + "|" + good)).isEqualTo(1);
        assertThat(count("Patient?identifier=" + MAYO_MRN + "|" + alsoGood)).isEqualTo(1);
        assertThat(count("Patient?identifier=" + MAYO_MRN + "|" + forgedMrn)).isZero();
        assertThat(deadLetters("?source=hl7v2&limit=200").get("items"))
                .anySatisfy(item -> assertThat(item.get("messageId").asText()).isEqualTo(forgedId));
    }

    @Test
    void csvAndTeleconsultationsNamingAFacilityNotRegisteredForTheClientAreRefused() throws IOException {
        HttpResponse<byte[]> csv = hospital.send(
                HttpRequest.newBuilder()
                        .POST(HttpRequest.BodyPublishers.ofFile(DOCS.resolve("csv/examples/patients.csv")))
                        .header("Content-Type", "text/csv")
                        .header("X-Sehat-Facility", "BHU Somewhere Else"),
                "/ingest/csv/patients");
        assertThat(csv.statusCode())
                .as(new String(csv.body(), StandardCharsets.UTF_8))
                .isEqualTo(403);

        HttpResponse<byte[]> teleconsultation = telehealthApp.send(
                HttpRequest.newBuilder()
                        .POST(HttpRequest.BodyPublishers.ofFile(
                                DOCS.resolve("telehealth/examples/dengue-video-consultation.json")))
                        .header("Content-Type", "application/json")
                        .header("X-Sehat-App", "sehat-kahani")
                        .header("X-Sehat-Facility", "another-provider"),
                "/ingest/telehealth/consultations");
        assertThat(teleconsultation.statusCode()).isEqualTo(403);
        JsonNode problem = json(teleconsultation);
        assertThat(problem.get("title").asText()).isEqualTo("Not permitted for this sender");
        assertThat(problem.toString()).contains("X-Sehat-Facility");
    }

    // ---------------------------------------------------------------- FHIR over HTTP

    @Test
    void aFhirTransactionIsStoredOnceForItsFacilityAndCannotReachAnotherFacilitysRecords() throws IOException {
        String example = Files.readString(DOCS.resolve("fhir/examples/anaemia-visit-transaction.json"));
        String unique = UUID.randomUUID().toString().substring(0, 8);
        String cnic = "35202-" + (1_000_000 + (Math.abs(unique.hashCode()) % 8_999_999)) + "-4";
        String bundle = example.replace("VISIT-2024-000871", "VISIT-" + unique)
                .replace("3520245678913", cnic.replace("-", ""))
                .replace("35202-4567891-3", cnic);

        HttpResponse<byte[]> created = postFhir(bundle, "Mayo Hospital Lahore");
        HttpResponse<byte[]> again = postFhir(bundle, "Mayo Hospital Lahore");

        assertThat(created.statusCode())
                .as(new String(created.body(), StandardCharsets.UTF_8))
                .isEqualTo(201);
        List<String> ids = storedIds(json(created));
        assertThat(ids).hasSize(4).anyMatch(id -> id.startsWith("Condition/"));
        String patientId =
                ids.stream().filter(id -> id.startsWith("Patient/")).findFirst().orElseThrow();
        Patient patient =
                server.fhir().read().resource(Patient.class).withId(patientId).execute();
        assertThat(patient.getIdentifierFirstRep().getValue())
                .as("CNIC made canonical")
                .isEqualTo(cnic);
        assertThat(patient.getTelecomFirstRep().getValue()).isEqualTo("+923001234567");
        assertThat(patient.getMeta().getTag(NamingSystems.FACILITY_TAG, "mayo-hospital-lahore"))
                .as("tagged for the facility it was sent for")
                .isNotNull();
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(storedIds(json(again))).isEqualTo(ids);

        // The same woman sent by another of the client's facilities: its conditional create sees only
        // that facility's patients, so it does not take over (or reveal) Mayo's record.
        HttpResponse<byte[]> elsewhere = postFhir(bundle.replace("VISIT-" + unique, "BHU-" + unique), "BHU Chak 45");
        assertThat(elsewhere.statusCode())
                .as(new String(elsewhere.body(), StandardCharsets.UTF_8))
                .isEqualTo(201);
        assertThat(storedIds(json(elsewhere)))
                .filteredOn(id -> id.startsWith("Patient/"))
                .doesNotContain(patientId);

        // Nor can it overwrite Mayo's patient by its id: answered as a record it does not know.
        String overwrite = """
                {"resourceType": "Bundle", "type": "transaction", "entry": [{
                  "resource": {"resourceType": "Patient", "id": "%s", "gender": "male"},
                  "request": {"method": "PUT", "url": "%s"}}]}
                """.formatted(patientId.substring("Patient/".length()), patientId);
        HttpResponse<byte[]> refused = postFhir(overwrite, "BHU Chak 45");
        assertThat(refused.statusCode()).isEqualTo(422);
        assertThat(json(refused).get("resourceType").asText()).isEqualTo("OperationOutcome");
        assertThat(server.fhir()
                        .read()
                        .resource(Patient.class)
                        .withId(patientId)
                        .execute()
                        .getGenderElement()
                        .getValueAsString())
                .isEqualTo("female");

        // And a facility that is not the client's is refused before anything is read, and kept.
        HttpResponse<byte[]> forged =
                postFhir(bundle.replace("VISIT-" + unique, "F-" + unique), "Services Hospital Lahore");
        assertThat(forged.statusCode()).isEqualTo(403);
        assertThat(deadLetters("?source=fhir&limit=200").findValuesAsText("sender"))
                .contains("Services Hospital Lahore");
    }

    private HttpResponse<byte[]> postFhir(String bundle, String facility) {
        return hospital.send(
                HttpRequest.newBuilder()
                        .POST(HttpRequest.BodyPublishers.ofString(bundle))
                        .header("Content-Type", "application/fhir+json")
                        .header("X-Sehat-Facility", facility),
                "/ingest/fhir");
    }

    /** The ids an ingest OperationOutcome names as stored. */
    private static List<String> storedIds(JsonNode outcome) {
        List<String> ids = new ArrayList<>();
        for (JsonNode issue : outcome.get("issue")) {
            if (issue.path("details")
                    .path("coding")
                    .path(0)
                    .path("code")
                    .asText()
                    .equals("stored")) {
                ids.add(issue.get("diagnostics").asText());
            }
        }
        return ids;
    }

    // ---------------------------------------------------------------- helpers

    /** A minimal ADT^A04 from Mayo Hospital Lahore. */
    private static String registration(String mrn, String controlId, String family, String phone) {
        return String.join(
                "\r",
                "MSH|^~\\&|MAYO-HIS|Mayo Hospital Lahore|SEHATHUB|SEHATHUB|20240315101500+0500||ADT^A04^ADT_A01|"
                        + controlId + "|P|2.5",
                "EVN|A04|20240315101500",
                "PID|1||" + mrn + "^^^Mayo Hospital Lahore^MR||" + family
                        + "^Ayesha||19900101|F|||12 Mall Road^^Lahore^PB||" + phone,
                "PV1|1|O");
    }

    /** An ORU^R01 haemoglobin result for a Mayo patient. */
    private static String labResult(String mrn, String controlId) {
        return String.join(
                "\r",
                "MSH|^~\\&|MAYO-LIS|Mayo Hospital Lahore|SEHATHUB|SEHATHUB|20240316090000+0500||ORU^R01^ORU_R01|"
                        + controlId + "|P|2.5",
                "PID|1||" + mrn + "^^^Mayo Hospital Lahore^MR||Khan^Ayesha||19900101|F",
                "OBR|1|ORD-" + controlId + "|FIL-" + controlId + "|718-7^Hemoglobin^LN|||20240316083000+0500",
                "OBX|1|NM|718-7^Hemoglobin^LN||12.4|g/dL|12-16|N|||F|||20240316083000+0500");
    }

    private static String hl7(Path file) throws IOException {
        return Files.readString(file, StandardCharsets.UTF_8)
                .replace("\r\n", "\r")
                .replace('\n', '\r')
                .strip();
    }

    private Patient onlyPatient(String mrn) {
        Bundle found = server.fhir()
                .search()
                .byUrl(server.fhirBase() + "/Patient?identifier=" + MAYO_MRN + "|" + mrn)
                .returnBundle(Bundle.class)
                .execute();
        assertThat(found.getEntry()).hasSize(1);
        return (Patient) found.getEntryFirstRep().getResource();
    }

    private int count(String query) {
        String url = server.fhirBase() + "/" + query + (query.contains("_summary=count") ? "" : "&_summary=count");
        return server.fhir()
                .search()
                .byUrl(url)
                .returnBundle(Bundle.class)
                .execute()
                .getTotal();
    }

    private JsonNode deadLetters(String query) {
        return json(server.get("/ingest/dead-letters" + query));
    }

    private static JsonNode json(HttpResponse<byte[]> response) {
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new IllegalStateException(new String(response.body(), StandardCharsets.UTF_8), e);
        }
    }

    private static List<String> textValues(JsonNode array) {
        List<String> values = new ArrayList<>();
        if (array != null) {
            array.forEach(node -> values.add(node.asText()));
        }
        return values;
    }
}
