package org.sehathub.ingest;

import org.sehathub.ingest.deadletter.DeadLetter;

/**
 * One source's channel (HL7 v2, clinic CSV, telehealth JSON, FHIR transaction Bundles): which
 * messages and dead letters are its own, who answers them, the route that translates, stores and
 * answers one of its messages, and how a kept message is received again. The storage step, the refusal handling and the dead-letter
 * replay find the channel in the registry the application assembles ({@link IngestChannels}).
 */
public interface IngestChannel {

    /** True when a dead letter recorded with {@code source} was refused by this channel. */
    boolean owns(String source);

    /**
     * Who answers a message of this channel that came in as {@code inbound} (an HL7 ACK, a CSV
     * report, a problem document, an .ack file): the responder belongs to the channel, not to the
     * message.
     */
    IngestResponder responder(Inbound inbound);

    /** The endpoint of the route that processes one message ({@code direct:<source>-process}). */
    String processRoute();

    /**
     * Receives a dead letter again, as the {@link Inbound} its process route takes.
     *
     * @param attempt the replay's number, 1 for the first
     */
    Inbound replay(DeadLetter letter, int attempt);
}
