package org.sehathub.ingest.hl7v2;

import java.time.Clock;
import org.apache.camel.Exchange;
import org.sehathub.ingest.BodyTooLargeException;
import org.sehathub.ingest.Inbound;
import org.sehathub.ingest.IngestChannel;
import org.sehathub.ingest.IngestResponder;
import org.sehathub.ingest.SenderPolicy;
import org.sehathub.ingest.deadletter.DeadLetter;
import org.sehathub.ingest.http.HttpRequests;

/**
 * The first step of both HL7 v2 entry routes: records what arrived as the exchange's {@link
 * Inbound}, and reads the raw MSH so that even a message that fails to parse can be acknowledged.
 */
public class Hl7v2Receiver implements IngestChannel {

    public static final String SOURCE = "hl7v2";
    public static final String MLLP_ROUTE = "hl7v2-mllp-inbound";
    public static final String HTTP_ROUTE = "hl7v2-http-inbound";
    public static final String BATCH_ROUTE = "hl7v2-http-batch-member";
    public static final String FILE_ROUTE = "hl7v2-file-inbound";
    public static final String FILE_MEMBER_ROUTE = "hl7v2-file-member";

    private final Clock clock;
    private final Hl7v2Responder responder;
    private final Hl7v2FileResponder fileResponder;
    private final int maxBodyBytes;
    private final int maxMessageBytes;
    private final SenderPolicy senders;

    /**
     * @param maxBodyBytes the limit of an HTTP body
     * @param maxMessageBytes the limit of an MLLP message
     * @param senders who may send for the facility in MSH-4
     */
    public Hl7v2Receiver(
            Clock clock,
            Hl7v2Responder responder,
            Hl7v2FileResponder fileResponder,
            int maxBodyBytes,
            int maxMessageBytes,
            SenderPolicy senders) {
        this.fileResponder = fileResponder;
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
        // The raw header is read here, once; the ACK, the sender check and the decoding use it.
        AckHeader header = AckHeader.fromRaw(payload);
        if (payload.length > maxMessageBytes) {
            receive(exchange, "mllp", MLLP_ROUTE, new byte[0], header);
            throw new BodyTooLargeException(payload.length, maxMessageBytes);
        }
        receive(exchange, "mllp", MLLP_ROUTE, payload, header);
        senders.check(exchange, "MSH-4", header.sendingFacility());
    }

    /** The body is read after the Inbound exists, so that a too-large body is answered with an ACK. */
    public void fromHttp(Exchange exchange) {
        Inbound inbound = receive(exchange, "http", HTTP_ROUTE, null, AckHeader.UNKNOWN);
        byte[] payload = HttpRequests.body(exchange, maxBodyBytes);
        Inbound withPayload = Inbound.builder()
                .source(SOURCE)
                .transport("http")
                .route(HTTP_ROUTE)
                .receivedAt(inbound.receivedAt())
                .payload(payload)
                .contentType(Hl7v2Responder.MEDIA_TYPE)
                .build();
        exchange.setProperty(Inbound.PROPERTY, withPayload);
        AckHeader header = AckHeader.fromRaw(payload);
        exchange.setProperty(AckHeader.PROPERTY, header);
        identify(withPayload, header);
        if (!Hl7v2BatchProcessor.isBatch(exchange)) {
            // A batch names no facility of its own: each of its messages is checked on its own.
            senders.check(exchange, "MSH-4", header.sendingFacility());
        }
    }

    /** One message of an HTTP batch ({@link Hl7v2BatchProcessor}), checked like a message sent alone. */
    public void fromBatch(Exchange exchange) {
        AckHeader header = member(exchange, "http", BATCH_ROUTE);
        senders.check(exchange, "MSH-4", header.sendingFacility());
    }

    /** A message of a batch or file: received when the whole was, answered like a message alone. */
    private AckHeader member(Exchange exchange, String transport, String route) {
        byte[] payload = exchange.getMessage().getBody(byte[].class);
        Inbound inbound = Inbound.builder()
                .source(SOURCE)
                .transport(transport)
                .route(route)
                .receivedAt(Hl7v2BatchProcessor.receivedAt(exchange))
                .payload(payload)
                .contentType(Hl7v2Responder.MEDIA_TYPE)
                .build();
        exchange.setProperty(Inbound.PROPERTY, inbound);
        AckHeader header = AckHeader.fromRaw(payload);
        exchange.setProperty(AckHeader.PROPERTY, header);
        identify(inbound, header);
        return header;
    }

    /**
     * Receives a file from the inbox (one message, several, or a batch). The size limit is the HTTP
     * body's, checked before the file is read into memory. No sender check: the inbox is as trusted
     * as whoever may write to it, and MSH-4 is taken as sent.
     */
    public void fromFile(Exchange exchange) {
        Inbound.Builder inbound = Inbound.builder()
                .source(SOURCE)
                .transport("file")
                .route(FILE_ROUTE)
                .receivedAt(clock.instant())
                .contentType(Hl7v2Responder.MEDIA_TYPE);
        exchange.setProperty(Inbound.PROPERTY, inbound.payload(new byte[0]).build());
        exchange.setProperty(AckHeader.PROPERTY, AckHeader.UNKNOWN);
        long size = exchange.getMessage().getHeader(Exchange.FILE_LENGTH, -1L, Long.class);
        if (size > maxBodyBytes) {
            throw new BodyTooLargeException(size, maxBodyBytes);
        }
        byte[] payload = exchange.getMessage().getBody(byte[].class);
        Inbound withPayload = inbound.payload(payload).build();
        exchange.setProperty(Inbound.PROPERTY, withPayload);
        AckHeader header = AckHeader.fromRaw(payload);
        exchange.setProperty(AckHeader.PROPERTY, header);
        identify(withPayload, header);
    }

    /** One message of an inbox file ({@link Hl7v2BatchProcessor#processFile}). */
    public void fromFileMember(Exchange exchange) {
        member(exchange, "file", FILE_MEMBER_ROUTE);
    }

    @Override
    public boolean owns(String source) {
        return SOURCE.equals(source);
    }

    @Override
    public String processRoute() {
        return Hl7v2Route.PROCESS;
    }

    /** An ACK for every message; an .ack file beside a file from the inbox that was refused whole. */
    @Override
    public IngestResponder responder(Inbound inbound) {
        return FILE_ROUTE.equals(inbound.route()) ? fileResponder : responder;
    }

    /** A dead letter to process again: same source and transport, its own received time. */
    @Override
    public Inbound replay(Exchange exchange, DeadLetter letter, int attempt) {
        exchange.setProperty(AckHeader.PROPERTY, AckHeader.fromRaw(letter.payload()));
        return Inbound.builder()
                .source(SOURCE)
                .transport(letter.transport())
                .route("dead-letter-replay")
                .receivedAt(letter.receivedAt())
                .payload(letter.payload())
                .contentType(Hl7v2Responder.MEDIA_TYPE)
                .replayOf(letter.id(), attempt)
                .build();
    }

    private Inbound receive(Exchange exchange, String transport, String route, byte[] payload, AckHeader header) {
        Inbound inbound = Inbound.builder()
                .source(SOURCE)
                .transport(transport)
                .route(route)
                .receivedAt(clock.instant())
                .payload(payload)
                .contentType(Hl7v2Responder.MEDIA_TYPE)
                .build();
        exchange.setProperty(Inbound.PROPERTY, inbound);
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
