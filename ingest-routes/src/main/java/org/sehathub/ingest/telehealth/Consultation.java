package org.sehathub.ingest.telehealth;

import com.fasterxml.jackson.databind.JsonNode;
import org.sehathub.ingest.InFlight;
import org.sehathub.ingest.Inbound;

/**
 * A teleconsultation document read as JSON, not yet mapped: the step between {@link
 * TelehealthTranslator#read} and {@link TelehealthTranslator#map}.
 *
 * @param inbound the message, identified by its {@code consultation_id}
 * @param text the document as decoded
 */
public record Consultation(Inbound inbound, String text, JsonNode document) implements InFlight {}
