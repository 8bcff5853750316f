package org.sehathub.ingest;

import java.util.List;
import java.util.Objects;
import org.sehathub.ingest.sink.StoreOutcome;

/**
 * A message the sink stored (or had stored before: {@link StoreOutcome#duplicate()}).
 *
 * @param deadLetterId the dead letter of a file whose rejected rows were kept, else null
 */
public record Stored(Mapped mapped, StoreOutcome outcome, Long deadLetterId) implements Outcome {

    public Stored {
        Objects.requireNonNull(mapped, "mapped");
        Objects.requireNonNull(outcome, "outcome");
    }

    @Override
    public Inbound inbound() {
        return mapped.inbound();
    }

    public boolean duplicate() {
        return outcome.duplicate();
    }

    public List<String> storedIds() {
        return outcome.resourceIds();
    }

    /** The same, with the rejected rows kept as this dead letter. */
    public Stored keptAs(Long deadLetterId) {
        return new Stored(mapped, outcome, deadLetterId);
    }
}
