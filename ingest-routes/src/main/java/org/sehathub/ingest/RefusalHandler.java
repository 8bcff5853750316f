package org.sehathub.ingest;

import org.apache.camel.Exchange;
import org.sehathub.ingest.deadletter.DeadLetterKeeper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What happens to every refused message, whichever route refused it: it is classified, kept as a
 * dead letter, counted, audited, logged once, and answered through its source's responder.
 *
 * <p>The log line names the route, the facility, the message id, the kind of refusal and the
 * locations (PID-7, line 5 column cnic, /patient/cnic) but never the reasons: those may quote the
 * refused value, a CNIC or a phone number. The sender is told the reasons; operators read them in
 * the dead-letter store.
 */
public class RefusalHandler {

    private static final Logger log = LoggerFactory.getLogger(RefusalHandler.class);

    private final DeadLetterKeeper deadLetters;
    private final IngestMetrics metrics;
    private final IngestAudit audit;
    private final IngestChannels channels;

    /** @param channels the registry, for the responder of each message's channel */
    public RefusalHandler(
            DeadLetterKeeper deadLetters, IngestMetrics metrics, IngestAudit audit, IngestChannels channels) {
        this.channels = channels;
        this.deadLetters = deadLetters;
        this.metrics = metrics;
        this.audit = audit;
    }

    public void handle(Exchange exchange) {
        Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        Inbound inbound = Inbound.of(exchange);
        Refusal refusal = Refusal.of(failure);
        inbound.refusal(refusal);
        // A file that could not be stored for want of a database stays in its inbox and is read
        // again at the next poll: the file is its own durable copy, so it is not dead-lettered.
        // A message over the size, segment or row limits is not kept (an inbox file is moved to
        // failed/ whole).
        if (!retriedFromInbox(inbound, refusal) && refusal.kind() != Refusal.Kind.TOO_LARGE) {
            deadLetters.keep(inbound, refusal.summary());
        }
        metrics.refused(inbound, refusal);
        audit.message(exchange, inbound);
        log.warn(
                "refused route={} source={} transport={} facility={} messageId={} kind={} at={} deadLetter={}{}",
                inbound.route(),
                inbound.source(),
                inbound.transport(),
                SafeLog.value(inbound.sender()),
                SafeLog.value(inbound.messageId()),
                refusal.kind().slug(),
                SafeLog.value(refusal.locations()),
                inbound.deadLetterId() != null ? inbound.deadLetterId() : "-",
                inbound.isReplay() ? " replayOf=" + inbound.replayOf() : "");
        if (refusal.kind() == Refusal.Kind.INTERNAL && failure != null) {
            // The stack trace of a fault of ours, kept out of WARN because messages may quote payloads.
            log.debug("internal error on route {}", inbound.route(), failure);
        }
        channels.of(inbound).responder(inbound).refused(exchange, inbound);
    }

    /** True for a file that stays in its inbox to be retried (see the class comment). */
    public static boolean retriedFromInbox(Inbound inbound, Refusal refusal) {
        return refusal.kind() == Refusal.Kind.UNAVAILABLE && "file".equals(inbound.transport()) && !inbound.isReplay();
    }
}
