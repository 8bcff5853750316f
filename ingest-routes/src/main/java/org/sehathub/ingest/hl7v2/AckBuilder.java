package org.sehathub.ingest.hl7v2;

import ca.uhn.hl7v2.AcknowledgmentCode;
import ca.uhn.hl7v2.DefaultHapiContext;
import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.model.DataTypeException;
import ca.uhn.hl7v2.model.v28.datatype.CWE;
import ca.uhn.hl7v2.model.v28.datatype.ERL;
import ca.uhn.hl7v2.model.v28.message.ACK;
import ca.uhn.hl7v2.model.v28.segment.ERR;
import ca.uhn.hl7v2.model.v28.segment.MSA;
import ca.uhn.hl7v2.model.v28.segment.MSH;
import ca.uhn.hl7v2.parser.PipeParser;
import ca.uhn.hl7v2.validation.impl.ValidationContextFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.sehathub.mappers.hl7v2.Hl7v2Batch;

/**
 * Builds original-mode acknowledgements with HAPI's v2.8 ACK structure and pipe parser: MSH with
 * sending and receiving application and facility swapped and the inbound version kept, MSA-1 the
 * acknowledgement code and MSA-2 the inbound MSH-10, and one ERR per problem: ERR-2 where (segment,
 * sequence, field, repetition, component), ERR-3 what (HL7 table 0357), ERR-4 severity (E, or W on
 * an AA for what was left out of a stored message), ERR-8 the reason in words.
 *
 * <p>The v2.8 structure is used for every inbound version (the mappers parse into v2.8 too). MSH-12
 * carries the sender's version, so its parser accepts the ACK; ERR-2/3/4/8 exist from v2.5, and a
 * v2.3/v2.4 receiver that only knows ERR-1 still reads MSA-1 and MSA-2.
 *
 * <p>Thread-safe.
 */
public class AckBuilder {

    /** Who we are when the inbound message did not name its receiver (MSH-5/MSH-6 empty). */
    public static final String HUB = "SEHATHUB";

    // Pakistan Standard Time has no daylight saving, so a fixed offset is exact.
    private static final DateTimeFormatter MSH7 =
            DateTimeFormatter.ofPattern("yyyyMMddHHmmssZ").withZone(ZoneOffset.ofHours(5));

    private final Clock clock;
    private final PipeParser parser;

    public AckBuilder(Clock clock) {
        this.clock = clock;
        // The ACK is ours and correct by construction; HAPI's validation would only cost time.
        this.parser = new DefaultHapiContext(ValidationContextFactory.noValidation()).getPipeParser();
    }

    /**
     * One problem for an ERR segment.
     *
     * @param location the mappers' location ({@code PID-7}); null or non-HL7 leaves ERR-2 empty
     * @param code HL7 table 0357 error condition code, e.g. {@code 102}
     * @param userMessage the reason, for ERR-8
     * @param severity ERR-4, HL7 table 0516: {@code E} an error (nothing stored), {@code W} a warning
     *     about a message stored anyway
     */
    public record AckError(String location, String code, String userMessage, String severity) {

        /** An error: the message was not stored. */
        public AckError(String location, String code, String userMessage) {
            this(location, code, userMessage, "E");
        }

        /** A warning: the message was stored, without what the location held or with it as text. */
        public static AckError warning(String location, String code, String userMessage) {
            return new AckError(location, code, userMessage, "W");
        }
    }

    /** The ACK as ER7 text, segments ended by carriage returns. */
    public String build(AckHeader inbound, AcknowledgmentCode code, List<AckError> errors) {
        try {
            ACK ack = new ACK();
            ack.setParser(parser);
            header(ack.getMSH(), inbound);
            MSA msa = ack.getMSA();
            msa.getAcknowledgmentCode().setValue(code.name());
            msa.getMessageControlID().setValue(inbound.controlId());
            for (int i = 0; i < errors.size(); i++) {
                err(ack.getERR(i), errors.get(i));
            }
            return parser.encode(ack);
        } catch (HL7Exception e) {
            throw new IllegalStateException("cannot build an ACK", e);
        }
    }

    /**
     * A batch acknowledgement (standard section 2.10.3): the sender's file and batch headers
     * answered with ours (sender and receiver swapped, FHS-12/BHS-12 naming their control ids), then
     * each message's ACK in the order the messages came, then BTS (how many ACKs; what did not add
     * up in the envelope as the comment) and FTS when the sender sent a file header.
     *
     * @param fileHeader the sender's FHS, or null
     * @param batchHeader the sender's BHS, or null
     * @param messageAcks each message's ACK, segments ended with a carriage return
     * @param problems what is wrong with the envelope, for BTS-2
     */
    public String batch(String fileHeader, String batchHeader, List<String> messageAcks, List<String> problems) {
        StringBuilder out = new StringBuilder();
        String now = MSH7.format(clock.instant());
        if (fileHeader != null) {
            out.append(envelopeHeader("FHS", fileHeader, now)).append('\r');
        }
        out.append(envelopeHeader("BHS", batchHeader != null ? batchHeader : fileHeader, now))
                .append('\r');
        messageAcks.forEach(ack -> out.append(ack.endsWith("\r") ? ack : ack + "\r"));
        out.append("BTS|").append(messageAcks.size());
        if (!problems.isEmpty()) {
            out.append('|').append(escape(String.join("; ", problems)));
        }
        out.append('\r');
        if (fileHeader != null) {
            out.append("FTS|1\r");
        }
        return out.toString();
    }

