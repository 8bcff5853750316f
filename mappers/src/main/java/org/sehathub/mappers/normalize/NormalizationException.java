package org.sehathub.mappers.normalize;

/**
 * A value that a normalization rule refuses. The message is a human reason without the location;
 * the caller knows where the value came from and adds it (see {@code MappingIssue}).
 */
public class NormalizationException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public NormalizationException(String reason) {
        super(reason);
    }

    public NormalizationException(String reason, Throwable cause) {
        super(reason, cause);
    }

    /** The human reason, same as {@link #getMessage()}. */
    public String getReason() {
        return getMessage();
    }
}
