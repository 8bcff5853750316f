package org.sehathub.ingest.deadletter;

import java.util.List;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.support.DefaultExchange;
import org.sehathub.ingest.Inbound;
import org.sehathub.ingest.csv.ClinicCsvReceiver;
import org.sehathub.ingest.csv.ClinicCsvRoute;
import org.sehathub.ingest.hl7v2.AckHeader;
import org.sehathub.ingest.hl7v2.Hl7v2Receiver;
import org.sehathub.ingest.hl7v2.Hl7v2Route;
import org.sehathub.ingest.telehealth.TelehealthReceiver;
import org.sehathub.ingest.telehealth.TelehealthRoute;

/**
 * Runs a dead letter through its source's processing route again ({@code hl7v2-process}, {@code
 * csv-process}, {@code telehealth-process}): mapped with today's code and code maps, then stored.
 * The route's own error handling records a refusal as {@code FAILED_REPLAY}; a store records
 * {@code REPLAYED}. The sender is not answered again: the answer built by the route is dropped.
 */
public class DeadLetterReplayer {

    private final CamelContext camel;
    private final ProducerTemplate template;
    private final DeadLetterStore store;
    private final Hl7v2Receiver hl7v2;
    private final ClinicCsvReceiver csv;
    private final TelehealthReceiver telehealth;

    public DeadLetterReplayer(
            CamelContext camel,
            DeadLetterStore store,
            Hl7v2Receiver hl7v2,
            ClinicCsvReceiver csv,
            TelehealthReceiver telehealth) {
        this.camel = camel;
        this.template = camel.createProducerTemplate();
        this.store = store;
        this.hl7v2 = hl7v2;
        this.csv = csv;
        this.telehealth = telehealth;
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
        String endpoint;
        Inbound inbound;
        if (letter.source().equals(Hl7v2Receiver.SOURCE)) {
            inbound = hl7v2.replay(letter.payload(), letter.transport(), letter.receivedAt(), id, attempt);
            exchange.setProperty(AckHeader.PROPERTY, AckHeader.fromRaw(letter.payload()));
            endpoint = Hl7v2Route.PROCESS;
        } else if (letter.source().startsWith("csv/")) {
            inbound = csv.replay(
                    exchange,
                    letter.source(),
                    letter.sender(),
                    letter.payload(),
                    letter.transport(),
                    letter.receivedAt(),
                    id,
                    attempt);
            endpoint = ClinicCsvRoute.PROCESS;
        } else if (letter.source().equals(TelehealthReceiver.SOURCE)) {
            inbound = telehealth.replay(
                    letter.sender(), letter.payload(), letter.transport(), letter.receivedAt(), id, attempt);
            endpoint = TelehealthRoute.PROCESS;
        } else {
            store.recordReplay(id, DeadLetter.Status.FAILED_REPLAY, "unknown source '" + letter.source() + "'");
            return new Result(store.find(id).orElseThrow(), false, false, List.of());
        }
        exchange.setProperty(Inbound.PROPERTY, inbound);
        template.send(endpoint, exchange);
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
