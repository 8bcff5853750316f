package org.sehathub.ingest.telehealth;

import java.time.Clock;
import java.time.Instant;
import org.apache.camel.Exchange;
import org.sehathub.ingest.Inbound;
import org.sehathub.ingest.IngestChannel;
import org.sehathub.ingest.IngestResponder;
import org.sehathub.ingest.SenderPolicy;
import org.sehathub.ingest.deadletter.DeadLetter;
import org.sehathub.ingest.http.HttpRequests;

/** The first step of the telehealth route: the app, the provider, the bytes. */
public class TelehealthReceiver implements IngestChannel {

    public static final String SOURCE = "telehealth";
    public static final String HTTP_ROUTE = "telehealth-http-inbound";
    static final String APP_HEADER = "X-Sehat-App";
    static final String FACILITY_HEADER = "X-Sehat-Facility";

    private final Clock clock;
    private final TelehealthResponder responder;
    private final int maxBodyBytes;
    private final SenderPolicy senders;

    /** @param senders who may send for the provider whose patient ids the consultation uses */
    public TelehealthReceiver(Clock clock, TelehealthResponder responder, int maxBodyBytes, SenderPolicy senders) {
        this.clock = clock;
        this.responder = responder;
        this.maxBodyBytes = maxBodyBytes;
        this.senders = senders;
    }

    public Inbound fromHttp(Exchange exchange) {
        TelehealthSender sender = TelehealthSender.of(
                HttpRequests.header(exchange, APP_HEADER), HttpRequests.header(exchange, FACILITY_HEADER));
        Instant receivedAt = clock.instant();
        Inbound inbound = HttpRequests.receive(
                exchange,
                maxBodyBytes,
                payload ->
                        builder(sender, "http", HTTP_ROUTE, receivedAt, payload).build());
        senders.check(
                exchange,
                HttpRequests.header(exchange, FACILITY_HEADER) != null ? FACILITY_HEADER : APP_HEADER,
                sender != null ? sender.provider() : null);
        return inbound;
    }

    @Override
    public boolean owns(String source) {
        return SOURCE.equals(source);
    }

    @Override
    public String processRoute() {
        return TelehealthRoute.PROCESS;
    }

    @Override
    public IngestResponder responder(Inbound inbound) {
        return responder;
    }

    /** A dead letter to process again, from the app (and provider) that sent it. */
    @Override
    public Inbound replay(DeadLetter letter, int attempt) {
        return builder(
                        TelehealthSender.parse(letter.sender()),
                        letter.transport(),
                        "dead-letter-replay",
                        letter.receivedAt(),
                        letter.payload())
                .replay(new Inbound.Replay(letter.id(), attempt))
                .build();
    }

    private static Inbound.Builder builder(
            TelehealthSender sender, String transport, String route, Instant receivedAt, byte[] payload) {
        return Inbound.builder()
                .source(SOURCE)
                .transport(transport)
                .route(route)
                .receivedAt(receivedAt)
                .payload(payload)
                .contentType("application/json")
                .sender(sender != null ? sender.toString() : null)
                .envelope(sender);
    }
}
