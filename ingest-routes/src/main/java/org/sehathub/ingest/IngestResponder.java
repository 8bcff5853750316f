package org.sehathub.ingest;

import org.apache.camel.Exchange;

/**
 * Tells the sender what happened, in the sender's own terms: an HL7 ACK, a CSV report, a JSON
 * answer or problem. Each source has one; the shared error handling calls {@link #refused} so that
 * every refusal, wherever it happened, is answered the same way.
 */
public interface IngestResponder {

    /** The message was stored (or had been before); {@link Inbound#outcome()} says what. */
    void accepted(Exchange exchange, Inbound inbound);

    /** The message was refused; {@link Inbound#refusal()} says why. */
    void refused(Exchange exchange, Inbound inbound);
}
