package org.sehathub.ingest.hl7v2;

import org.sehathub.ingest.InFlight;
import org.sehathub.ingest.Inbound;
import org.sehathub.mappers.hl7v2.ParsedHl7;

/**
 * An HL7 v2 message read and parsed, not yet mapped: the step between {@link Hl7v2Translator#parse}
 * and {@link Hl7v2Translator#map}.
 *
 * @param inbound the message, identified by its MSH-4 and MSH-10, with the parsed header as its
 *     envelope (the ACK is built from it)
 */
public record Hl7v2Parsed(Inbound inbound, ParsedHl7 message) implements InFlight {}
