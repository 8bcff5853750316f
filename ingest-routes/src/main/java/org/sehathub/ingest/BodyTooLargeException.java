package org.sehathub.ingest;

/** A request body over {@code sehat.ingest.http.max-body-bytes}. */
public class BodyTooLargeException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public BodyTooLargeException(long size, long limit) {
        super("the body has " + (size < 0 ? "more than " + limit : String.valueOf(size)) + " bytes; the limit is "
                + limit);
    }
}
