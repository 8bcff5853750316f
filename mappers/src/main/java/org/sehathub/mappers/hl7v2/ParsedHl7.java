package org.sehathub.mappers.hl7v2;

import ca.uhn.hl7v2.model.Message;
import java.nio.charset.Charset;
import java.time.Instant;
import org.sehathub.mappers.SourceInfo;

/**
 * One parsed HL7 v2 message and the MSH values a transport needs to acknowledge it (control id,
 * message type, sending application and facility, version), whether or not mapping succeeds.
 *
 * @param message the message in HAPI's v2.8 structures (older versions are parsed into them)
 * @param text the message as parsed: segments separated by {@code \r}
 * @param charset the MSH-18 character set used for {@code \Xhh\} escapes
 * @param messageCode MSH-9.1, e.g. {@code ADT}
 * @param triggerEvent MSH-9.2, e.g. {@code A01}
 * @param messageStructure MSH-9.3 or, when absent, HAPI's structure for the event, e.g. {@code ADT_A01}
 * @param controlId MSH-10
 * @param sendingApplication MSH-3.1 (or MSH-3.2 when .1 is empty)
 * @param sendingFacility MSH-4.1 (or MSH-4.2 when .1 is empty)
 * @param receivingApplication MSH-5.1
 * @param receivingFacility MSH-6.1
 * @param messageDateTime MSH-7 as sent
 * @param processingId MSH-11.1 (P, T, D)
 * @param version MSH-12.1 as sent, e.g. {@code 2.3}
 */
public record ParsedHl7(
        Message message,
        String text,
        Charset charset,
        String messageCode,
        String triggerEvent,
        String messageStructure,
        String controlId,
        String sendingApplication,
        String sendingFacility,
        String receivingApplication,
        String receivingFacility,
        String messageDateTime,
        String processingId,
        String version) {

    /** {@code ADT^A01}. */
    public String messageType() {
        return messageCode + "^" + triggerEvent;
    }

    /**
     * Who sent this message: MSH-3 as the source system, MSH-4 as the facility, MSH-10 as the
     * message id.
     *
     * @param receivedAt when the hub received the message
     */
    public SourceInfo sourceInfo(Instant receivedAt) {
        return new SourceInfo(sendingApplication, sendingFacility, controlId, receivedAt);
    }
}
