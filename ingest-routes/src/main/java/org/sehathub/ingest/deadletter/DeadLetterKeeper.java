package org.sehathub.ingest.deadletter;

import org.sehathub.ingest.Inbound;
import org.sehathub.ingest.IngestMetrics;
import org.sehathub.ingest.SafeLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a refused message: a new dead letter for a message that just arrived, or the failed
 * outcome on the dead letter being replayed.
 */
public class DeadLetterKeeper {

    private static final Logger log = LoggerFactory.getLogger(DeadLetterKeeper.class);

    private final DeadLetterStore store;
    private final IngestMetrics metrics;

    public DeadLetterKeeper(DeadLetterStore store, IngestMetrics metrics) {
        this.store = store;
        this.metrics = metrics;
    }

    /**
     * Keeps the message with this reason. Never throws: when the dead-letter table is out of reach
     * too (the database is down), the sender has still been told nothing was stored and will send
     * again, so losing the copy is logged rather than turning the answer into a failure.
     *
     * @return the dead letter's id (for a replay, the replayed one's), or null when it could not be kept
     */
    public Long keep(Inbound inbound, String reason) {
        try {
            if (inbound.isReplay()) {
                store.recordReplay(inbound.replayOf(), DeadLetter.Status.FAILED_REPLAY, reason);
                return inbound.replayOf();
            }
            DeadLetter saved = store.save(new NewDeadLetter(
                    inbound.source(),
                    inbound.transport(),
                    inbound.sender(),
                    inbound.messageId(),
                    inbound.receivedAt(),
                    reason,
                    inbound.contentType(),
                    inbound.payload()));
            metrics.deadLettered(inbound);
            return saved.id();
        } catch (RuntimeException e) {
            log.warn(
                    "dead letter not kept route={} source={} facility={} messageId={}: {}",
                    inbound.route(),
                    inbound.source(),
                    SafeLog.value(inbound.sender()),
                    SafeLog.value(inbound.messageId()),
                    e.getClass().getSimpleName());
            return null;
        }
    }
}
