package org.sehathub.ingest;

import org.apache.camel.Exchange;
import org.sehathub.ingest.sink.BundleSink;
import org.sehathub.ingest.sink.StoreOutcome;

/**
 * The one step every source shares: hand the mapped Bundle and its receipt to the sink and wait for
 * the commit. Whatever the sink throws goes to the shared error handling; only a returned outcome
 * lets a route answer "accepted".
 */
public class BundleStorage {

    private final BundleSink sink;
    private final IngestMetrics metrics;
    private final IngestAudit audit;
    private final IngestChannels channels;

    /** @param channels the registry, for the responder of each message's channel */
    public BundleStorage(BundleSink sink, IngestMetrics metrics, IngestAudit audit, IngestChannels channels) {
        this.channels = channels;
        this.sink = sink;
        this.metrics = metrics;
        this.audit = audit;
    }

    /** Stores the exchange's {@link Mapped} and records the outcome on its {@link Inbound}. */
    public void store(Exchange exchange) {
        Inbound inbound = Inbound.of(exchange);
        Mapped mapped = exchange.getProperty(Mapped.PROPERTY, Mapped.class);
        // A CSV file with a header and no rows maps to an empty Bundle: nothing to write, nothing
        // to remember, so the sink is not bothered with it.
        StoreOutcome outcome = mapped.bundle().getEntry().isEmpty()
                ? new StoreOutcome(false, java.util.List.of())
                : sink.store(mapped.bundle(), mapped.receipt());
        inbound.outcome(outcome);
        metrics.stored(inbound, outcome.duplicate());
        audit.message(exchange, inbound);
    }

    /** Answers the sender through the source's responder. */
    public void respond(Exchange exchange) {
        Inbound inbound = Inbound.of(exchange);
        channels.of(inbound).responder(inbound).accepted(exchange, inbound);
    }
}
