package org.sehathub.ingest;

import java.util.List;
import org.apache.camel.Exchange;
import org.sehathub.ingest.sink.BundleSink;
import org.sehathub.ingest.sink.StoreOutcome;

/**
 * The steps every channel shares at its end: hand the mapped Bundle and its receipt to the sink and
 * wait for the commit, then answer through the channel's responder. Whatever the sink throws goes
 * to the shared error handling; only a returned outcome lets a route answer "accepted".
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

    /** Stores the exchange's {@link Mapped}: its {@link Stored} is the next body. */
    public Stored store(Exchange exchange) {
        Mapped mapped = InFlight.body(exchange, Mapped.class);
        // A CSV file with a header and no rows maps to an empty Bundle: nothing to write, nothing
        // to remember, so the sink is not bothered with it.
        StoreOutcome outcome = mapped.bundle().getEntry().isEmpty()
                ? new StoreOutcome(false, List.of())
                : sink.store(mapped.bundle(), mapped.receipt());
        return new Stored(mapped, outcome, null);
    }

    /**
     * Stores the exchange's {@link Mapped} as written by its sender ({@link
     * BundleSink#storeAsSender}): for a channel whose Bundles are the sender's own, not our mappers'.
     */
    public Stored storeAsSender(Exchange exchange) {
        Mapped mapped = InFlight.body(exchange, Mapped.class);
        return new Stored(mapped, sink.storeAsSender(mapped.bundle(), mapped.receipt()), null);
    }

    /**
     * Counts and audits the exchange's {@link Stored} and answers the sender through the channel's
     * responder. A replayed dead letter is not answered (its sender was, long ago): its body stays
     * the {@link Stored} for the replayer to read.
     */
    public void respond(Exchange exchange) {
        Stored stored = InFlight.body(exchange, Stored.class);
        Inbound inbound = stored.inbound();
        metrics.stored(inbound, stored.duplicate());
        audit.message(exchange, stored);
        if (!inbound.isReplay()) {
            channels.of(inbound).responder(inbound).accepted(exchange, stored);
        }
    }
}
