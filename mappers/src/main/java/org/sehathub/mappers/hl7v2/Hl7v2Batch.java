package org.sehathub.mappers.hl7v2;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * An HL7 v2 batch (standard section 2.10.3): an optional file header (FHS), a batch header (BHS),
 * messages each starting with MSH, a batch trailer (BTS) and a file trailer (FTS).
 *
 * <p>The batch is split on bytes, at segment ends ({@code \r}, {@code \n} or both), so that each
 * message keeps its own bytes and is decoded with its own MSH-18 like any single message. The
 * header segments are kept as text (ISO-8859-1: their fields are plain ASCII) to answer with a
 * batch acknowledgement. What does not add up (a trailer count that differs from the messages
 * found, segments outside any message) is reported in {@link #problems()}, never a reason to drop
 * the messages.
 *
 * @param fileHeader the FHS segment, or null
 * @param batchHeader the BHS segment, or null
 * @param messages each message's bytes, segments ended with {@code \r}
 * @param problems what is wrong with the envelope, for the batch acknowledgement's comment
 */
public record Hl7v2Batch(String fileHeader, String batchHeader, List<byte[]> messages, List<String> problems) {

    /** True when the payload starts with FHS or BHS (after a byte-order mark, MLLP framing, blanks). */
    public static boolean isBatch(byte[] payload) {
        int i = contentStart(payload);
        return startsWith(payload, i, "FHS") || startsWith(payload, i, "BHS");
    }

    /** Splits a batch; a payload that is a single message comes back as a batch of one. */
    public static Hl7v2Batch split(byte[] payload) {
        String fileHeader = null;
        String batchHeader = null;
        List<ByteArrayOutputStream> messages = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        ByteArrayOutputStream current = null;
        Integer batchCount = null;
        Integer fileCount = null;
        int batches = 0;
        int orphanSegments = 0;
        for (byte[] segment : segments(payload)) {
            String name = segment.length >= 3 ? new String(segment, 0, 3, StandardCharsets.ISO_8859_1) : "";
            switch (name) {
                case "FHS" -> fileHeader = text(segment);
                case "BHS" -> {
                    batches++;
                    if (batchHeader == null) {
                        batchHeader = text(segment);
                    }
                }
                case "BTS" -> batchCount = count(text(segment), problems, "BTS-1");
                case "FTS" -> fileCount = count(text(segment), problems, "FTS-1");
                case "MSH" -> {
                    current = new ByteArrayOutputStream();
                    messages.add(current);
                    append(current, segment);
                }
                default -> {
                    if (current == null) {
                        orphanSegments++;
                    } else {
                        append(current, segment);
                    }
                }
            }
            if (name.equals("BTS") || name.equals("FTS") || name.equals("BHS")) {
                current = null;
            }
        }
        if (orphanSegments > 0) {
            problems.add(orphanSegments + " segment(s) outside any message (before its MSH) were ignored");
        }
        if (batchCount != null && batches <= 1 && batchCount != messages.size()) {
            problems.add("BTS-1 says " + batchCount + " message(s); " + messages.size() + " found");
        }
        if (fileCount != null && fileCount != Math.max(batches, 1)) {
            problems.add("FTS-1 says " + fileCount + " batch(es); " + Math.max(batches, 1) + " found");
        }
        if (batchHeader != null && batchCount == null) {
            problems.add("no BTS batch trailer");
        }
        return new Hl7v2Batch(
                fileHeader,
                batchHeader,
                messages.stream().map(ByteArrayOutputStream::toByteArray).toList(),
                List.copyOf(problems));
    }

    /** Field {@code n} of a header segment (FHS-n or BHS-n as the standard counts), or null. */
    public static String field(String headerSegment, int n) {
        if (headerSegment == null || headerSegment.length() < 4) {
            return null;
        }
        String[] fields = headerSegment.split(Pattern.quote(String.valueOf(headerSegment.charAt(3))), -1);
        // As in MSH, field 1 is the separator itself: FHS-n is fields[n - 1].
        String value = n >= 2 && n - 1 < fields.length ? fields[n - 1].strip() : null;
        return value == null || value.isEmpty() ? null : value;
    }

    private static Integer count(String trailer, List<String> problems, String location) {
        String[] fields =
                trailer.split(Pattern.quote(String.valueOf(trailer.length() > 3 ? trailer.charAt(3) : '|')), -1);
        String value = fields.length > 1 ? fields[1].strip() : "";
        if (value.isEmpty()) {
            return null;
        }
        try {
            return Integer.valueOf(value);
        } catch (NumberFormatException e) {
            problems.add(location + " '" + value + "' is not a count");
            return null;
        }
    }

    /** The non-blank segments, without their terminators, framing bytes or a leading BOM. */
    private static List<byte[]> segments(byte[] payload) {
        List<byte[]> out = new ArrayList<>();
        int start = contentStart(payload);
        for (int i = start; i <= payload.length; i++) {
            if (i == payload.length || payload[i] == '\r' || payload[i] == '\n') {
                int from = start;
                int to = i;
                while (from < to && (payload[from] == ' ' || payload[from] == '\t' || payload[from] == 0x0b)) {
                    from++;
                }
                while (to > from && payload[to - 1] == 0x1c) {
                    to--;
                }
                if (to > from) {
                    byte[] segment = new byte[to - from];
                    System.arraycopy(payload, from, segment, 0, segment.length);
                    out.add(segment);
                }
                start = i + 1;
            }
        }
        return out;
    }

    private static int contentStart(byte[] payload) {
        int i = 0;
        if (payload.length >= 3
                && (payload[0] & 0xff) == 0xef
                && (payload[1] & 0xff) == 0xbb
                && (payload[2] & 0xff) == 0xbf) {
            i = 3;
        }
        while (i < payload.length && (payload[i] == 0x0b || Character.isWhitespace(payload[i]))) {
            i++;
        }
        return i;
    }

    private static boolean startsWith(byte[] payload, int at, String prefix) {
        if (payload.length < at + prefix.length()) {
            return false;
        }
        for (int k = 0; k < prefix.length(); k++) {
            if (payload[at + k] != prefix.charAt(k)) {
                return false;
            }
        }
        return true;
    }

    private static void append(ByteArrayOutputStream out, byte[] segment) {
        out.writeBytes(segment);
        out.write('\r');
    }

    private static String text(byte[] segment) {
        return new String(segment, StandardCharsets.ISO_8859_1);
    }
}
