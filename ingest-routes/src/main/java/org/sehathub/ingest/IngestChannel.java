package org.sehathub.ingest;

import org.apache.camel.Exchange;
import org.sehathub.ingest.deadletter.DeadLetter;

/**
 * One source's channel (HL7 v2, clinic CSV, telehealth JSON) as the dead-letter replay sees it: which
 * dead letters are its own, the route that translates, stores and answers one of its messages, and
 * how a kept message is received again. The replay finds the channel in the registry of channels
 * the application assembles ({@code IngestRoutesConfig}), never by comparing source names itself.
 */
public interface IngestChannel {

    /** True when a dead letter recorded with {@code source} was refused by this channel. */
    boolean owns(String source);

    /** The endpoint of the route that processes one message ({@code direct:<source>-process}). */
    String processRoute();

    /**
     * Receives a dead letter again: the {@link Inbound} of the replay, and whatever else the process
     * route reads set on {@code exchange}.
     *
     * @param attempt the replay's number, 1 for the first
     */
    Inbound replay(Exchange exchange, DeadLetter letter, int attempt);
}
