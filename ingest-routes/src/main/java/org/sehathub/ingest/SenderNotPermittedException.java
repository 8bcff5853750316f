package org.sehathub.ingest;

/**
 * The authenticated sender may not send for the facility the message names: another hospital's
 * data, or no facility at all. HL7 answers AR, HTTP 403; the message is kept as a dead letter.
 */
public class SenderNotPermittedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String location;

    /**
     * @param location where the facility was read (MSH-4, X-Sehat-Facility)
     * @param reason what is wrong, naming the sender and the facility (never a patient identity)
     */
    public SenderNotPermittedException(String location, String reason) {
        super(location + ": " + reason);
        this.location = location;
    }

    public String location() {
        return location;
    }

    public String reason() {
        return getMessage().substring(location.length() + 2);
    }
}