    private static String envelopeHeader(String name, String theirs, String now) {
        String[] f = new String[13];
        f[3] = orHub(Hl7v2Batch.field(theirs, 5));
        f[4] = orHub(Hl7v2Batch.field(theirs, 6));
        f[5] = Hl7v2Batch.field(theirs, 3);
        f[6] = Hl7v2Batch.field(theirs, 4);
        f[7] = now;
        f[11] = newControlId();
        f[12] = Hl7v2Batch.field(theirs, 11);
        StringBuilder segment = new StringBuilder(name).append("|^~\\&");
        for (int i = 3; i <= 12; i++) {
            segment.append('|').append(f[i] == null ? "" : f[i]);
        }
        return segment.toString().replaceAll("\\|+$", "");
    }

    /** Text for an ST field: the default separators escaped (standard section 2.7.4). */
    private static String escape(String text) {
        return text.replace("\\", "\\E\\")
                .replace("|", "\\F\\")
                .replace("^", "\\S\\")
                .replace("&", "\\T\\")
                .replace("~", "\\R\\")
                .replace('\r', ' ')
                .replace('\n', ' ');
    }

    private void header(MSH msh, AckHeader in) throws DataTypeException {
        msh.getFieldSeparator().setValue("|");
        msh.getEncodingCharacters().setValue("^~\\&");
        msh.getSendingApplication().getNamespaceID().setValue(orHub(in.receivingApplication()));
        msh.getSendingFacility().getNamespaceID().setValue(orHub(in.receivingFacility()));
        msh.getReceivingApplication().getNamespaceID().setValue(in.sendingApplication());
        msh.getReceivingFacility().getNamespaceID().setValue(in.sendingFacility());
        msh.getDateTimeOfMessage().setValue(MSH7.format(clock.instant()));
        msh.getMessageType().getMessageCode().setValue("ACK");
        msh.getMessageType().getTriggerEvent().setValue(in.triggerEvent());
        msh.getMessageType().getMessageStructure().setValue("ACK");
        msh.getMessageControlID().setValue(newControlId());
        msh.getProcessingID().getProcessingID().setValue(in.processingId() != null ? in.processingId() : "P");
        msh.getVersionID().getVersionID().setValue(in.version() != null ? in.version() : "2.5");
        if (in.characterSet() != null) {
            try {
                msh.getCharacterSet(0).setValue(in.characterSet());
            } catch (HL7Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private static void err(ERR err, AckError error) throws HL7Exception {
        Hl7ErrorLocation.parse(error.location()).ifPresent(location -> {
            try {
                ERL erl = err.getErrorLocation(0);
                erl.getSegmentID().setValue(location.segmentId());
                erl.getSegmentSequence().setValue(String.valueOf(location.segmentSequence()));
                if (location.fieldPosition() != null) {
                    erl.getFieldPosition().setValue(String.valueOf(location.fieldPosition()));
                    erl.getFieldRepetition()
                            .setValue(String.valueOf(
                                    location.fieldRepetition() != null ? location.fieldRepetition() : 1));
                }
                if (location.component() != null) {
                    erl.getComponentNumber().setValue(String.valueOf(location.component()));
                }
            } catch (DataTypeException e) {
                throw new IllegalStateException(e);
            }
        });
        CWE hl7Code = err.getHL7ErrorCode();
        hl7Code.getIdentifier().setValue(error.code());
        hl7Code.getText().setValue(codeText(error.code()));
        hl7Code.getNameOfCodingSystem().setValue("HL70357");
        err.getSeverity().setValue(error.severity());
        err.getUserMessage().setValue(error.userMessage());
    }

    /** HL7 table 0357, message error condition codes: the codes and their displays. */
    static final Map<String, String> TABLE_0357 = Map.ofEntries(
            Map.entry("0", "Message accepted"),
            Map.entry("100", "Segment sequence error"),
            Map.entry("101", "Required field missing"),
            Map.entry("102", "Data type error"),
            Map.entry("103", "Table value not found"),
            Map.entry("104", "Value too long"),
            Map.entry("200", "Unsupported message type"),
            Map.entry("201", "Unsupported event code"),
            Map.entry("202", "Unsupported processing id"),
            Map.entry("203", "Unsupported version id"),
            Map.entry("204", "Unknown key identifier"),
            Map.entry("205", "Duplicate key identifier"),
            Map.entry("206", "Application record locked"),
            Map.entry("207", "Application internal error"));

    static String codeText(String code) {
        return TABLE_0357.get(code);
    }

    /** A fresh MSH-10 for the ACK itself: 20 characters, the limit before v2.5. */
    private static String newControlId() {
        return "ACK" + UUID.randomUUID().toString().replace("-", "").substring(0, 17);
    }

    private static String orHub(String value) {
        return value != null && !value.isBlank() ? value : HUB;
    }

    /** Encodes an ACK for the wire in the inbound message's character set. */
    public static byte[] bytes(String ack, AckHeader inbound) {
        try {
            return ack.getBytes(inbound.charset());
        } catch (RuntimeException e) {
            throw new UncheckedIOException(new IOException("cannot encode the ACK", e));
        }
    }
}
