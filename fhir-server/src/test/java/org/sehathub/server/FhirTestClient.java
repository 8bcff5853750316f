package org.sehathub.server;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.api.ServerValidationModeEnum;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A HAPI generic client and a plain HTTP client pointed at one running server. */
public final class FhirTestClient {

	public static final FhirContext FHIR = FhirContext.forR4Cached();

	static {
		FHIR.getRestfulClientFactory().setServerValidationMode(ServerValidationModeEnum.NEVER);
		FHIR.getRestfulClientFactory().setSocketTimeout(120_000);
	}

	private final String root;
	private final IGenericClient client;
	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

	public FhirTestClient(int port) {
		this.root = "http://127.0.0.1:" + port;
		this.client = FHIR.newRestfulGenericClient(fhirBase());
	}

	public String root() {
		return root;
	}

	public String fhirBase() {
		return root + "/fhir";
	}

	public IGenericClient fhir() {
		return client;
	}

	/** Sends a raw request; {@code path} is relative to the server root (e.g. {@code /fhir/Patient}). */
	public HttpResponse<byte[]> send(HttpRequest.Builder request, String path) {
		try {
			return http.send(request.uri(URI.create(root + path)).build(), HttpResponse.BodyHandlers.ofByteArray());
		} catch (IOException e) {
			throw new IllegalStateException("HTTP request to " + path + " failed", e);
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(e);
		}
	}

	public HttpResponse<byte[]> get(String path, String... headers) {
		HttpRequest.Builder request = HttpRequest.newBuilder().GET();
		if (headers.length > 0) {
			request.headers(headers);
		}
		return send(request, path);
	}
}
