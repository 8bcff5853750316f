package org.sehathub.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;

/**
 * HL7 v2 as other projects and vendors wrote it (../shared/data/vendor-samples/hl7, see its
 * MANIFEST.md; read from there, never copied in), each message sent over a real MLLP socket to the
 * server on PostgreSQL, its acknowledgement recorded: the share stored, and why the rest was
 * refused, written to target/vendor-samples-hl7v2.md (docs/ingest/hl7v2.md publishes the figures).
 * Skipped where the folder is absent.
 *
 * <p>Each message is sent as the test hospital: MSH-4 becomes one of its facilities, MSH-10 is
 * made unique per message (samples from different projects reuse control ids), and MSH-11 is P
 * (samples are written as training or debugging messages, which production refuses with AR 202; a
 * test system accepts them with {@code sehat.ingest.hl7v2.processing-ids=P,T,D}). Nothing else changes.
 */
@PostgresServerTest
class VendorSamplesOnPostgresIT {

    private static final Path SAMPLES = Path.of("..", "..", "shared", "data", "vendor-samples", "hl7");
    private static final Path REPORT = Path.of("target", "vendor-samples-hl7v2.md");
    private static final Path VARIANTS = Path.of("src", "test", "resources", "hl7v2-vendor-variants");
    private static final Pattern MESSAGE_START = Pattern.compile("[\\r\\n]+(?=MSH)");

    @Value("${sehat.ingest.mllp.port}")
    int mllpPort;

    @org.springframework.boot.test.web.server.LocalServerPort
    int port;

    /** One message's outcome. */
    record Outcome(String file, int index, String type, String version, String ack, String errors) {}

    @Test
    void everyVendorSampleIsAnsweredAndEveryOneOfASupportedTypeStoredUnlessItCannotBe() throws IOException {
        assumeTrue(Files.isDirectory(SAMPLES), "vendor samples not present at " + SAMPLES.toAbsolutePath());
        List<Path> files;
        try (Stream<Path> list = Files.list(SAMPLES)) {
            files = list.filter(p -> p.toString().endsWith(".hl7")).sorted().toList();
        }
        List<Outcome> outcomes = new ArrayList<>();
        org.hl7.fhir.r4.model.DateTimeType start = org.hl7.fhir.r4.model.DateTimeType.now();
        try (MllpTestClient mllp = new MllpTestClient(mllpPort)) {
            for (int f = 0; f < files.size(); f++) {
                // ISO-8859-1 keeps every byte as one char, so the bytes sent are the file's own.
                String text = Files.readString(files.get(f), StandardCharsets.ISO_8859_1);
                List<String> messages = split(text);
                for (int m = 0; m < messages.size(); m++) {
                    String message = asTestHospital(messages.get(m), "VS" + f + "-" + m + "-");
                    String ack = mllp.send(message.getBytes(StandardCharsets.ISO_8859_1));
                    outcomes.add(new Outcome(
                            files.get(f).getFileName().toString(),
                            m + 1,
                            mshField(message, 9),
                            mshField(message, 12),
                            MllpTestClient.ackCode(ack),
                            errors(ack)));
                }
            }
        }
        StoredResourceValidation.Result validation =
                StoredResourceValidation.since(new FhirTestClient(port).fhir(), start);
        writeReport(outcomes, validation);
        assertThat(outcomes)
                .as("every message answered")
                .allSatisfy(o -> assertThat(o.ack()).isIn("AA", "AE", "AR"));
        assertThat(outcomes)
                .as("no internal error (ERR-3 207) for a message of a real system")
                .noneSatisfy(o -> assertThat(o.errors()).contains("207^"));
        // Of the types we map, a message is refused only for what prevents a correct record: no
        // control id (101), no facility we can read (103), a merge of a patient never sent (204), a
        // patient whose only identifier is a national id (NI) that is no valid CNIC (102 at PID-3:
        // nobody to file it to; HAPI's A24 sample).
        assertThat(outcomes)
                .filteredOn(o -> !o.ack().equals("AA")
                        && !o.errors().contains("200^")
                        && !o.errors().contains("201^"))
                .as("refusals of supported message types")
                .allSatisfy(o -> assertThat(o.errors())
                        .satisfiesAnyOf(
                                e -> assertThat(e).containsAnyOf("101^", "103^", "204^"),
                                e -> assertThat(e).contains("PID^1^3^1 102^").contains("CNIC")));
        assertThat(validation.errors())
                .as("$validate errors of the resources stored")
                .isEmpty();
    }

