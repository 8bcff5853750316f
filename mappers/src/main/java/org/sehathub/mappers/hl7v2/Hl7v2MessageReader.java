package org.sehathub.mappers.hl7v2;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import org.sehathub.mappers.MappingException;
import org.sehathub.mappers.MappingIssue;

/**
 * Turns the raw bytes of one HL7 v2 message, as the transport received them, into text, decoded
 * in the character set its MSH-18 declares (UTF-8 when MSH-18 is empty).
 *
 * <p>The transport must not decode the bytes itself with a fixed charset: a hospital that sends
 * Urdu names in UTF-8 and one that sends 8859/1 both need their MSH-18 honoured. Bytes that are
 * not valid in the declared charset are refused rather than replaced with U+FFFD, because a
 * silently mangled name is worse than an error the sender can fix.
 */
public final class Hl7v2MessageReader {

    /**
     * Decodes a message.
     *
     * @throws MappingException at {@code MSH-18} when the charset is unknown or the bytes are not
     *     valid in it, at {@code MSH} when the bytes do not start with an MSH segment
     */
    public String read(byte[] bytes) {
        return read(bytes, null);
    }

    /**
     * Decodes a message whose MSH-18 the transport has already read from the raw header (so that
     * the header is read once on the way in).
     *
     * @param msh18 MSH-18 as sent (empty when MSH-18 is empty), or null to read it from the bytes
     */
    public String read(byte[] bytes, String msh18) {
        byte[] unframed = stripMllpBlock(bytes);
        if (unframed.length >= 2
                && ((unframed[0] & 0xff) == 0xfe && (unframed[1] & 0xff) == 0xff
                        || (unframed[0] & 0xff) == 0xff && (unframed[1] & 0xff) == 0xfe)) {
            // UTF-16 with its byte order mark: a CR is two bytes here, so whitespace is trimmed once
            // decoded, never byte by byte (which would cut a character in half).
            return strict(unframed, StandardCharsets.UTF_16, "byte order mark UTF-16")
                    .strip();
        }
        byte[] body = stripFraming(bytes);
        Charset bomCharset = byteOrderMark(body);
        if (bomCharset != null) {
            return strict(body, bomCharset, "byte order mark " + bomCharset.name());
        }
        // MSH-1 to MSH-18 are ASCII in every charset table 0211 allows except UTF-16/32, which come
        // with a byte order mark (handled above); so ISO-8859-1 reads the header byte for byte.
        String header = new String(body, 0, Math.min(body.length, 1024), StandardCharsets.ISO_8859_1);
        if (!header.startsWith("MSH")) {
            throw new MappingException(
                    MappingIssue.Kind.MISSING, "MSH", "the message does not start with an MSH segment");
        }
        String declared = msh18 != null ? msh18.strip() : Hl7Charsets.msh18(header);
        Charset charset = Hl7Charsets.forName(declared)
                .orElseThrow(() -> new MappingException(
                        MappingIssue.Kind.UNKNOWN_CODE, "MSH-18", "character set '" + declared + "' is not supported"));
        if (Hl7Charsets.isMultiByte(charset)) {
            // "UNICODE" (UTF-16 in table 0211) is what many senders write for UTF-8. Real UTF-16 or
            // UTF-32 cannot start with the single bytes M, S, H read above: these bytes are
            // ASCII-compatible, so they are read as UTF-8, never as two-byte characters.
            return strict(body, StandardCharsets.UTF_8, "UTF-8 (MSH-18 '" + declared + "' on single-byte text)");
        }
        return strict(body, charset, declared.isEmpty() ? "UTF-8 (MSH-18 empty)" : declared);
    }

    private static String strict(byte[] body, Charset charset, String declared) {
        try {
            String text = charset.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(body))
                    .toString();
            return text.startsWith("\uFEFF") ? text.substring(1) : text;
        } catch (CharacterCodingException e) {
            throw new MappingException(
                    "MSH-18",
                    "the message bytes are not valid " + declared + "; declare the character set the sender uses",
                    e);
        }
    }

    /** Drops an MLLP start byte (0x0b) and end block (0x1c, or 0x1c 0x0d), if a transport left them in. */
    private static byte[] stripMllpBlock(byte[] bytes) {
        int from = bytes.length > 0 && bytes[0] == 0x0b ? 1 : 0;
        int to = bytes.length;
        if (to - from >= 2 && bytes[to - 2] == 0x1c && bytes[to - 1] == '\r') {
            to -= 2;
        } else if (to > from && bytes[to - 1] == 0x1c) {
            to--;
        }
        byte[] body = new byte[to - from];
        System.arraycopy(bytes, from, body, 0, body.length);
        return body;
    }

    /** Drops MLLP start/end bytes and surrounding whitespace a transport may have left in. */
    private static byte[] stripFraming(byte[] bytes) {
        int from = 0;
        int to = bytes.length;
        while (from < to && (bytes[from] == 0x0b || bytes[from] == ' ' || bytes[from] == '\r' || bytes[from] == '\n')) {
            from++;
        }
        while (to > from
                && (bytes[to - 1] == 0x1c
                        || bytes[to - 1] == 0x0b
                        || bytes[to - 1] == ' '
                        || bytes[to - 1] == '\r'
                        || bytes[to - 1] == '\n')) {
            to--;
        }
        byte[] body = new byte[to - from];
        System.arraycopy(bytes, from, body, 0, body.length);
        return body;
    }

    private static Charset byteOrderMark(byte[] b) {
        if (b.length >= 3 && (b[0] & 0xff) == 0xef && (b[1] & 0xff) == 0xbb && (b[2] & 0xff) == 0xbf) {
            return StandardCharsets.UTF_8;
        }
        return null;
    }
}
