package org.sehathub.ingest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.sehathub.ingest.support.InMemoryDeadLetterStore;
import org.sehathub.ingest.support.RecordingBundleSink;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * One Spring context for every route test (the properties are the same, so Spring caches it): real
 * Tomcat on a random port, the MLLP listener on a free port, CSV inboxes in a temporary folder,
 * short timeouts so that idle and broken connections are seen quickly.
 */
@SpringBootTest(classes = IngestTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
public abstract class IngestRoutesTestSupport {

    protected static final int MLLP_PORT = freePort();
    protected static final Path INBOX = temporaryFolder();
    protected static final int MAX_MESSAGE_BYTES = 16 * 1024;
    protected static final int MAX_CONNECTIONS_PER_PEER = 10;
    protected static final int MAX_SEGMENTS = 60;
    protected static final int MAX_OBX = 20;
    protected static final int MAX_CSV_ROWS = 20;

    @DynamicPropertySource
    static void ingestProperties(DynamicPropertyRegistry registry) {
        registry.add("sehat.ingest.mllp.port", () -> MLLP_PORT);
        registry.add("sehat.ingest.mllp.max-message-bytes", () -> MAX_MESSAGE_BYTES);
        registry.add("sehat.ingest.mllp.idle-timeout", () -> "2s");
        registry.add("sehat.ingest.mllp.read-timeout", () -> "1s");
        registry.add("sehat.ingest.mllp.max-connections", () -> 20);
        registry.add("sehat.ingest.mllp.max-connections-per-peer", () -> MAX_CONNECTIONS_PER_PEER);
        registry.add("sehat.ingest.hl7v2.max-segments", () -> MAX_SEGMENTS);
        registry.add("sehat.ingest.hl7v2.max-obx", () -> MAX_OBX);
        registry.add("sehat.ingest.csv.max-rows", () -> MAX_CSV_ROWS);
        registry.add("sehat.ingest.csv.inbox-dir", INBOX::toString);
        registry.add("sehat.ingest.csv.poll-delay", () -> "200ms");
        registry.add("sehat.ingest.csv.read-lock-interval", () -> "700ms");
        registry.add(
                "sehat.ingest.hl7v2.inbox.dir", () -> INBOX.resolve("hl7v2").toString());
        registry.add("sehat.ingest.hl7v2.inbox.poll-delay", () -> "200ms");
        registry.add("sehat.ingest.hl7v2.inbox.read-lock-interval", () -> "700ms");
        registry.add("sehat.ingest.http.max-body-bytes", () -> 64 * 1024);
    }

    @LocalServerPort
    protected int httpPort;

    @Autowired
    protected RecordingBundleSink sink;

    @Autowired
    protected InMemoryDeadLetterStore deadLetters;

    protected final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeEach
    void resetDoubles() {
        sink.reset();
        deadLetters.reset();
    }

    protected HttpResponse<String> post(String path, String contentType, byte[] body, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path))
                .timeout(Duration.ofSeconds(20))
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return send(request.build());
    }

    protected HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(uri(path))
                .timeout(Duration.ofSeconds(20))
                .GET()
                .build());
    }

    protected HttpResponse<String> delete(String path) {
        return send(HttpRequest.newBuilder(uri(path))
                .timeout(Duration.ofSeconds(20))
                .DELETE()
                .build());
    }

    protected URI uri(String path) {
        return URI.create("http://127.0.0.1:" + httpPort + path);
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path temporaryFolder() {
        try {
            return Files.createTempDirectory("sehat-inbox");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
