package org.sehathub.ingest;

/**
 * A message within the byte limit that holds more parts than a source may send at once (HL7
 * segments or OBX, CSV rows): refused as too large (HL7 AR with ERR-3 104, HTTP 413), and not kept.
 */
public class LimitExceededException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String location;

    /**
     * @param location what was counted (an HL7 segment id, {@code rows})
     * @param count how many the message holds
     * @param limit how many are accepted
     * @param setting the property that sets the limit
     */
    public LimitExceededException(String location, long count, long limit, String setting) {
        super(count + " " + location + (location.equals("rows") ? "" : " segments") + "; the limit is " + limit + " ("
                + setting + "); send it in smaller parts");
        this.location = location;
    }

    public String location() {
        return location;
    }
}