    /**
     * Our own corpus of vendor variants (src/test/resources/hl7v2-vendor-variants: the shapes
     * hospital systems send, versions 2.1 to 2.8, the oddities), sent as written, in file order:
     * each is answered as {@code expected.tsv} says, and every resource stored passes {@code $validate}.
     * Runs everywhere (CI included); the figures go to target/vendor-variants-hl7v2.md.
     */
    @Test
    void ourVendorVariantCorpusIsAnsweredAsExpectedAndEveryResourceStoredValidates() throws IOException {
        Map<String, String[]> expected = new LinkedHashMap<>();
        for (String line : Files.readAllLines(VARIANTS.resolve("expected.tsv"))) {
            if (!line.isBlank() && !line.startsWith("#")) {
                String[] f = line.split("\t", -1);
                expected.put(f[0], new String[] {f[1], f.length > 2 ? f[2] : ""});
            }
        }
        List<Path> files;
        try (Stream<Path> list = Files.list(VARIANTS)) {
            files = list.filter(p -> p.toString().endsWith(".hl7")).sorted().toList();
        }
        assertThat(files)
                .extracting(p -> p.getFileName().toString())
                .as("every file has its expectation")
                .containsExactlyElementsOf(expected.keySet());
        org.hl7.fhir.r4.model.DateTimeType start = org.hl7.fhir.r4.model.DateTimeType.now();
        List<Outcome> outcomes = new ArrayList<>();
        Map<String, String> firstErrors = new LinkedHashMap<>();
        try (MllpTestClient mllp = new MllpTestClient(mllpPort)) {
            for (Path file : files) {
                byte[] message = Files.readAllBytes(file);
                String text = new String(message, StandardCharsets.ISO_8859_1)
                        .replace("\uFEFF", "")
                        .replace("\u00ef\u00bb\u00bf", "");
                String ack = mllp.send(message);
                String name = file.getFileName().toString();
                outcomes.add(new Outcome(
                        name, 1, mshField(text, 9), mshField(text, 12), MllpTestClient.ackCode(ack), errors(ack)));
                firstErrors.put(name, firstErrorCode(ack));
            }
        }
        StoredResourceValidation.Result validation =
                StoredResourceValidation.since(new FhirTestClient(port).fhir(), start);
        write(Path.of("target", "vendor-variants-hl7v2.md"), "Vendor variants (our corpus)", outcomes, validation);
        for (Outcome o : outcomes) {
            String[] want = expected.get(o.file());
            assertThat(o.ack()).as(o.file() + ": " + o.errors()).isEqualTo(want[0]);
            if (!want[1].isEmpty()) {
                assertThat(firstErrors.get(o.file()))
                        .as(o.file() + ": ERR-3 of " + o.errors())
                        .isEqualTo(want[1]);
            }
        }
        assertThat(validation.total()).isGreaterThan(50);
        assertThat(validation.errors())
                .as("$validate errors of the resources stored")
                .isEmpty();
    }

    /** One FHIR input's answers: from the ingest channel, and from /fhir for a transaction. */
    record FhirOutcome(String file, String kind, int ingest, String firstIssue, Integer fhir) {}

