package org.sehathub.ingest.sink;

/** The central record refused the bundle for a reason a resend will not fix; nothing was stored. */
public class BundleRejectedException extends RuntimeException {

    public BundleRejectedException(String reason, Throwable cause) {
        super(reason, cause);
    }
}
