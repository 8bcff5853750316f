package org.sehathub.server.audit;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.AuditEvent;

/**
 * AuditEvents are written by the server only, into its own tables ({@link AuditEventStore}), never
 * into HAPI's resource tables: {@link AuditEventProvider} refuses writes at {@code /fhir/AuditEvent},
 * and these hooks refuse what would reach HAPI's storage another way (an entry of a transaction or
 * batch), with 403, whoever asks, operators included.
 */
public class AuditEventProtection {

    @Hook(Pointcut.STORAGE_PRESTORAGE_RESOURCE_CREATED)
    public void created(RequestDetails request, IBaseResource resource) {
        refuse(resource);
    }

    @Hook(Pointcut.STORAGE_PRESTORAGE_RESOURCE_UPDATED)
    public void updated(RequestDetails request, IBaseResource previous) {
        refuse(previous);
    }

    @Hook(Pointcut.STORAGE_PRESTORAGE_RESOURCE_DELETED)
    public void deleted(RequestDetails request, IBaseResource resource) {
        refuse(resource);
    }

    private static void refuse(IBaseResource resource) {
        if (resource instanceof AuditEvent) {
            throw new ForbiddenOperationException("AuditEvents are written by the server only");
        }
    }
}