    /**
     * The FHIR inputs other projects wrote (../shared/data/vendor-samples/fhir), each posted to
     * {@code /ingest/fhir} as the test hospital for one of its facilities: every one is answered
     * with an OperationOutcome and never an internal error; a transaction is accepted exactly when
     * HAPI's own transaction endpoint ({@code /fhir}, the same client) accepts it; whatever is not a
     * transaction is refused with 400. Figures in target/vendor-samples-fhir.md, published in
     * docs/ingest/fhir.md. Skipped where the folder is absent.
     */
    @Test
    void everyVendorFhirInputIsAnsweredAndATransactionIsStoredExactlyWhenHapiWouldStoreIt() throws IOException {
        Path folder = SAMPLES.resolveSibling("fhir");
        assumeTrue(Files.isDirectory(folder), "vendor samples not present at " + folder.toAbsolutePath());
        List<Path> files;
        try (Stream<Path> list = Files.list(folder)) {
            files = list.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
        FhirTestClient hospital = new FhirTestClient(port, TestClients.HOSPITAL);
        List<FhirOutcome> outcomes = new ArrayList<>();
        for (Path file : files) {
            byte[] body = Files.readAllBytes(file);
            String text = new String(body, StandardCharsets.UTF_8).replace("\uFEFF", "");
            boolean transaction = text.matches("(?s).*\"type\"\\s*:\\s*\"transaction\".*")
                    && text.matches("(?s)\\s*\\{\\s*\"resourceType\"\\s*:\\s*\"Bundle\".*");
            java.net.http.HttpResponse<byte[]> ingest = hospital.send(
                    java.net.http.HttpRequest.newBuilder()
                            .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(body))
                            .header("Content-Type", "application/fhir+json")
                            .header("X-Sehat-Facility", "Mayo Hospital Lahore"),
                    "/ingest/fhir");
            Integer fhir = null;
            if (transaction) {
                fhir = hospital.send(
                                java.net.http.HttpRequest.newBuilder()
                                        .POST(java.net.http.HttpRequest.BodyPublishers.ofString(text))
                                        .header("Content-Type", "application/fhir+json"),
                                "/fhir")
                        .statusCode();
            }
            com.fasterxml.jackson.databind.JsonNode answer =
                    new com.fasterxml.jackson.databind.ObjectMapper().readTree(ingest.body());
            outcomes.add(new FhirOutcome(
                    file.getFileName().toString(),
                    transaction ? "transaction" : "other",
                    ingest.statusCode(),
                    answer.path("resourceType").asText() + ": "
                            + answer.path("issue").path(0).path("diagnostics").asText(),
                    fhir));
        }
        writeFhirReport(outcomes);
        assertThat(outcomes)
                .as("answered with an OperationOutcome, never an internal error")
                .allSatisfy(o -> {
                    assertThat(o.firstIssue()).startsWith("OperationOutcome: ");
                    assertThat(o.ingest()).isNotEqualTo(500);
                });
        assertThat(outcomes)
                .filteredOn(o -> o.kind().equals("other"))
                .allSatisfy(o -> assertThat(o.ingest()).as(o.file()).isEqualTo(400));
        assertThat(outcomes)
                .filteredOn(o -> o.kind().equals("transaction"))
                .isNotEmpty()
                .allSatisfy(o -> assertThat(o.ingest() / 100 == 2)
                        .as(o.file() + ": /ingest/fhir " + o.ingest() + ", /fhir " + o.fhir() + ": " + o.firstIssue())
                        .isEqualTo(o.fhir() / 100 == 2));
    }

