package org.sehathub.mappers.hl7v2;

import ca.uhn.hl7v2.model.Type;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.hl7.fhir.r4.model.Attachment;

/**
 * OBX-5 values that are documents rather than results, as FHIR Attachments: ED (encapsulated data:
 * a PDF, an image, text; base64, hex or plain) and RP (a reference pointer to where the document
 * lives). Used for MDM content and for reports a lab sends inside an ORU.
 */
final class Attachments {

    private static final Map<String, String> MIME_TYPES = Map.ofEntries(
            Map.entry("PDF", "application/pdf"),
            Map.entry("RTF", "application/rtf"),
            Map.entry("HTML", "text/html"),
            Map.entry("XML", "application/xml"),
            Map.entry("JPEG", "image/jpeg"),
            Map.entry("JPG", "image/jpeg"),
            Map.entry("PNG", "image/png"),
            Map.entry("GIF", "image/gif"),
            Map.entry("TIFF", "image/tiff"),
            Map.entry("DICOM", "application/dicom"),
            Map.entry("OCTET-STREAM", "application/octet-stream"),
            Map.entry("PLAIN", "text/plain"),
            Map.entry("TEXT", "text/plain"));

    private Attachments() {}

    /**
     * True when OBX-5 really holds a document: ED with data (.5), or RP with a URL (.1). A sender
     * that types a plain value ED or RP (a number, say) gets it kept as a result, not dropped.
     */
    static boolean isDocument(String valueType, List<Type> values) {
        return switch (valueType) {
            case "ED" -> values.stream().anyMatch(v -> V2.component(v, 5) != null);
            case "RP" -> values.stream().anyMatch(v -> isUrl(V2.component(v, 1)));
            default -> false;
        };
    }

    private static boolean isUrl(String pointer) {
        return pointer != null && pointer.matches("[A-Za-z][A-Za-z0-9+.-]*:.+");
    }

    /**
     * ED: .2 type of data, .3 subtype (to the content type), .4 encoding (Base64, Hex, A), .5 data.
     *
     * @return null, with a warning at {@code location}, when there is nothing usable
     */
    static Attachment encapsulated(Hl7Context ctx, Type ed, String location) {
        String subtype = upper(V2.component(ed, 3));
        String encoding = upper(V2.component(ed, 4));
        String data = V2.component(ed, 5);
        if (data == null) {
            ctx.missing(location, "encapsulated data is empty; not mapped");
            return null;
        }
        byte[] bytes;
        try {
            bytes = switch (encoding == null ? "A" : encoding) {
                case "BASE64" -> Base64.getMimeDecoder().decode(data);
                case "HEX" -> HexFormat.of().parseHex(data.strip());
                case "A", "NONE" -> data.getBytes(StandardCharsets.UTF_8);
                default ->
                    throw new IllegalArgumentException(
                            "encoding '" + V2.component(ed, 4) + "' is not in HL7 table 0299");
            };
        } catch (IllegalArgumentException e) {
            ctx.warning(location, "encapsulated data cannot be decoded (" + e.getMessage() + "); not mapped");
            return null;
        }
        return new Attachment()
                .setContentType(mimeType(V2.component(ed, 2), subtype))
                .setData(bytes);
    }

    /**
     * RP: .1 pointer (kept when it is a URL), .3 type of data, .4 subtype.
     *
     * @return null, with a warning at {@code location}, when the pointer is not a URL
     */
    static Attachment pointer(Hl7Context ctx, Type rp, String location) {
        String pointer = V2.component(rp, 1);
        if (!isUrl(pointer)) {
            ctx.warning(location, "reference pointer '" + pointer + "' is not a URL; not mapped");
            return null;
        }
        return new Attachment()
                .setContentType(mimeType(V2.component(rp, 3), upper(V2.component(rp, 4))))
                .setUrl(pointer);
    }

    private static String mimeType(String typeOfData, String subtype) {
        if (subtype != null && MIME_TYPES.containsKey(subtype)) {
            return MIME_TYPES.get(subtype);
        }
        if (subtype != null && subtype.contains("/")) {
            return subtype.toLowerCase(Locale.ROOT);
        }
        return "TEXT".equalsIgnoreCase(typeOfData) ? "text/plain" : "application/octet-stream";
    }

    private static String upper(String s) {
        return s == null ? null : s.strip().toUpperCase(Locale.ROOT);
    }
}
