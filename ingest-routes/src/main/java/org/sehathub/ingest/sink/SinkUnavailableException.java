package org.sehathub.ingest.sink;

/** The central record could not store the bundle now (database unreachable); nothing was stored. */
public class SinkUnavailableException extends RuntimeException {

    public SinkUnavailableException(String reason, Throwable cause) {
        super(reason, cause);
    }
}
