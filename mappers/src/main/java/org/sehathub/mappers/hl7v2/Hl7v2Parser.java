package org.sehathub.mappers.hl7v2;

import ca.uhn.hl7v2.DefaultHapiContext;
import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.model.Message;
import ca.uhn.hl7v2.model.Segment;
import ca.uhn.hl7v2.parser.ParserConfiguration;
import ca.uhn.hl7v2.parser.PipeParser;
import ca.uhn.hl7v2.validation.impl.ValidationContextFactory;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.sehathub.mappers.MappingException;
import org.sehathub.mappers.MappingIssue;

/**
 * Parses the text of one HL7 v2 message (versions 2.1 to 2.8, ER7 "pipe" encoding) into HAPI's
 * v2.8 structures.
 *
 * <p>Thread-safe; build one and reuse it. HAPI's own validation is switched off: it rejects
 * whole messages for details real senders get wrong (a non-numeric NM, a missing optional
 * component) where we would rather map what we can and report the rest with its location.
 */
public final class Hl7v2Parser {

    /** MSH-12 values we accept. */
    static final Set<String> SUPPORTED_VERSIONS =
            Set.of("2.1", "2.2", "2.3", "2.3.1", "2.4", "2.5", "2.5.1", "2.6", "2.7", "2.7.1", "2.8");

    /** The trigger event of a v2.1 message type that has one event only and no EVN segment. */
    private static final Map<String, String> ONLY_EVENT = Map.of("ORU", "R01", "ORM", "O01");

    private final Map<Charset, PipeParser> parsers = new ConcurrentHashMap<>();

