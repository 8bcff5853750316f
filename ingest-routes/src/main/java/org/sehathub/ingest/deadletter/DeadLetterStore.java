package org.sehathub.ingest.deadletter;

import java.util.List;
import java.util.Optional;

/**
 * Keeps every refused message, with its reason, in the database where operators can list, inspect,
 * replay and discard it. Implemented by the FHIR server on its own table.
 */
public interface DeadLetterStore {

    /** Saves a refused message; returns it with its id. Must not throw for a reachable database. */
    DeadLetter save(NewDeadLetter letter);

    /** Newest first, optionally only one status and/or source, at most {@code limit}. */
    List<DeadLetter> list(DeadLetter.Status status, String source, int limit);

    Optional<DeadLetter> find(long id);

    /** Records a replay attempt: REPLAYED when it was stored this time, otherwise the new reason. */
    void recordReplay(long id, DeadLetter.Status status, String outcome);

    void discard(long id);
}
