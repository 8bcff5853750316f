package org.sehathub.ingest.deadletter;

import java.util.List;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.support.DefaultExchange;
import org.sehathub.ingest.Inbound;
import org.sehathub.ingest.IngestChannel;
import org.sehathub.ingest.IngestChannels;

/**
 * Runs a dead letter through its channel's processing route again ({@code hl7v2-process}, {@code
 * csv-process}, {@code telehealth-process}), the channel found in the registry ({@link
 * IngestChannel#owns}): mapped with today's code and code maps, then stored.
 * The route's own error handling records a refusal as {@code FAILED_REPLAY}; a store records
 * {@code REPLAYED}. The sender is not answered again: the answer built by the route is dropped.
 */
public class DeadLetterReplayer {

    private final CamelContext camel;
    private final ProducerTemplate template;
    private final DeadLetterStore store;
    private final IngestChannels channels;

    /** @param channels the registry: every channel whose dead letters can be replayed */
    public DeadLetterReplayer(CamelContext camel, DeadLetterStore store, IngestChannels channels) {
        this.camel = camel;
        this.template = camel.createProducerTemplate();
        this.store = store;
        this.channels = channels;
    }

    /** What a replay did. */
    public record Result(DeadLetter letter, boolean stored, boolean duplicate, List<String> resourceIds) {}

    /**
     * @throws UnknownDeadLetterException no dead letter has this id
     * @throws DiscardedDeadLetterException it was discarded; discarded letters are not replayed
     */
    public Result replay(long id) {
        DeadLetter letter = store.find(id).orElseThrow(() -> new UnknownDeadLetterException(id));
        if (letter.status() == DeadLetter.Status.DISCARDED) {
            throw new DiscardedDeadLetterException(id);
        }
        int attempt = letter.replayCount() + 1;
        Exchange exchange = new DefaultExchange(camel);
        IngestChannel channel = channels.forSource(letter.source()).orElse(null);
        if (channel == null) {
            store.recordReplay(id, DeadLetter.Status.FAILED_REPLAY, "no channel for source '" + letter.source() + "'");
            return new Result(store.find(id).orElseThrow(), false, false, List.of());
        }
        Inbound inbound = channel.replay(exchange, letter, attempt);
        exchange.setProperty(Inbound.PROPERTY, inbound);
        template.send(channel.processRoute(), exchange);
        if (!inbound.replayRecorded()) {
            if (exchange.getException() != null || inbound.refusal() != null) {
                store.recordReplay(
                        id,
                        DeadLetter.Status.FAILED_REPLAY,
                        inbound.refusal() != null
                                ? inbound.refusal().summary()
                                : "internal error ("
                                        + exchange.getException().getClass().getSimpleName() + ")");
            } else {
                boolean duplicate =
                        inbound.outcome() != null && inbound.outcome().duplicate();
                store.recordReplay(
                        id,
                        DeadLetter.Status.REPLAYED,
                        duplicate
                                ? "already stored before; nothing new written"
                                : "stored " + inbound.storedIds().size() + " resources");
            }
        }
        boolean stored = inbound.refusal() == null && exchange.getException() == null && inbound.outcome() != null;
        return new Result(
                store.find(id).orElseThrow(),
                stored,
                stored && inbound.outcome().duplicate(),
                inbound.storedIds());
    }

    /** No dead letter has the id asked for. */
    public static class UnknownDeadLetterException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public UnknownDeadLetterException(long id) {
            super("no dead letter " + id);
        }
    }

    /** The dead letter was discarded. */
    public static class DiscardedDeadLetterException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public DiscardedDeadLetterException(long id) {
            super("dead letter " + id + " was discarded; discarded letters are kept for the record but not replayed");
        }
    }
}
