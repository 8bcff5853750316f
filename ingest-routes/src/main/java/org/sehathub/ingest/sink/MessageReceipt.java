package org.sehathub.ingest.sink;

import java.util.Objects;

/**
 * Identifies one message for exactly-once storage.
 *
 * @param channel the kind of source: {@code hl7v2}, {@code csv}, {@code telehealth}, {@code fhir}
 * @param sender who sent it: the HL7 sending facility (MSH-4), the clinic, the telehealth app
 * @param messageId the sender's id for the message: MSH-10, a file's content hash, a consultation id
 * @param contentHash SHA-256 (hex) of the payload, to tell a resend from a reused id
 * @param facility the facility whose namespace the message's identifiers use (HL7 MSH-4, the clinic,
 *     the telehealth provider): its resources are tagged with it; null when the message names none
 */
public record MessageReceipt(String channel, String sender, String messageId, String contentHash, String facility) {

    public MessageReceipt {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(sender, "sender");
        Objects.requireNonNull(messageId, "messageId");
        Objects.requireNonNull(contentHash, "contentHash");
    }
}
