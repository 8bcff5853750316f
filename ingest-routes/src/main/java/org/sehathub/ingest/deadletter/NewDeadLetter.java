package org.sehathub.ingest.deadletter;

import java.time.Instant;

/**
 * A refused message to keep.
 *
 * @param source {@code hl7v2}, {@code csv/<layout>}, {@code telehealth}, {@code fhir}
 * @param transport {@code mllp}, {@code http}, {@code file}
 * @param sender sending facility or app, when known
 * @param messageId the sender's message id, when known
 * @param receivedAt when it arrived
 * @param reason what is wrong, as told to the sender
 * @param contentType media type of the payload
 * @param payload the raw bytes as received
 */
public record NewDeadLetter(
        String source,
        String transport,
        String sender,
        String messageId,
        Instant receivedAt,
        String reason,
        String contentType,
        byte[] payload) {}
