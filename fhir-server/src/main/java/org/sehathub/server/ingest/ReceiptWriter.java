package org.sehathub.server.ingest;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import java.util.ArrayList;
import java.util.List;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.sehathub.ingest.sink.MessageReceipt;

/**
 * Writes one message's receipt from inside HAPI's database transaction, after every entry of the
 * FHIR transaction has been written and before it commits: the resources and the receipt commit or
 * roll back together. Registered on the request of that one message only.
 *
 * <p>The receipt lists the resources the message created or changed, collected from HAPI's
 * pre-commit hooks (a conditional create that matched an existing resource wrote nothing and is not
 * listed); a resend is answered with the same list.
 */
@Interceptor
class ReceiptWriter {

    private final MessageReceipts receipts;
    private final MessageReceipt receipt;
    private final List<String> written = new ArrayList<>();
    private boolean recorded;

    ReceiptWriter(MessageReceipts receipts, MessageReceipt receipt) {
        this.receipts = receipts;
        this.receipt = receipt;
    }

    @Hook(Pointcut.STORAGE_PRECOMMIT_RESOURCE_CREATED)
    public void created(IBaseResource resource) {
        add(resource);
    }

    @Hook(Pointcut.STORAGE_PRECOMMIT_RESOURCE_UPDATED)
    public void updated(IBaseResource previous, IBaseResource resource) {
        add(resource);
    }

    @Hook(Pointcut.STORAGE_TRANSACTION_PROCESSED)
    public void writeReceipt() {
        receipts.insert(receipt, written);
        recorded = true;
    }

    /** Versionless ids of what the message created or changed, in the order HAPI wrote them. */
    List<String> writtenIds() {
        if (!recorded) {
            throw new IllegalStateException("HAPI committed a transaction without calling the receipt hook");
        }
        return List.copyOf(written);
    }

    private void add(IBaseResource resource) {
        String id = resource.getIdElement().toUnqualifiedVersionless().getValue();
        if (!written.contains(id)) {
            written.add(id);
        }
    }
}
