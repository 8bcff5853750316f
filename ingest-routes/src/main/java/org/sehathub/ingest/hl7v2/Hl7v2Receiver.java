package org.sehathub.ingest.hl7v2;

import java.time.Clock;
import org.apache.camel.Exchange;
import org.sehathub.ingest.Inbound;
import org.sehathub.ingest.http.HttpRequests;

/**
 * The first step of both HL7 v2 entry routes: records what arrived as the exchange's {@link
 * Inbound}, and reads the raw MSH so that even a message that fails to parse can be acknowledged.
 */
public class Hl7v2Receiver {

	public static final String SOURCE = "hl7v2";
	public static final String MLLP_ROUTE = "hl7v2-mllp-inbound";
	public static final String HTTP_ROUTE = "hl7v2-http-inbound";

	private final Clock clock;
	private final Hl7v2Responder responder;
	private final int maxBodyBytes;

	public Hl7v2Receiver(Clock clock, Hl7v2Responder responder, int maxBodyBytes) {
		this.clock = clock;
		this.responder = responder;
		this.maxBodyBytes = maxBodyBytes;
	}

	public void fromMllp(Exchange exchange) {
		byte[] payload = exchange.getMessage().getBody(byte[].class);
		receive(exchange, "mllp", MLLP_ROUTE, payload != null ? payload : new byte[0]);
	}

	/** The body is read after the Inbound exists, so that a too-large body is answered with an ACK. */
	public void fromHttp(Exchange exchange) {
		Inbound inbound = receive(exchange, "http", HTTP_ROUTE, null);
		byte[] payload = HttpRequests.body(exchange, maxBodyBytes);
		Inbound withPayload = Inbound.builder()
				.source(SOURCE).transport("http").route(HTTP_ROUTE).receivedAt(inbound.receivedAt())
				.payload(payload).contentType(Hl7v2Responder.MEDIA_TYPE).responder(responder).build();
		exchange.setProperty(Inbound.PROPERTY, withPayload);
		exchange.setProperty(AckHeader.PROPERTY, AckHeader.fromRaw(payload));
	}

	/** A dead letter to process again: same source and transport, its own received time. */
	public Inbound replay(byte[] payload, String transport, java.time.Instant receivedAt, long deadLetterId, int attempt) {
		return Inbound.builder()
				.source(SOURCE).transport(transport).route("dead-letter-replay").receivedAt(receivedAt)
				.payload(payload).contentType(Hl7v2Responder.MEDIA_TYPE).responder(responder)
				.replayOf(deadLetterId, attempt).build();
	}

	private Inbound receive(Exchange exchange, String transport, String route, byte[] payload) {
		Inbound inbound = Inbound.builder()
				.source(SOURCE).transport(transport).route(route).receivedAt(clock.instant())
				.payload(payload).contentType(Hl7v2Responder.MEDIA_TYPE).responder(responder).build();
		exchange.setProperty(Inbound.PROPERTY, inbound);
		exchange.setProperty(AckHeader.PROPERTY, payload != null ? AckHeader.fromRaw(payload) : AckHeader.UNKNOWN);
		return inbound;
	}
}
