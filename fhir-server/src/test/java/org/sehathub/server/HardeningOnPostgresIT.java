package org.sehathub.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.zip.GZIPOutputStream;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * What an attacker can send is bounded (docs/security.md, Hardening): FHIR request bodies
 * (sehat.fhir.max-request-bytes, 128 MiB; a declared length, a chunked stream and a gzip bomb over
 * the limit each get 413 and an OperationOutcome, a gzip body within it is served as usual), the
 * Host a request is addressed to (DNS rebinding), and no identity reaches the logs.
 */
@PostgresServerTest
class HardeningOnPostgresIT {

    private static final long LIMIT = 134_217_728L;
    private static final int MAX_BUNDLE_ENTRIES = 50_000;

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void aDeclaredLengthOverTheLimitIsRefusedBeforeTheBodyIsSent() throws IOException {
        FhirTestClient client = new FhirTestClient(port);
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /fhir HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/fhir+json\r\n"
                            + "Authorization: Bearer " + client.token() + "\r\nContent-Length: " + (LIMIT + 1)
                            + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String answer = readHead(socket.getInputStream());
            assertThat(answer).startsWith("HTTP/1.1 413");
        }
    }

    @Test
    void aGzipBombIsStoppedAtTheLimitOfDecompressedBytes() throws IOException {
        ByteArrayOutputStream compressed = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(compressed)) {
            byte[] zeros = new byte[1 << 20];
            for (int i = 0; i < 160; i++) {
                gzip.write(zeros);
            }
        }
        assertThat(compressed.size()).as("a small body on the wire").isLessThan(1_000_000);

        HttpResponse<byte[]> response = new FhirTestClient(port)
                .send(
                        HttpRequest.newBuilder()
                                .POST(HttpRequest.BodyPublishers.ofByteArray(compressed.toByteArray()))
                                .header("Content-Type", "application/fhir+json")
                                .header("Content-Encoding", "gzip"),
                        "/fhir");

        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(new String(response.body(), StandardCharsets.UTF_8))
                .contains("OperationOutcome")
                .contains("decompresses");
    }

    @Test
    void aGzipBodyWithinTheLimitIsServed() throws IOException {
        ByteArrayOutputStream compressed = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(compressed)) {
            gzip.write("{\"resourceType\":\"Patient\",\"active\":true}".getBytes(StandardCharsets.UTF_8));
        }
        HttpResponse<byte[]> response = new FhirTestClient(port)
                .send(
                        HttpRequest.newBuilder()
                                .POST(HttpRequest.BodyPublishers.ofByteArray(compressed.toByteArray()))
                                .header("Content-Type", "application/fhir+json")
                                .header("Content-Encoding", "gzip"),
                        "/fhir/Patient");

        assertThat(response.statusCode())
                .as(new String(response.body(), StandardCharsets.UTF_8))
                .isEqualTo(201);
    }

    @Test
    void aChunkedBodyOverTheLimitIsRefused() throws IOException {
        FhirTestClient client = new FhirTestClient(port);
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(60_000);
            OutputStream out = new java.io.BufferedOutputStream(socket.getOutputStream(), 1 << 16);
            out.write(("POST /fhir HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/fhir+json\r\n"
                            + "Authorization: Bearer " + client.token() + "\r\nTransfer-Encoding: chunked\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            // Exactly one byte over the limit, then the last chunk: the server reads it all, so the
            // answer is not lost to a reset connection.
            byte[] chunk = new byte[1 << 20];
            java.util.Arrays.fill(chunk, (byte) ' ');
            long left = LIMIT + 1;
            while (left > 0) {
                int n = (int) Math.min(chunk.length, left);
                out.write((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(chunk, 0, n);
                out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                left -= n;
            }
            out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            assertThat(readHead(socket.getInputStream())).startsWith("HTTP/1.1 413");
        }
    }

    @Test
    void aBundleWithMoreEntriesThanAllowedIsRefusedBeforeAnyIsProcessed() {
        FhirTestClient client = new FhirTestClient(port);
        String family = "Entries" + UUID.randomUUID().toString().substring(0, 8);
        for (String type : new String[] {"transaction", "batch"}) {
            StringBuilder bundle =
                    new StringBuilder("{\"resourceType\":\"Bundle\",\"type\":\"" + type + "\",\"entry\":[");
            for (int i = 0; i <= MAX_BUNDLE_ENTRIES; i++) {
                bundle.append(i == 0 ? "" : ",")
                        .append("{\"resource\":{\"resourceType\":\"Patient\",\"name\":[{\"family\":\"")
                        .append(family)
                        .append("\"}]},\"request\":{\"method\":\"POST\",\"url\":\"Patient\"}}");
            }
            HttpResponse<byte[]> response = client.send(
                    HttpRequest.newBuilder()
                            .POST(HttpRequest.BodyPublishers.ofString(
                                    bundle.append("]}").toString()))
                            .header("Content-Type", "application/fhir+json"),
                    "/fhir");

            String body = new String(response.body(), StandardCharsets.UTF_8);
            assertThat(response.statusCode()).as(type + ": " + body).isEqualTo(413);
            assertThat(body).contains("OperationOutcome").contains("sehat.fhir.max-bundle-entries");
        }
        assertThat(jdbc.queryForObject(
                        "SELECT count(*) FROM hfj_spidx_string WHERE sp_name = 'family' AND sp_value_exact = ?",
                        Long.class,
                        family))
                .as("no entry stored")
                .isZero();
    }

    @Test
    void aRequestAddressedToAnotherHostNameIsRefused() throws IOException {
        assertThat(rawGet("rebind.attacker.example")).startsWith("HTTP/1.1 400");
        assertThat(rawGet("127.0.0.1:" + port)).startsWith("HTTP/1.1 200");
        assertThat(rawGet("localhost:" + port)).startsWith("HTTP/1.1 200");
    }

    @Test
    void noIdentityReachesTheLogsOrTheDatabaseErrors() {
        String family = "Loggedname" + UUID.randomUUID().toString().substring(0, 8);
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ListAppender<ILoggingEvent> events = new ListAppender<>();
        events.start();
        root.addAppender(events);
        try {
            FhirTestClient client = new FhirTestClient(port);
            for (int i = 0; i < 2; i++) {
                client.fhir()
                        .create()
                        .resource(new Patient().addName(new HumanName().setFamily(family)))
                        .execute();
            }
            // An ambiguous conditional create: HAPI's error quotes the match URL, with the name.
            HttpResponse<byte[]> ambiguous = client.send(
                    HttpRequest.newBuilder()
                            .POST(HttpRequest.BodyPublishers.ofString("{\"resourceType\":\"Patient\"}"))
                            .header("Content-Type", "application/fhir+json")
                            .header("If-None-Exist", "family=" + family),
                    "/fhir/Patient");
            assertThat(ambiguous.statusCode()).isEqualTo(412);
            assertThat(new String(ambiguous.body(), StandardCharsets.UTF_8))
                    .as("the client is told")
                    .contains(family);

            // A unique-constraint violation: PostgreSQL's detail would quote the value.
            jdbc.update(
                    "INSERT INTO sehat_client_assertion (client_id, jti, expires_at) VALUES ('c', ?, now())", family);
            assertThatThrownBy(() -> jdbc.update(
                            "INSERT INTO sehat_client_assertion (client_id, jti, expires_at) VALUES ('c', ?, now())",
                            family))
                    .isInstanceOf(DuplicateKeyException.class)
                    .satisfies(e -> assertThat(causes(e)).doesNotContain(family));
        } finally {
            root.detachAppender(events);
        }
        // Leaves out the test database's own server log (zonky pipes it into this JVM's logging): it
        // stands for an operator's external PostgreSQL, whose logging is the operator's. The embedded
        // default logs to its own files, tersely (EmbeddedPostgresServer).
        assertThat(events.list.stream().filter(event -> !event.getLoggerName().startsWith("io.zonky")))
                .allSatisfy(event -> {
                    assertThat(event.getFormattedMessage()).doesNotContain(family);
                    if (event.getThrowableProxy() != null) {
                        assertThat(event.getThrowableProxy().getMessage()).doesNotContain(family);
                    }
                });
    }

    private static String causes(Throwable e) {
        StringBuilder all = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            all.append(t.getMessage()).append('\n');
        }
        return all.toString();
    }

    private String rawGet(String host) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(30_000);
            socket.getOutputStream()
                    .write(("GET /fhir/metadata HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
            return readHead(socket.getInputStream());
        }
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1 && head.size() < 4096) {
            head.write(b);
            if (head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
                break;
            }
        }
        return head.toString(StandardCharsets.US_ASCII);
    }
}
