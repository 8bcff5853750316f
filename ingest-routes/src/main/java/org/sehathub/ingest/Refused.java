package org.sehathub.ingest;

import java.util.Objects;

/**
 * A message refused: why, and how far it got before (the value the refusing step was given: the
 * received message, the parsed one, the mapped one).
 */
public record Refused(InFlight reached, Refusal refusal, Long deadLetterId) implements Outcome {

    public Refused {
        Objects.requireNonNull(reached, "reached");
        Objects.requireNonNull(refusal, "refusal");
    }

    @Override
    public Inbound inbound() {
        return reached.inbound();
    }

    /** The mapping, when the message was refused after it was mapped (by the sink, say). */
    public Mapped mapped() {
        return reached instanceof Mapped m ? m : null;
    }
}
