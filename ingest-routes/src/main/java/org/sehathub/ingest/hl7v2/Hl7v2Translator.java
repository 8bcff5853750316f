package org.sehathub.ingest.hl7v2;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.camel.Exchange;
import org.sehathub.ingest.Digests;
import org.sehathub.ingest.InFlight;
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
 * Turns the raw bytes of an HL7 v2 message into a {@link Mapped} Bundle with its receipt, in two
 * steps through the mappers: {@link #parse} (the MSH-18-aware reader, the parser, the limits and
 * the processing id) and {@link #map}. It sorts what goes wrong into the
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

    /**
     * Reads (MSH-18 as the receiver read it from the raw header) and parses the exchange's {@link
     * Inbound}: the message identified by its parsed MSH is the next body, so that a refusal from
     * here on is answered with the parsed header (its charset, its MSH-10).
     */
    public Hl7v2Parsed parse(Exchange exchange) {
        Inbound inbound = InFlight.body(exchange, Inbound.class);
        AckHeader raw = AckHeader.of(inbound);
        // An unreadable raw header leaves MSH-18 to the reader; a read one with MSH-18 empty means UTF-8.
        String msh18 = raw == AckHeader.UNKNOWN ? null : (raw.characterSet() != null ? raw.characterSet() : "");
        ParsedHl7 parsed = parse(inbound.payload(), msh18);
        return new Hl7v2Parsed(
                inbound.identified(parsed.sendingFacility(), parsed.controlId())
                        .withEnvelope(AckHeader.from(parsed, raw.characterSet())),
                parsed);
    }

    /**
     * Checks the exchange's {@link Hl7v2Parsed} against the limits and the accepted processing ids,
     * and maps it to a Bundle with its receipt: the next body.
     */
    public Mapped map(Exchange exchange) {
        Hl7v2Parsed message = InFlight.body(exchange, Hl7v2Parsed.class);
        Inbound inbound = message.inbound();
        ParsedHl7 parsed = message.message();
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
        return new Mapped(inbound, result.bundle(), receipt, result.issues());
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
