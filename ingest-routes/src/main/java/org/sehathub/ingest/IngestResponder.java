package org.sehathub.ingest;

import org.apache.camel.Exchange;

/**
 * Tells the sender what happened, in the sender's own terms: an HL7 ACK, a CSV report, a JSON
 * answer or problem. Each channel has one; the shared error handling calls {@link #refused} so that
 * every refusal, wherever it happened, is answered the same way. The answer becomes the exchange's
 * body (and, for MLLP, its acknowledgement).
 */
public interface IngestResponder {

    /** The message was stored (or had been before). */
    void accepted(Exchange exchange, Stored stored);

    /** The message was refused. */
    void refused(Exchange exchange, Refused refused);
}
