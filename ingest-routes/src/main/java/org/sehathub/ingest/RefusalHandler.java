package org.sehathub.ingest;

import org.apache.camel.Exchange;
import org.sehathub.ingest.deadletter.DeadLetterKeeper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What happens to every refused message, whichever step refused it: it is classified, kept as a
 * dead letter, counted, audited, logged once, and answered through its channel's responder. Its
 * {@link Refused} becomes the exchange body (a replayed dead letter is not answered again: the
 * replayer reads that body).
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
        InFlight reached = InFlight.of(exchange);
        if (reached == null) {
            // Every receiver makes its Inbound the body before anything can fail; this is a bug.
            throw new IllegalStateException("a refusal before the message was received", failure);
        }
        Inbound inbound = reached.inbound();
        Refusal refusal = Refusal.of(failure);
        // A file that could not be stored for want of a database stays in its inbox and is read
        // again at the next poll: the file is its own durable copy, so it is not dead-lettered.
        // A message over the size, segment or row limits is not kept (an inbox file is moved to
        // failed/ whole).
        Long deadLetterId = !retriedFromInbox(inbound, refusal) && refusal.kind() != Refusal.Kind.TOO_LARGE
                ? deadLetters.keep(inbound, refusal.summary())
                : null;
        Refused refused = new Refused(reached, refusal, deadLetterId);
        metrics.refused(inbound, refusal);
        audit.message(exchange, refused);
        log.warn(
                "refused route={} source={} transport={} facility={} messageId={} kind={} at={} deadLetter={}{}",
                inbound.route(),
                inbound.source(),
                inbound.transport(),
                SafeLog.value(inbound.sender()),
                SafeLog.value(inbound.messageId()),
                refusal.kind().slug(),
                SafeLog.value(refusal.locations()),
                deadLetterId != null ? deadLetterId : "-",
                inbound.isReplay() ? " replayOf=" + inbound.replayOf() : "");
        if (refusal.kind() == Refusal.Kind.INTERNAL && failure != null) {
            // The stack trace of a fault of ours, kept out of WARN because messages may quote payloads.
            log.debug("internal error on route {}", inbound.route(), failure);
        }
        exchange.getMessage().setBody(refused);
        if (!inbound.isReplay()) {
            channels.of(inbound).responder(inbound).refused(exchange, refused);
        }
    }

    /** True for a file that stays in its inbox to be retried (see the class comment). */
    public static boolean retriedFromInbox(Inbound inbound, Refusal refusal) {
        return refusal.kind() == Refusal.Kind.UNAVAILABLE && "file".equals(inbound.transport()) && !inbound.isReplay();
    }
}
