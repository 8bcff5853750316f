package org.sehathub.ingest.hl7v2;

import java.time.Clock;
import java.time.Instant;
import org.apache.camel.Exchange;
import org.sehathub.ingest.BodyTooLargeException;
import org.sehathub.ingest.Inbound;
import org.sehathub.ingest.IngestChannel;
import org.sehathub.ingest.IngestResponder;
import org.sehathub.ingest.SenderPolicy;
import org.sehathub.ingest.deadletter.DeadLetter;
import org.sehathub.ingest.http.HttpRequests;
import org.sehathub.mappers.hl7v2.Hl7v2Batch;

/**
 * The HL7 v2 channel's first step on every entry route (MLLP, HTTP, a batch's messages, the inbox):
 * makes what arrived the exchange's {@link Inbound}, with the raw MSH read so that even a message
 * that fails to parse can be acknowledged, and checks that the sender may send for MSH-4.
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
    public Inbound fromMllp(Exchange exchange) {
        byte[] payload = exchange.getMessage().getBody(byte[].class);
        payload = payload != null ? payload : new byte[0];
        if (payload.length > maxMessageBytes) {
            received(exchange, inbound("mllp", MLLP_ROUTE, clock.instant(), new byte[0], AckHeader.fromRaw(payload)));
            throw new BodyTooLargeException(payload.length, maxMessageBytes);
        }
        Inbound inbound = received(exchange, inbound("mllp", MLLP_ROUTE, clock.instant(), payload));
        senders.check(exchange, "MSH-4", inbound.sender());
        return inbound;
    }

    /** A message or a batch over HTTP; a batch names no facility of its own, its messages are checked one by one. */
    public Inbound fromHttp(Exchange exchange) {
        Instant receivedAt = clock.instant();
        Inbound inbound = HttpRequests.receive(
                exchange, maxBodyBytes, payload -> inbound("http", HTTP_ROUTE, receivedAt, payload));
        if (!Hl7v2Batch.isBatch(inbound.payload())) {
            senders.check(exchange, "MSH-4", inbound.sender());
        }
        return inbound;
    }

    /** One message of an HTTP batch ({@link Hl7v2BatchProcessor}), checked like a message sent alone. */
    public Inbound fromBatch(Exchange exchange) {
        Inbound inbound = member(exchange, "http", BATCH_ROUTE);
        senders.check(exchange, "MSH-4", inbound.sender());
        return inbound;
    }

    /**
     * Receives a file from the inbox (one message, several, or a batch). The size limit is the HTTP
     * body's, checked before the file is read into memory. No sender check: the inbox is as trusted
     * as whoever may write to it, and MSH-4 is taken as sent.
     */
    public Inbound fromFile(Exchange exchange) {
        Instant receivedAt = clock.instant();
        long size = exchange.getMessage().getHeader(Exchange.FILE_LENGTH, -1L, Long.class);
        if (size > maxBodyBytes) {
            received(exchange, inbound("file", FILE_ROUTE, receivedAt, new byte[0], AckHeader.UNKNOWN));
            throw new BodyTooLargeException(size, maxBodyBytes);
        }
        byte[] payload = exchange.getMessage().getBody(byte[].class);
        return received(exchange, inbound("file", FILE_ROUTE, receivedAt, payload));
    }

    /** One message of an inbox file ({@link Hl7v2BatchProcessor#processFile}). */
    public Inbound fromFileMember(Exchange exchange) {
        return member(exchange, "file", FILE_MEMBER_ROUTE);
    }

    /** A message of a batch or file: received when the whole was, answered like a message alone. */
    private Inbound member(Exchange exchange, String transport, String route) {
        Hl7v2BatchProcessor.Member member = exchange.getMessage().getBody(Hl7v2BatchProcessor.Member.class);
        return received(exchange, inbound(transport, route, member.receivedAt(), member.message()));
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
    public Inbound replay(DeadLetter letter, int attempt) {
        return builder(
                        letter.transport(),
                        "dead-letter-replay",
                        letter.receivedAt(),
                        letter.payload(),
                        AckHeader.fromRaw(letter.payload()))
                .replay(new Inbound.Replay(letter.id(), attempt))
                .build();
    }

    /**
     * The message as received; the raw header is read here, once: the ACK, the sender check, the
     * identification and the decoding use it.
     */
    private static Inbound inbound(String transport, String route, Instant receivedAt, byte[] payload) {
        return inbound(transport, route, receivedAt, payload, AckHeader.fromRaw(payload));
    }

    private static Inbound inbound(
            String transport, String route, Instant receivedAt, byte[] payload, AckHeader header) {
        return builder(transport, route, receivedAt, payload, header).build();
    }

    /** Facility and control id as far as the raw header tells, for a message that will not parse. */
    private static Inbound.Builder builder(
            String transport, String route, Instant receivedAt, byte[] payload, AckHeader header) {
        return Inbound.builder()
                .source(SOURCE)
                .transport(transport)
                .route(route)
                .receivedAt(receivedAt)
                .payload(payload)
                .contentType(Hl7v2Responder.MEDIA_TYPE)
                .sender(header.sendingFacility())
                .messageId(header.controlId())
                .envelope(header);
    }

    /** The message becomes the exchange body before any check, so that a refusal can answer it. */
    private static Inbound received(Exchange exchange, Inbound inbound) {
        exchange.getMessage().setBody(inbound);
        return inbound;
    }
}