    private static void writeFhirReport(List<FhirOutcome> outcomes) {
        long stored = outcomes.stream().filter(o -> o.ingest() / 100 == 2).count();
        StringBuilder md = new StringBuilder("# Vendor FHIR inputs on /ingest/fhir: " + outcomes.size() + " files, "
                + stored + " stored\n\n| file | kind | /ingest/fhir | first issue | /fhir |\n|---|---|---|---|---|\n");
        for (FhirOutcome o : outcomes) {
            String issue = o.firstIssue().length() > 140 ? o.firstIssue().substring(0, 140) + "..." : o.firstIssue();
            md.append("| ")
                    .append(o.file())
                    .append(" | ")
                    .append(o.kind())
                    .append(" | ")
                    .append(o.ingest())
                    .append(" | ")
                    .append(issue.replace("|", "\\|").replace("\n", " "))
                    .append(" | ")
                    .append(o.fhir() == null ? "-" : o.fhir())
                    .append(" |\n");
        }
        try {
            Files.createDirectories(Path.of("target"));
            Files.writeString(Path.of("target", "vendor-samples-fhir.md"), md);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** ERR-3.1 of the first ERR of severity E, or empty. */
    private static String firstErrorCode(String ack) {
        for (String line : ack.split("\r")) {
            String[] f = line.split("\\|", -1);
            if (line.startsWith("ERR|") && f.length > 4 && f[4].equals("E")) {
                return f[3].split("\\^")[0];
            }
        }
        return "";
    }

    private static List<String> split(String text) {
        int first = text.indexOf("MSH");
        if (first < 0) {
            return List.of();
        }
        return List.of(MESSAGE_START.split(text.substring(first))).stream()
                .filter(m -> m.startsWith("MSH"))
                .toList();
    }

    /** MSH-4 the test hospital's facility, MSH-10 prefixed to be unique, MSH-11 P; the rest as written. */
    private static String asTestHospital(String message, String prefix) {
        char separator = message.charAt(3);
        int end = firstLineEnd(message);
        String[] fields = message.substring(0, end).split(Pattern.quote(String.valueOf(separator)), -1);
        if (fields.length > 3) {
            fields[3] = "Mayo Hospital Lahore";
        }
        if (fields.length > 9 && !fields[9].isBlank()) {
            fields[9] = prefix + fields[9];
        }
        if (fields.length > 10) {
            fields[10] = "P";
        }
        return String.join(String.valueOf(separator), fields) + message.substring(end);
    }

    private static String mshField(String message, int n) {
        char separator = message.charAt(3);
        String[] fields =
                message.substring(0, firstLineEnd(message)).split(Pattern.quote(String.valueOf(separator)), -1);
        return n - 1 < fields.length ? fields[n - 1] : "";
    }

    private static int firstLineEnd(String message) {
        int cr = message.indexOf('\r');
        int lf = message.indexOf('\n');
        int end = cr < 0 ? lf : lf < 0 ? cr : Math.min(cr, lf);
        return end < 0 ? message.length() : end;
    }

    /** ERR-3 and ERR-8 of each ERR segment, joined. */
    private static String errors(String ack) {
        List<String> errors = new ArrayList<>();
        for (String line : ack.split("\r")) {
            if (line.startsWith("ERR|")) {
                String[] f = line.split("\\|", -1);
                String where = f.length > 2 ? f[2] : "";
                String code = f.length > 3 ? f[3] : "";
                String severity = f.length > 4 ? f[4] : "";
                String why = f.length > 8 ? f[8] : "";
                errors.add(severity + " " + where + " " + code + " "
                        + (why.length() > 110 ? why.substring(0, 110) + "..." : why));
            }
        }
        return String.join("; ", errors);
    }

    private static void writeReport(List<Outcome> outcomes, StoredResourceValidation.Result validation) {
        write(REPORT, "Vendor HL7 v2 samples", outcomes, validation);
    }

    private static void write(
            Path report, String title, List<Outcome> outcomes, StoredResourceValidation.Result validation) {
        Map<String, Long> byAck = outcomes.stream()
                .collect(Collectors.groupingBy(Outcome::ack, LinkedHashMap::new, Collectors.counting()));
        StringBuilder md = new StringBuilder("# " + title + ": " + outcomes.size() + " messages, " + byAck + "\n\n");
        md.append("Resources stored, each sent to `$validate`: ")
                .append(validation.total())
                .append(' ')
                .append(validation.validated())
                .append("; with errors: ")
                .append(validation.errors().size())
                .append("\n\n");
        validation.errors().forEach(e -> md.append("- ").append(e).append('\n'));
        md.append('\n');
        md.append(
                "| file | # | MSH-9 | MSH-12 | ACK | refusals and warnings (severity, ERR-2, ERR-3, ERR-8) |\n|---|---|---|---|---|---|\n");
        for (Outcome o : outcomes) {
            md.append("| ")
                    .append(o.file())
                    .append(" | ")
                    .append(o.index())
                    .append(" | ")
                    .append(o.type())
                    .append(" | ")
                    .append(o.version())
                    .append(" | ")
                    .append(o.ack())
                    .append(" | ")
                    .append(o.errors().replace("|", "\\|"))
                    .append(" |\n");
        }
        try {
            Files.writeString(report, md);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        System.out.println(md);
    }
}
