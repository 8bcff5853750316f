package org.sehathub.ingest.hl7v2;

import java.time.Clock;
import org.apache.camel.Exchange;
import org.sehathub.ingest.BodyTooLargeException;
import org.sehathub.ingest.Inbound;
import org.sehathub.ingest.SenderPolicy;
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
	private final int maxMessageBytes;
	private final SenderPolicy senders;

	/**
	 * @param maxBodyBytes the limit of an HTTP body
	 * @param maxMessageBytes the limit of an MLLP message
	 * @param senders who may send for the facility in MSH-4
	 */
	public Hl7v2Receiver(
			Clock clock, Hl7v2Responder responder, int maxBodyBytes, int maxMessageBytes, SenderPolicy senders) {
		this.clock = clock;
		this.responder = responder;
		this.maxBodyBytes = maxBodyBytes;
		this.maxMessageBytes = maxMessageBytes;
		this.senders = senders;
	}

	/**
	 * Receives a message from MLLP. The MLLP buffer admits twice the configured limit (see {@link
	 * Hl7v2Route#mllpUri}), so a message somewhat over the limit is read whole and refused here with
	 * an AR the sender can act on.
	 */
	public void fromMllp(Exchange exchange) {
		byte[] payload = exchange.getMessage().getBody(byte[].class);
		payload = payload != null ? payload : new byte[0];
		if (payload.length > maxMessageBytes) {
			receive(exchange, "mllp", MLLP_ROUTE, new byte[0]);
			exchange.setProperty(AckHeader.PROPERTY, AckHeader.fromRaw(payload));
			identify(Inbound.of(exchange), AckHeader.fromRaw(payload));
			throw new BodyTooLargeException(payload.length, maxMessageBytes);
		}
		receive(exchange, "mllp", MLLP_ROUTE, payload);
		senders.check(exchange, "MSH-4", AckHeader.fromRaw(payload).sendingFacility());
	}

	/** The body is read after the Inbound exists, so that a too-large body is answered with an ACK. */
	public void fromHttp(Exchange exchange) {
		Inbound inbound = receive(exchange, "http", HTTP_ROUTE, null);
		byte[] payload = HttpRequests.body(exchange, maxBodyBytes);
		Inbound withPayload = Inbound.builder()
				.source(SOURCE).transport("http").route(HTTP_ROUTE).receivedAt(inbound.receivedAt())
				.payload(payload).contentType(Hl7v2Responder.MEDIA_TYPE).responder(responder).build();
		exchange.setProperty(Inbound.PROPERTY, withPayload);
		AckHeader header = AckHeader.fromRaw(payload);
		exchange.setProperty(AckHeader.PROPERTY, header);
		identify(withPayload, header);
		senders.check(exchange, "MSH-4", header.sendingFacility());
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
		AckHeader header = payload != null ? AckHeader.fromRaw(payload) : AckHeader.UNKNOWN;
		exchange.setProperty(AckHeader.PROPERTY, header);
		identify(inbound, header);
		return inbound;
	}

	/** Facility and control id as far as the raw header tells, for a message that will not parse. */
	private static void identify(Inbound inbound, AckHeader header) {
		inbound.sender(header.sendingFacility());
		inbound.messageId(header.controlId());
	}
}
