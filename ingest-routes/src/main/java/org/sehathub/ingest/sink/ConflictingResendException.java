package org.sehathub.ingest.sink;

/** The sender reused a message id for different content; nothing was stored. */
public class ConflictingResendException extends RuntimeException {

    public ConflictingResendException(MessageReceipt receipt) {
        super("Message id " + receipt.messageId() + " from " + receipt.sender()
                + " was already used for a message with different content");
    }
}
