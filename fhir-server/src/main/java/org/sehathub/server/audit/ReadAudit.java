package org.sehathub.server.audit;

import ca.uhn.fhir.rest.server.servlet.ServletRequestDetails;
import ca.uhn.fhir.storage.interceptor.balp.BalpAuditCaptureInterceptor;
import ca.uhn.fhir.storage.interceptor.balp.IBalpAuditContextServices;
import ca.uhn.fhir.storage.interceptor.balp.IBalpAuditEventSink;
import org.hl7.fhir.instance.model.api.IBaseResource;

/**
 * HAPI's BALP interceptor for what {@code /fhir} shows (reads, searches, {@code $everything}),
 * registered on the REST server. Its write hooks do nothing here: HAPI delivers pre-commit
 * pointcuts to the REST server's interceptors for a transaction's entries but not for a single
 * write, so writes go through {@link WriteAudit} alone, which records each exactly once.
 */
public class ReadAudit extends BalpAuditCaptureInterceptor {

    public ReadAudit(IBalpAuditEventSink sink, IBalpAuditContextServices context) {
        super(sink, context);
    }

    @Override
    public void hookStoragePrecommitResourceCreated(IBaseResource resource, ServletRequestDetails request) {
        // WriteAudit's
    }

    @Override
    public void hookStoragePrecommitResourceUpdated(
            IBaseResource previous, IBaseResource updated, ServletRequestDetails request) {
        // WriteAudit's
    }

    @Override
    public void hookStoragePrecommitResourceDeleted(IBaseResource resource, ServletRequestDetails request) {
        // WriteAudit's
    }
}
