package org.sehathub.ingest.deadletter;

import java.util.List;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.support.DefaultExchange;
import org.sehathub.ingest.InFlight;
import org.sehathub.ingest.Inbound;
import org.sehathub.ingest.IngestChannel;
import org.sehathub.ingest.IngestChannels;
import org.sehathub.ingest.Refused;
import org.sehathub.ingest.Stored;

/**
 * Runs a dead letter through its channel's processing route again ({@code hl7v2-process}, {@code
 * csv-process}, {@code telehealth-process}, {@code fhir-process}), the channel found in the registry ({@link
 * IngestChannel#owns}): mapped with today's code and code maps, then stored. The sender is not
 * answered again: the route ends with the message's {@link Stored} or {@link Refused}, from which
 * the dead letter's status is written ({@code REPLAYED} or {@code FAILED_REPLAY}) unless the
 * refusal handling already wrote it.
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
        IngestChannel channel = channels.forSource(letter.source()).orElse(null);
        if (channel == null) {
            store.recordReplay(id, DeadLetter.Status.FAILED_REPLAY, "no channel for source '" + letter.source() + "'");
            return new Result(store.find(id).orElseThrow(), false, false, List.of());
        }
        Inbound inbound = channel.replay(letter, letter.replayCount() + 1);
        Exchange exchange = new DefaultExchange(camel);
        exchange.getMessage().setBody(inbound);
        template.send(channel.processRoute(), exchange);
        InFlight end = InFlight.of(exchange);
        if (exchange.getException() != null || !(end instanceof Stored || end instanceof Refused)) {
            // The refusal handling itself failed: nothing recorded the outcome.
            String what = exchange.getException() != null
                    ? exchange.getException().getClass().getSimpleName()
                    : "no outcome";
            store.recordReplay(id, DeadLetter.Status.FAILED_REPLAY, "internal error (" + what + ")");
            return new Result(store.find(id).orElseThrow(), false, false, List.of());
        }
        if (end instanceof Refused refused) {
            if (refused.deadLetterId() == null) {
                // Refused without being kept (too large): the refusal handling wrote nothing here.
                store.recordReplay(
                        id, DeadLetter.Status.FAILED_REPLAY, refused.refusal().summary());
            }
            return new Result(store.find(id).orElseThrow(), false, false, List.of());
        }
        Stored stored = (Stored) end;
        if (stored.deadLetterId() == null) {
            // A file whose rows are still rejected has had its replay recorded as failed already.
            store.recordReplay(
                    id,
                    DeadLetter.Status.REPLAYED,
                    stored.duplicate()
                            ? "already stored before; nothing new written"
                            : "stored " + stored.storedIds().size() + " resources");
        }
        return new Result(store.find(id).orElseThrow(), true, stored.duplicate(), stored.storedIds());
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
