package org.sehathub.server.config;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.PayloadTooLargeException;
import org.hl7.fhir.r4.model.Bundle;

/**
 * Refuses a transaction or batch Bundle with more entries than {@code sehat.fhir.max-bundle-entries}
 * (413 with an OperationOutcome) before any entry is processed. HAPI's own limit
 * ({@code JpaStorageSettings.maximumTransactionBundleSize}, set to the same number) covers
 * transactions only, ingested ones included; this covers batches too.
 */
public class BundleEntryLimit {

    private final int maxEntries;

    public BundleEntryLimit(int maxEntries) {
        this.maxEntries = maxEntries;
    }

    @Hook(Pointcut.SERVER_INCOMING_REQUEST_PRE_HANDLED)
    public void check(RequestDetails request, RestOperationTypeEnum operation) {
        if (operation == RestOperationTypeEnum.TRANSACTION
                && request.getResource() instanceof Bundle bundle
                && bundle.getEntry().size() > maxEntries) {
            throw new PayloadTooLargeException(
                    "The Bundle has " + bundle.getEntry().size() + " entries; the limit is " + maxEntries
                            + " (sehat.fhir.max-bundle-entries). Send it as several Bundles.");
        }
    }
}
