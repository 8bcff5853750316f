package org.sehathub.ingest.sink;

import org.hl7.fhir.r4.model.Bundle;

/**
 * Where the routes hand what they mapped: the central record. The FHIR server implements it
 * in-process (one database transaction per call); it could equally be implemented over REST when
 * ingest runs on nodes of its own.
 *
 * <p>Exactly-once is the sink's job: the bundle and the message's {@link MessageReceipt} are
 * committed together, so a message whose receipt exists was stored, and storing the same message
 * again stores nothing.
 */
public interface BundleSink {

    /**
     * Stores a transaction bundle and records its receipt, atomically; returns only after commit.
     *
     * @return {@link StoreOutcome#duplicate()} true, with the ids stored the first time, when a
     *     receipt with the same channel, sender and message id and the same content hash exists
     * @throws ConflictingResendException the message id was used before for different content
     * @throws BundleRejectedException the server refused the bundle (invalid reference, validation);
     *     nothing was stored, and sending it again will not help
     * @throws SinkUnavailableException the database could not be reached or the transaction failed
     *     for a transient reason; nothing was stored, and sending it again later may succeed
     */
    StoreOutcome store(Bundle transaction, MessageReceipt receipt);

    /**
     * Stores a transaction Bundle the sender wrote itself (not one our mappers made from its
     * message), with no more rights than the sender has over {@code /fhir}: its conditional URLs
     * and references match only the resources of {@code receipt.facility()}, it updates and deletes
     * only those, and it uses no other facility's identifier namespace. Otherwise as {@link #store}.
     *
     * @throws UnknownRecordException an entry updates or deletes a resource that is not the facility's
     */
    StoreOutcome storeAsSender(Bundle transaction, MessageReceipt receipt);
}
