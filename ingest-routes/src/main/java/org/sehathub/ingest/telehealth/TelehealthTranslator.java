package org.sehathub.ingest.telehealth;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import org.apache.camel.Exchange;
import org.sehathub.ingest.Digests;
import org.sehathub.ingest.InFlight;
import org.sehathub.ingest.Inbound;
import org.sehathub.ingest.Mapped;
import org.sehathub.ingest.MessageRejectedException;
import org.sehathub.ingest.sink.MessageReceipt;
import org.sehathub.mappers.MappingResult;
import org.sehathub.mappers.SourceInfo;
import org.sehathub.mappers.telehealth.TeleconsultationMapper;
import org.sehathub.mappers.terminology.TerminologyMaps;

/**
 * Maps a teleconsultation document with {@link TeleconsultationMapper}. What is not JSON at all, or
 * has no {@code consultation_id} string, or comes without {@code X-Sehat-App}, is rejected (400)
 * before mapping; schema violations and refused values are the mapper's {@code MappingException}
 * (422), with a JSON pointer per problem.
 *
 * <p>The receipt is app + {@code consultation_id} + SHA-256 of the document with its object keys
 * sorted, so the same consultation re-serialized by another JSON library is still the same
 * content, and a changed document under a used id is a conflict (409).
 */
public class TelehealthTranslator {

    public static final String CHANNEL = "telehealth";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper CANONICAL =
            new ObjectMapper().enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    private final TeleconsultationMapper mapper;

    public TelehealthTranslator(TerminologyMaps terminology, Clock clock) {
        this.mapper = new TeleconsultationMapper(terminology, clock);
    }

    /**
     * Reads the exchange's {@link Inbound} as a JSON document with its consultation id: the
     * consultation, identified, is the next body.
     */
    public Consultation read(Exchange exchange) {
        Inbound inbound = InFlight.body(exchange, Inbound.class);
        String text = new String(inbound.payload(), StandardCharsets.UTF_8);
        JsonNode document = parse(text);
        JsonNode id = document.path("consultation_id");
        if (!id.isTextual() || id.asText().isBlank()) {
            throw new MessageRejectedException(
                    "/consultation_id", "consultation_id is required: a non-empty string", null);
        }
        return new Consultation(inbound.identified(inbound.sender(), id.asText()), text, document);
    }

    /**
     * Maps the exchange's {@link Consultation}, from the app that sent it, to a Bundle with its
     * receipt: the next body.
     */
    public Mapped map(Exchange exchange) {
        Consultation consultation = InFlight.body(exchange, Consultation.class);
        Inbound inbound = consultation.inbound();
        TelehealthSender sender = inbound.envelope(TelehealthSender.class);
        if (sender == null) {
            throw new MessageRejectedException(
                    "X-Sehat-App", "the X-Sehat-App header naming the sending app is required", null);
        }
        String consultationId = inbound.messageId();
        MappingResult result = mapper.map(
                consultation.text(),
                new SourceInfo(sender.app(), sender.provider(), consultationId, inbound.receivedAt()));
        MessageReceipt receipt = new MessageReceipt(
                CHANNEL, sender.app(), consultationId, canonicalHash(consultation.document()), sender.provider());
        return new Mapped(inbound, result.bundle(), receipt, result.issues());
    }

    private static JsonNode parse(String text) {
        try {
            JsonNode node = JSON.readTree(text.startsWith("\uFEFF") ? text.substring(1) : text);
            if (node == null || !node.isObject()) {
                throw new MessageRejectedException("/", "the body must be one JSON object", null);
            }
            return node;
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null
                    ? ""
                    : " at line " + e.getLocation().getLineNr() + ", column "
                            + e.getLocation().getColumnNr();
            throw new MessageRejectedException("/", "not valid JSON" + where, null, e);
        }
    }

    static String canonicalHash(JsonNode document) {
        try {
            Object tree = CANONICAL.treeToValue(document, Object.class);
            return Digests.sha256(CANONICAL.writeValueAsBytes(tree));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a parsed document always serializes", e);
        }
    }
}
