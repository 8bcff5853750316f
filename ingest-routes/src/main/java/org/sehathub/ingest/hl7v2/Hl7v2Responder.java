package org.sehathub.ingest.hl7v2;

import ca.uhn.hl7v2.AcknowledgmentCode;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.component.mllp.MllpConstants;
import org.sehathub.ingest.IngestResponder;
import org.sehathub.ingest.Refusal;
import org.sehathub.ingest.Refused;
import org.sehathub.ingest.Stored;
import org.sehathub.ingest.http.HttpRequests;
import org.sehathub.mappers.MappingIssue;

/**
 * Answers an HL7 v2 message with its ACK: AA once the sink returned (stored, or stored before); AR
 * when the message itself is unacceptable; AE for everything else that stored nothing. The same
 * ACK goes back over MLLP (the {@code CamelMllpAcknowledgement} exchange property) and over HTTP
 * (the body, with a status that says the same thing: 200, 400, 409, 422, 503, 500).
 */
public class Hl7v2Responder implements IngestResponder {

    /** The media type of ER7-encoded HL7 v2. */
    public static final String MEDIA_TYPE = "x-application/hl7-v2+er7";

    /** ERR segments at most; a message with more problems names the first ones. */
    static final int MAX_ERRORS = 10;

    private final AckBuilder acks;

    public Hl7v2Responder(AckBuilder acks) {
        this.acks = acks;
    }

    /**
     * AA, with an ERR of severity W for each warning the mapping raised (a field left out or kept as
     * text): the sender learns what the record does not hold without having to resend.
     */
    @Override
    public void accepted(Exchange exchange, Stored stored) {
        List<AckBuilder.AckError> warnings = stored.mapped().issues(MappingIssue.Severity.WARNING).stream()
                .limit(MAX_ERRORS)
                .map(issue -> AckBuilder.AckError.warning(issue.location(), mappingCode(issue), issue.reason()))
                .toList();
        respond(exchange, AckHeader.of(stored.inbound()), AcknowledgmentCode.AA, warnings, 200);
    }

    @Override
    public void refused(Exchange exchange, Refused refused) {
        Refusal refusal = refused.refusal();
        AcknowledgmentCode code = switch (refusal.kind()) {
            case REJECTED, NOT_PERMITTED, TOO_LARGE -> AcknowledgmentCode.AR;
            default -> AcknowledgmentCode.AE;
        };
        List<AckBuilder.AckError> errors = refusal.issues().stream()
                .limit(MAX_ERRORS)
                .map(issue -> new AckBuilder.AckError(issue.location(), errorCode(refusal, issue), issue.reason()))
                .toList();
        respond(
                exchange,
                AckHeader.of(refused.inbound()),
                code,
                errors,
                refusal.kind().httpStatus());
    }

    private void respond(
            Exchange exchange,
            AckHeader header,
            AcknowledgmentCode code,
            List<AckBuilder.AckError> errors,
            int httpStatus) {
        byte[] ack = AckBuilder.bytes(acks.build(header, code, errors), header);
        exchange.setProperty(MllpConstants.MLLP_ACKNOWLEDGEMENT, ack);
        HttpRequests.response(
                exchange,
                httpStatus,
                MEDIA_TYPE + "; charset=" + header.charset().name(),
                ack);
    }

    /**
     * The ERR-3 code: the one the refusing step chose; 104 for a message too large; 103 for a
     * facility the sender is not registered for; for a mapping failure 100 (a required segment is
     * missing), 101 (a required field is empty) or 102 (a value is wrong); 207 otherwise.
     */
    static String errorCode(Refusal refusal, MappingIssue issue) {
        if (refusal.hl7ErrorCode() != null) {
            return refusal.hl7ErrorCode();
        }
        if (refusal.kind() == Refusal.Kind.TOO_LARGE) {
            return "104";
        }
        if (refusal.kind() == Refusal.Kind.NOT_PERMITTED) {
            // The facility is not in the sender's table of facilities (MSH-4, user table 0362).
            return "103";
        }
        if (refusal.kind() != Refusal.Kind.UNMAPPABLE) {
            return "207";
        }
        return mappingCode(issue);
    }

    /**
     * From the issue's typed location and kind: 100 (a segment), 101 (a value is empty), 103 (a code
     * not in its table), 102 (a value is wrong).
     */
    static String mappingCode(MappingIssue issue) {
        boolean segment = Hl7ErrorLocation.parse(issue.location())
                .map(Hl7ErrorLocation::isSegment)
                .orElse(false);
        if (segment) {
            return "100";
        }
        return switch (issue.kind()) {
            case MISSING -> "101";
            case UNKNOWN_CODE -> "103";
            default -> "102";
        };
    }
}
