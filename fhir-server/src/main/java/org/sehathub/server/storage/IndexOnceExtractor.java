package org.sehathub.server.storage;

import ca.uhn.fhir.interceptor.model.RequestPartitionId;
import ca.uhn.fhir.jpa.dao.index.SearchParamWithInlineReferencesExtractor;
import ca.uhn.fhir.jpa.model.entity.ResourceTable;
import ca.uhn.fhir.jpa.searchparam.extractor.ResourceIndexedSearchParams;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.api.server.storage.TransactionDetails;
import org.hl7.fhir.instance.model.api.IBaseResource;

/**
 * HAPI's search-parameter extractor, which leaves out the extraction HAPI discards: that of a new
 * resource in the first pass of a FHIR transaction ({@link TransactionFirstPass}).
 *
 * <p>Inside a FHIR transaction, HAPI writes a resource not yet in the database without indexing
 * ({@code thePerformIndexing} false) only in that first pass, and the extraction's result then sets
 * nothing but the entity's "has rows of this kind" flags, which the second pass sets again from
 * the real rows (the first-pass hash differs from the final one, so the second pass always sees a
 * change). An update's first pass (the entity exists) is left as HAPI does it.
 */
public class IndexOnceExtractor extends SearchParamWithInlineReferencesExtractor {

    @Override
    public void populateFromResource(
            RequestPartitionId partition,
            ResourceIndexedSearchParams params,
            TransactionDetails transaction,
            ResourceTable entity,
            IBaseResource resource,
            ResourceIndexedSearchParams existing,
            RequestDetails request,
            boolean performIndexing) {
        if (!performIndexing && transaction != null && transaction.isFhirTransaction() && isNew(entity)) {
            TransactionFirstPass.mark(resource);
            return;
        }
        TransactionFirstPass.clear(resource);
        super.populateFromResource(
                partition, params, transaction, entity, resource, existing, request, performIndexing);
    }

    private static boolean isNew(ResourceTable entity) {
        return entity.getId().getId() == null;
    }
}
