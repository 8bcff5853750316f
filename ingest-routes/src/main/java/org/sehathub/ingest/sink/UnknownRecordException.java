package org.sehathub.ingest.sink;

/**
 * The message names a record the central record does not hold (a merge retiring a patient never
 * seen, a conditional reference that finds nothing): HL7 ERR-3 204, "unknown key identifier".
 * Nothing was stored; once the record arrives, a replay of the message succeeds. The reason never
 * quotes the server's text, which holds the match URL and so the identifier sought.
 */
public class UnknownRecordException extends BundleRejectedException {

    public UnknownRecordException(Throwable cause) {
        super(
                "unknown key identifier: a record this message names (such as the patient a merge retires) is not"
                        + " in the central record; nothing was stored, the message is kept and can be replayed once it is",
                cause);
    }
}
