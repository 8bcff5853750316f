package org.sehathub.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * FHIR request bodies are bounded before HAPI buffers them (sehat.fhir.max-request-bytes, 128 MiB):
 * a declared length, a chunked stream and a gzip bomb over the limit each get 413 and an
 * OperationOutcome; a gzip body within it is served as usual.
 */
@PostgresServerTest
class RequestLimitsOnPostgresIT {

	private static final long LIMIT = 134_217_728L;

	@LocalServerPort
	int port;

	@Test
	void aDeclaredLengthOverTheLimitIsRefusedBeforeTheBodyIsSent() throws IOException {
		FhirTestClient client = new FhirTestClient(port);
		try (Socket socket = new Socket("127.0.0.1", port)) {
			socket.setSoTimeout(30_000);
			OutputStream out = socket.getOutputStream();
			out.write(("POST /fhir HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/fhir+json\r\n"
							+ "Authorization: Bearer " + client.token() + "\r\nContent-Length: " + (LIMIT + 1) + "\r\n\r\n")
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

		HttpResponse<byte[]> response = new FhirTestClient(port).send(HttpRequest.newBuilder()
						.POST(HttpRequest.BodyPublishers.ofByteArray(compressed.toByteArray()))
						.header("Content-Type", "application/fhir+json")
						.header("Content-Encoding", "gzip"),
				"/fhir");

		assertThat(response.statusCode()).isEqualTo(413);
		assertThat(new String(response.body(), StandardCharsets.UTF_8)).contains("OperationOutcome").contains("decompresses");
	}

	@Test
	void aGzipBodyWithinTheLimitIsServed() throws IOException {
		ByteArrayOutputStream compressed = new ByteArrayOutputStream();
		try (GZIPOutputStream gzip = new GZIPOutputStream(compressed)) {
			gzip.write("{\"resourceType\":\"Patient\",\"active\":true}".getBytes(StandardCharsets.UTF_8));
		}
		HttpResponse<byte[]> response = new FhirTestClient(port).send(HttpRequest.newBuilder()
						.POST(HttpRequest.BodyPublishers.ofByteArray(compressed.toByteArray()))
						.header("Content-Type", "application/fhir+json")
						.header("Content-Encoding", "gzip"),
				"/fhir/Patient");

		assertThat(response.statusCode()).as(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo(201);
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
