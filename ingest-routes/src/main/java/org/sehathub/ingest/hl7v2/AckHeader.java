package org.sehathub.ingest.hl7v2;

import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.preparser.PreParser;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import org.sehathub.ingest.Inbound;
import org.sehathub.mappers.hl7v2.ParsedHl7;

/**
 * The MSH values of an inbound message that its acknowledgement needs. Read from the parsed message
 * when parsing succeeded, otherwise as far as HAPI's {@link PreParser} can read the raw header, so
 * that even an unparseable message gets an AR echoing its MSH-10.
 *
 * @param sendingApplication MSH-3 (becomes the ACK's MSH-5)
 * @param sendingFacility MSH-4 (becomes MSH-6)
 * @param receivingApplication MSH-5 (becomes MSH-3)
 * @param receivingFacility MSH-6 (becomes MSH-4)
 * @param triggerEvent MSH-9.2, echoed in the ACK's MSH-9.2
 * @param controlId MSH-10, echoed in MSA-2
 * @param processingId MSH-11
 * @param version MSH-12, kept in the ACK's MSH-12
 * @param characterSet MSH-18 as sent, kept in the ACK's MSH-18
 * @param charset how the ACK's bytes are encoded: the inbound message's own character set
 */
public record AckHeader(
        String sendingApplication,
        String sendingFacility,
        String receivingApplication,
        String receivingFacility,
        String triggerEvent,
        String controlId,
        String processingId,
        String version,
        String characterSet,
        Charset charset)
        implements Inbound.Envelope {

    /** When nothing at all could be read: an ACK from us, for version 2.5, to nobody in particular. */
    public static final AckHeader UNKNOWN =
            new AckHeader(null, null, null, null, null, null, "P", "2.5", null, StandardCharsets.UTF_8);

    /** The header of a message received, as the receiver or the parser read it; {@link #UNKNOWN} if neither could. */
    public static AckHeader of(Inbound inbound) {
        AckHeader header = inbound.envelope(AckHeader.class);
        return header != null ? header : UNKNOWN;
    }

    public static AckHeader from(ParsedHl7 parsed, String characterSet) {
        return new AckHeader(
                parsed.sendingApplication(),
                parsed.sendingFacility(),
                parsed.receivingApplication(),
                parsed.receivingFacility(),
                parsed.triggerEvent(),
                parsed.controlId(),
                parsed.processingId(),
                parsed.version(),
                characterSet,
                parsed.charset());
    }

    /**
     * Reads the header from raw bytes. MSH-1 to MSH-18 are ASCII in every character set HL7 allows
     * without a byte order mark, so ISO-8859-1 reads them byte for byte whatever the message's own
     * charset is.
     */
    public static AckHeader fromRaw(byte[] payload) {
        String text = new String(payload, 0, Math.min(payload.length, 4096), StandardCharsets.ISO_8859_1)
                .replace("\u000b", "")
                .stripLeading();
        // A UTF-8 byte-order mark, as ISO-8859-1 reads it: the parser skips it, so must the header.
        if (text.startsWith("\u00ef\u00bb\u00bf")) {
            text = text.substring(3).stripLeading();
        }
        int end = text.indexOf('\r');
        int lf = text.indexOf('\n');
        if (lf >= 0 && (end < 0 || lf < end)) {
            end = lf;
        }
        String msh = end >= 0 ? text.substring(0, end) : text;
        if (!msh.startsWith("MSH") || msh.length() < 9) {
            return UNKNOWN;
        }
        try {
            String[] f = PreParser.getFields(
                    msh + "\r", "MSH-3", "MSH-4", "MSH-5", "MSH-6", "MSH-9-2", "MSH-10", "MSH-11", "MSH-12", "MSH-18");
            return new AckHeader(
                    blankToNull(f[0]),
                    blankToNull(f[1]),
                    blankToNull(f[2]),
                    blankToNull(f[3]),
                    blankToNull(f[4]),
                    blankToNull(f[5]),
                    blankToNull(f[6]),
                    blankToNull(f[7]),
                    blankToNull(f[8]),
                    StandardCharsets.UTF_8);
        } catch (HL7Exception | RuntimeException e) {
            return UNKNOWN;
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
