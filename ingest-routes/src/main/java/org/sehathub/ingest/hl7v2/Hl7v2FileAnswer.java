package org.sehathub.ingest.hl7v2;

import org.sehathub.ingest.InFlight;
import org.sehathub.ingest.Inbound;

/**
 * What became of an HL7 v2 file from the inbox once each of its messages was answered: the file's
 * acknowledgement (a batch ACK, or the messages' ACKs one after the other) and whether any message
 * was refused (the file then goes to {@code failed/}).
 */
public record Hl7v2FileAnswer(Inbound inbound, byte[] ack, boolean anyRefused) implements InFlight {}