    /**
     * Parses one message.
     *
     * @throws MappingException naming the MSH field (MSH-12 version, MSH-18 charset, MSH-10 ...) or
     *     the segment HAPI could not parse
     */
    public ParsedHl7 parse(String rawText) {
        String text = normaliseSegmentSeparators(rawText);
        if (!text.startsWith("MSH") || text.length() < 8) {
            throw new MappingException(
                    MappingIssue.Kind.MISSING, "MSH", "the message does not start with an MSH segment");
        }
        String[] header = mshFields(text);
        String version = header.length > 11
                ? header[11].split(Pattern.quote(String.valueOf(text.charAt(4))), -1)[0].strip()
                : "";
        if (!SUPPORTED_VERSIONS.contains(version)) {
            // Checked before HAPI, which refuses a version it does not know with a generic parse error.
            throw new MappingException(
                    "MSH-12",
                    "version '" + version + "' is not supported; supported: "
                            + SUPPORTED_VERSIONS.stream().sorted().collect(Collectors.joining(", ")));
        }
        text = withTriggerEvent(text, header);
        // The header split above is the only reading of MSH before HAPI parses the message.
        String msh18 = Hl7Charsets.msh18(header, text.charAt(5));
        Charset declared = Hl7Charsets.forName(msh18)
                .orElseThrow(() -> new MappingException(
                        MappingIssue.Kind.UNKNOWN_CODE, "MSH-18", "character set '" + msh18 + "' is not supported"));
        // The charset the answer is written in. "UNICODE" (UTF-16 by table 0211) arrives as UTF-8 from
        // the senders that write it (Hl7v2MessageReader), and MLLP frames single bytes: answer in UTF-8.
        Charset charset = Hl7Charsets.isMultiByte(declared) ? StandardCharsets.UTF_8 : declared;
        Message message;
        try {
            message = parser(charset).parse(text);
        } catch (HL7Exception e) {
            throw new MappingException("MSH", "the message cannot be parsed: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new MappingException("MSH", "the message cannot be parsed: " + e, e);
        }
        try {
            Segment msh = (Segment) message.get("MSH");
            String code = V2.component(msh, 9, 1, 1);
            String event = V2.component(msh, 9, 1, 2);
            String structure = V2.component(msh, 9, 1, 3);
            if (structure == null) {
                String name = message.getName();
                structure = name;
            }
            String controlId = V2.field(msh, 10);
            if (controlId == null) {
                throw new MappingException(
                        MappingIssue.Kind.MISSING,
                        "MSH-10",
                        "message control id is empty; it is needed to acknowledge and trace the message");
            }
            return new ParsedHl7(
                    message,
                    text,
                    charset,
                    code,
                    event,
                    structure,
                    controlId,
                    hd(msh, 3),
                    hd(msh, 4),
                    hd(msh, 5),
                    hd(msh, 6),
                    V2.field(msh, 7),
                    V2.field(msh, 11),
                    version);
        } catch (HL7Exception e) {
            throw new MappingException("MSH", "the message header cannot be read: " + e.getMessage(), e);
        }
    }

    /**
     * HL7 separates segments with {@code \r} only, and HAPI splits on nothing else; but files,
     * Windows tools and copy-paste give us {@code \r\n} or {@code \n}. A raw line feed cannot be
     * field content (it must be escaped as {@code \X0A\} or {@code \.br\}), so every line break
     * kind is a segment end; blank lines and MLLP framing bytes are dropped.
     */
    /**
     * Version 2.1 names only the message type in MSH-9 ({@code ADT}); the event is EVN-1. HAPI needs
     * both to choose the structure, so MSH-9 becomes {@code ADT^A04} before parsing (ORU and ORM,
     * which have one event and no EVN, become R01 and O01). Any other message is returned as it is.
     *
     * @param msh the message's MSH fields ({@link #mshFields}), not changed
     */
    static String withTriggerEvent(String text, String[] msh) {
        char field = text.charAt(3);
        char component = text.charAt(4);
        int end = text.indexOf('\r');
        if (msh.length < 9 || msh[8].isEmpty() || msh[8].indexOf(component) >= 0) {
            return text;
        }
        String event = ONLY_EVENT.get(msh[8]);
        for (String segment : text.split("\r")) {
            if (segment.startsWith("EVN" + field)) {
                String[] evn = segment.split(Pattern.quote(String.valueOf(field)), -1);
                event = evn.length > 1 && !evn[1].isBlank() ? evn[1].strip() : event;
            }
        }
        if (event == null) {
            return text;
        }
        String[] rewritten = msh.clone();
        rewritten[8] = msh[8] + component + event;
        return String.join(String.valueOf(field), rewritten) + (end < 0 ? "" : text.substring(end));
    }

    /** The MSH segment split on its field separator: {@code [0]} is "MSH", MSH-n is {@code [n - 1]}. */
    private static String[] mshFields(String text) {
        int end = text.indexOf('\r');
        return text.substring(0, end < 0 ? text.length() : end)
                .split(Pattern.quote(String.valueOf(text.charAt(3))), -1);
    }

    static String normaliseSegmentSeparators(String raw) {
        String text = raw.replace("\u000b", "")
                .replace("\u001c", "")
                .replace("\r\n", "\r")
                .replace('\n', '\r');
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        StringBuilder out = new StringBuilder(text.length());
        for (String segment : text.split("\r")) {
            if (!segment.isBlank()) {
                out.append(stripLeading(segment)).append('\r');
            }
        }
        return out.toString();
    }

    private static String stripLeading(String segment) {
        int i = 0;
        while (i < segment.length() && Character.isWhitespace(segment.charAt(i))) {
            i++;
        }
        return segment.substring(i);
    }

    private static String hd(Segment msh, int field) throws HL7Exception {
        String namespace = V2.component(msh, field, 1, 1);
        return namespace != null ? namespace : V2.component(msh, field, 1, 2);
    }

    private PipeParser parser(Charset charset) {
        return parsers.computeIfAbsent(charset, cs -> {
            ParserConfiguration config = new ParserConfiguration();
            config.setEscaping(new Hl7Escaping(cs));
            // Values whose OBX-2 names no type we know are kept as text; the mapper reports them.
            config.setInvalidObx2Type("ST");
            config.setDefaultObx2Type("ST");
            return new DefaultHapiContext(
                            config, ValidationContextFactory.noValidation(), new LegacyTypeAliasingModelClassFactory())
                    .getPipeParser();
        });
    }
}
