package org.sehathub.ingest.hl7v2;

import java.nio.file.Path;
import org.apache.camel.Exchange;
import org.apache.camel.component.mllp.MllpConstants;
import org.sehathub.ingest.FileInbox;
import org.sehathub.ingest.InFlight;
import org.sehathub.ingest.IngestResponder;
import org.sehathub.ingest.Refused;
import org.sehathub.ingest.Stored;

/**
 * Answers an HL7 v2 file from the inbox: the file is copied to {@code done/} (every message AA) or
 * {@code failed/} (any message refused, or the file as a whole), with the acknowledgement beside it
 * as {@code <name>.ack}, for the sender's interface engine to pick up. A file that waits for the
 * database stays where it is and is read again.
 */
public class Hl7v2FileResponder implements IngestResponder {

    private final FileInbox inbox;
    private final Hl7v2Responder messages;

    public Hl7v2FileResponder(FileInbox inbox, Hl7v2Responder messages) {
        this.inbox = inbox;
        this.messages = messages;
    }

    /** Archives a file whose messages were each answered, with their acknowledgement beside it. */
    public void answer(Exchange exchange) {
        Hl7v2FileAnswer answer = InFlight.body(exchange, Hl7v2FileAnswer.class);
        inbox.archive(file(exchange), answer.anyRefused(), ".ack", answer.ack());
    }

    /** A file is never stored as one message: its messages are, each answered on its own. */
    @Override
    public void accepted(Exchange exchange, Stored stored) {
        throw new IllegalStateException("an HL7 v2 file is answered by answer(), once its messages were");
    }

    /** The file as a whole was refused (too large, no message in it): one AR, as for a message. */
    @Override
    public void refused(Exchange exchange, Refused refused) {
        if (inbox.retriesLater(refused)) {
            return;
        }
        // Read first: answering as for a message replaces the exchange's headers.
        Path file = file(exchange);
        messages.refused(exchange, refused);
        inbox.archive(file, true, ".ack", exchange.getProperty(MllpConstants.MLLP_ACKNOWLEDGEMENT, byte[].class));
    }

    private static Path file(Exchange exchange) {
        return Path.of(exchange.getMessage().getHeader(Exchange.FILE_PATH, String.class));
    }
}
