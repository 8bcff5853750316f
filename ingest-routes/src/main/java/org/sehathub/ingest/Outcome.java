package org.sehathub.ingest;

/**
 * What became of a message: {@link Stored} or {@link Refused}. Metrics, the audit trail, the dead-letter
 * replay and the channel's responder read it; nothing else records it.
 */
public sealed interface Outcome extends InFlight permits Stored, Refused {

    /**
     * The dead letter this message is kept as (a refused message, a file with rejected rows, a
     * replay's own dead letter), or null when none was kept.
     */
    Long deadLetterId();
}
