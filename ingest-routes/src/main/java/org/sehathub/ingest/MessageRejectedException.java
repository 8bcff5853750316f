package org.sehathub.ingest;

import java.util.List;
import org.sehathub.mappers.MappingIssue;

/**
 * The message itself is unacceptable before any mapping: unparseable, of a type or version we do
 * not take, for the wrong processing id, or missing what the transport needs to know who sent it.
 * HL7 answers it with AR, HTTP with 400. Mapping problems are {@link
 * org.sehathub.mappers.MappingException}s instead (AE, 422).
 */
public class MessageRejectedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient List<MappingIssue> issues;
    private final String hl7ErrorCode;

    /**
     * @param hl7ErrorCode the HL7 table 0357 code for ERR-3 (e.g. 200 unsupported message type)
     */
    public MessageRejectedException(String location, String reason, String hl7ErrorCode, Throwable cause) {
        super(location + ": " + reason, cause);
        this.issues = List.of(MappingIssue.error(location, reason));
        this.hl7ErrorCode = hl7ErrorCode;
    }

    public MessageRejectedException(String location, String reason, String hl7ErrorCode) {
        this(location, reason, hl7ErrorCode, null);
    }

    public List<MappingIssue> issues() {
        return issues;
    }

    public String hl7ErrorCode() {
        return hl7ErrorCode;
    }
}
