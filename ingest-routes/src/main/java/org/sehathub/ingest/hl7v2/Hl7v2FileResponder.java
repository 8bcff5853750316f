package org.sehathub.ingest.hl7v2;

import java.nio.file.Path;
import org.apache.camel.Exchange;
import org.apache.camel.component.mllp.MllpConstants;
import org.sehathub.ingest.FileInbox;
import org.sehathub.ingest.Inbound;
import org.sehathub.ingest.IngestResponder;

/**
 * Answers an HL7 v2 file from the inbox: the file is copied to {@code done/} (every message AA) or
 * {@code failed/} (any message refused, or the file as a whole), with the acknowledgement beside it
 * as {@code <name>.ack}, for the sender's interface engine to pick up. A file that waits for the
 * database stays where it is and is read again.
 */
public class Hl7v2FileResponder implements IngestResponder {

    /** The acknowledgement of the whole file (batch ACK), set by {@link Hl7v2BatchProcessor#processFile}. */
    static final String FILE_ACK = "sehat.hl7v2.fileAck";
    /** True when some message of the file was refused. */
    static final String ANY_REFUSED = "sehat.hl7v2.fileAnyRefused";

    private final FileInbox inbox;
    private final Hl7v2Responder messages;

    public Hl7v2FileResponder(FileInbox inbox, Hl7v2Responder messages) {
        this.inbox = inbox;
        this.messages = messages;
    }

    @Override
    public void accepted(Exchange exchange, Inbound inbound) {
        boolean anyRefused = exchange.getProperty(ANY_REFUSED, false, Boolean.class);
        inbox.archive(file(exchange), anyRefused, ".ack", exchange.getProperty(FILE_ACK, byte[].class));
    }

    /** The file as a whole was refused (too large): one AR, as for a message. */
    @Override
    public void refused(Exchange exchange, Inbound inbound) {
        if (inbox.retriesLater(inbound)) {
            return;
        }
        // Read first: answering as for a message replaces the exchange's headers.
        Path file = file(exchange);
        messages.refused(exchange, inbound);
        inbox.archive(file, true, ".ack", exchange.getProperty(MllpConstants.MLLP_ACKNOWLEDGEMENT, byte[].class));
    }

    private static Path file(Exchange exchange) {
        return Path.of(exchange.getMessage().getHeader(Exchange.FILE_PATH, String.class));
    }
}
