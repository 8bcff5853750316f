package org.sehathub.ingest.hl7v2;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.camel.Exchange;
import org.sehathub.ingest.Digests;
import org.sehathub.ingest.Inbound;
import org.sehathub.ingest.IngestProperties;
import org.sehathub.ingest.LimitExceededException;
import org.sehathub.ingest.Mapped;
import org.sehathub.ingest.MessageRejectedException;
import org.sehathub.ingest.sink.MessageReceipt;
import org.sehathub.mappers.MappingException;
import org.sehathub.mappers.MappingResult;
import org.sehathub.mappers.hl7v2.Hl7v2Mapper;
import org.sehathub.mappers.hl7v2.Hl7v2MessageReader;
import org.sehathub.mappers.hl7v2.Hl7v2Parser;
import org.sehathub.mappers.hl7v2.ParsedHl7;
import org.sehathub.mappers.terminology.TerminologyMaps;

/**
 * Turns the raw bytes of an HL7 v2 message into a {@link Mapped} Bundle with its receipt, through
 * the mappers: the MSH-18-aware reader, the parser, the mapper. It sorts what goes wrong into the
 * two negative acknowledgements: the message itself is unacceptable (AR: {@link
 * MessageRejectedException}) or it could not be mapped (AE: the mapper's {@link MappingException}).
 *
 * <p>The receipt is sending facility (MSH-4) + MSH-10 + SHA-256 of the message text as parsed
 * (segment separators normalised), so a resend through another tool that ends segments with CRLF is
 * still the same message.
 */
public class Hl7v2Translator {

    /** The receipt channel of HL7 v2 messages. */
    public static final String CHANNEL = "hl7v2";

    /** The tag on every resource of a training or debugging message (MSH-11 T, D) an operator accepts. */
    public static final String TEST_DATA_SYSTEM = "http://terminology.hl7.org/CodeSystem/v3-ActReason";

    public static final String TEST_DATA = "HTEST";
    private static final String PRODUCTION = "P";

    private final Hl7v2MessageReader reader = new Hl7v2MessageReader();
    private final Hl7v2Parser parser = new Hl7v2Parser();
    private final Hl7v2Mapper mapper;
    private final Set<String> processingIds;
    private final int maxSegments;
    private final int maxObx;

    public Hl7v2Translator(TerminologyMaps terminology, Clock clock, IngestProperties.Hl7v2 rules) {
        this.mapper = new Hl7v2Mapper(terminology, clock);
        this.processingIds = Set.copyOf(rules.processingIds());
        this.maxSegments = rules.maxSegments();
        this.maxObx = rules.maxObx();
    }

    public void translate(Exchange exchange) {
        Inbound inbound = Inbound.of(exchange);
        // The header the receiver read from the raw bytes: MSH-18 to decode with, as sent.
        AckHeader raw = exchange.getProperty(AckHeader.PROPERTY, AckHeader.class);
        if (raw == null) {
            raw = AckHeader.fromRaw(inbound.payload());
        }
        // An unreadable raw header leaves MSH-18 to the reader; a read one with MSH-18 empty means UTF-8.
        String msh18 = raw == AckHeader.UNKNOWN ? null : (raw.characterSet() != null ? raw.characterSet() : "");
        ParsedHl7 parsed = parse(inbound.payload(), msh18);
        inbound.sender(parsed.sendingFacility());
        inbound.messageId(parsed.controlId());
        exchange.setProperty(AckHeader.PROPERTY, AckHeader.from(parsed, raw.characterSet()));
        requireWithinLimits(parsed.text());
        String processingId = parsed.processingId();
        if (processingId == null || !processingIds.contains(processingId)) {
            throw new MessageRejectedException(
                    "MSH-11",
                    "processing id '" + (processingId == null ? "" : processingId)
                            + "' is not accepted here; accepted: "
                            + processingIds.stream().sorted().collect(Collectors.joining(", ")),
                    "202");
        }
        MappingResult result;
        try {
            result = mapper.map(parsed, parsed.sourceInfo(inbound.receivedAt()));
        } catch (MappingException e) {
            if ("MSH-9".equals(e.getLocation())) {
                String code = Hl7v2Mapper.SUPPORTED.containsKey(parsed.messageCode()) ? "201" : "200";
                throw new MessageRejectedException("MSH-9", e.getReason(), code, e);
            }
            throw e;
        }
        if (!PRODUCTION.equals(processingId)) {
            // Accepted only because an operator listed it: marked so it is never mistaken for care data.
            result.bundle().getEntry().stream()
                    .filter(entry -> entry.getResource() != null)
                    .forEach(entry ->
                            entry.getResource().getMeta().addTag(TEST_DATA_SYSTEM, TEST_DATA, "test health data"));
        }
        MessageReceipt receipt = new MessageReceipt(
                CHANNEL,
                parsed.sendingFacility(),
                parsed.controlId(),
                Digests.sha256(parsed.text().getBytes(StandardCharsets.UTF_8)),
                parsed.sendingFacility());
        exchange.setProperty(Mapped.PROPERTY, new Mapped(result.bundle(), receipt, result.issues()));
    }

    /** Segments and OBX are counted on the parsed text, whose segments end with CR. */
    private void requireWithinLimits(String text) {
        int segments = 0;
        int obx = 0;
        for (int start = 0; start < text.length(); ) {
            int end = text.indexOf('\r', start);
            end = end < 0 ? text.length() : end;
            if (end > start) {
                segments++;
                if (text.startsWith("OBX|", start)) {
                    obx++;
                }
            }
            start = end + 1;
        }
        if (segments > maxSegments) {
            throw new LimitExceededException("message", segments, maxSegments, "sehat.ingest.hl7v2.max-segments");
        }
        if (obx > maxObx) {
            throw new LimitExceededException("OBX", obx, maxObx, "sehat.ingest.hl7v2.max-obx");
        }
    }

    /** Reads and parses; anything wrong here means the message is not one we can take at all. */
    private ParsedHl7 parse(byte[] payload, String msh18) {
        try {
            return parser.parse(reader.read(payload, msh18));
        } catch (MappingException e) {
            throw new MessageRejectedException(e.getLocation(), e.getReason(), rejectCode(e), e);
        }
    }

    /** HL7 table 0357 code for a message the reader or parser refused: by field and kind, never by wording. */
    private static String rejectCode(MappingException e) {
        if ("MSH-12".equals(e.getLocation())) {
            return "203";
        }
        return switch (e.getKind()) {
            case MISSING -> "MSH".equals(e.getLocation()) ? "100" : "101";
            case UNKNOWN_CODE -> "103";
            default -> "102";
        };
    }
}
