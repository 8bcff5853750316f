package org.sehathub.ingest.fhir;

import java.time.Clock;
import java.time.Instant;
import org.apache.camel.Exchange;
import org.sehathub.ingest.Inbound;
import org.sehathub.ingest.IngestChannel;
import org.sehathub.ingest.IngestResponder;
import org.sehathub.ingest.SenderPolicy;
import org.sehathub.ingest.deadletter.DeadLetter;
import org.sehathub.ingest.http.HttpRequests;

/**
 * The FHIR channel's first step: a transaction Bundle posted by a facility's system to {@code POST
 * /ingest/fhir}, the facility named by {@code X-Sehat-Facility} and checked against the sender.
 */
public class FhirBundleReceiver implements IngestChannel {

    public static final String SOURCE = "fhir";
    public static final String HTTP_ROUTE = "fhir-http-inbound";
    static final String FACILITY_HEADER = "X-Sehat-Facility";

    private final Clock clock;
    private final FhirBundleResponder responder;
    private final int maxBodyBytes;
    private final SenderPolicy senders;

    /** @param senders who may send for the facility in {@code X-Sehat-Facility} */
    public FhirBundleReceiver(Clock clock, FhirBundleResponder responder, int maxBodyBytes, SenderPolicy senders) {
        this.clock = clock;
        this.responder = responder;
        this.maxBodyBytes = maxBodyBytes;
        this.senders = senders;
    }

    public Inbound fromHttp(Exchange exchange) {
        String facility = HttpRequests.header(exchange, FACILITY_HEADER);
        String contentType = HttpRequests.header(exchange, Exchange.CONTENT_TYPE);
        Instant receivedAt = clock.instant();
        Inbound inbound = HttpRequests.receive(
                exchange,
                maxBodyBytes,
                payload -> builder(facility, contentType, "http", HTTP_ROUTE, receivedAt, payload)
                        .build());
        senders.check(exchange, FACILITY_HEADER, facility);
        return inbound;
    }

    @Override
    public boolean owns(String source) {
        return SOURCE.equals(source);
    }

    @Override
    public String processRoute() {
        return FhirBundleRoute.PROCESS;
    }

    @Override
    public IngestResponder responder(Inbound inbound) {
        return responder;
    }

    /** A dead letter to process again, for the facility it was sent for, in the format it came in. */
    @Override
    public Inbound replay(DeadLetter letter, int attempt) {
        return builder(
                        letter.sender(),
                        letter.contentType(),
                        letter.transport(),
                        "dead-letter-replay",
                        letter.receivedAt(),
                        letter.payload())
                .replay(new Inbound.Replay(letter.id(), attempt))
                .build();
    }

    private static Inbound.Builder builder(
            String facility, String contentType, String transport, String route, Instant receivedAt, byte[] payload) {
        return Inbound.builder()
                .source(SOURCE)
                .transport(transport)
                .route(route)
                .receivedAt(receivedAt)
                .payload(payload)
                .contentType(contentType != null ? contentType : FhirBundleTranslator.JSON)
                .sender(facility);
    }
}
