package org.sehathub.mappers;

import java.time.Instant;

/**
 * Who sent a record and under which id; used for the Provenance of every Bundle and to scope
 * identifiers (MRNs, local codes) to the facility that issued them.
 *
 * @param sourceSystem the sending application, e.g. {@code MAYO-HIS} or {@code sehat-kahani-app}
 * @param facility the sending facility, e.g. {@code Mayo Hospital Lahore}
 * @param messageId the sender's own id for this record (MSH-10, an upload id, a consultation id);
 *     may be null when the transport has none, mappers then derive a stable one from the content
 * @param receivedAt when the hub received it; null means "now"
 */
public record SourceInfo(String sourceSystem, String facility, String messageId, Instant receivedAt) {

    /** The same source with another message id (for a mapper that derives one). */
    public SourceInfo withMessageId(String newMessageId) {
        return new SourceInfo(sourceSystem, facility, newMessageId, receivedAt);
    }
}
