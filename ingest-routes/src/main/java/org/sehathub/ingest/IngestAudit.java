package org.sehathub.ingest;

import org.apache.camel.Exchange;

/**
 * Where the routes report, for the audit trail, each message they stored or refused and each dead
 * letter an operator read, replayed or discarded. The routes know messages but not callers; the
 * server that assembles them knows who authenticated and keeps the trail (docs/security.md).
 */
public interface IngestAudit {

    /** No audit trail: the routes on their own. */
    IngestAudit NONE = new IngestAudit() {
        @Override
        public void message(Exchange exchange, Outcome outcome) {}

        @Override
        public void deadLetter(String action, long id, boolean found) {}
    };

    /**
     * A message was stored or refused; a replayed dead letter is one too ({@link Inbound#isReplay()}).
     */
    void message(Exchange exchange, Outcome outcome);

    /**
     * An operator's use of the dead-letter API.
     *
     * @param action {@code read} (the payload), {@code replay} or {@code discard}
     * @param id the dead letter
     * @param found false when there is no such dead letter
     */
    void deadLetter(String action, long id, boolean found);
}
