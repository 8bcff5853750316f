package org.sehathub.ingest.deadletter;

import java.time.Instant;

/** A kept refused message and what has happened to it since. */
public record DeadLetter(
        long id,
        String source,
        String transport,
        String sender,
        String messageId,
        Instant receivedAt,
        String reason,
        String contentType,
        byte[] payload,
        Status status,
        int replayCount,
        String lastOutcome,
        Instant updatedAt) {

    public enum Status {
        /** Refused and waiting for an operator. */
        NEW,
        /** Replayed and stored. */
        REPLAYED,
        /** Replayed and refused again; {@code lastOutcome} says why. */
        FAILED_REPLAY,
        /** An operator decided it is not to be stored. */
        DISCARDED
    }
}
