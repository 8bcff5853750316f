package org.sehathub.server.audit;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.servlet.ServletRequestDetails;
import ca.uhn.fhir.storage.interceptor.balp.BalpAuditCaptureInterceptor;
import java.util.Set;
import java.util.stream.Collectors;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.instance.model.api.IIdType;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventAction;

/**
 * The creates, updates and deletes of {@code /fhir} requests, for the audit trail. HAPI broadcasts
 * these pre-commit pointcuts on the JPA interceptor service only, not on the REST server's where
 * BALP sits for reads and searches; registered there, this hands a single write to BALP (one
 * AuditEvent, as BALP records it) and gathers the writes of a transaction or batch into its
 * {@link BundleWrites} (one event for the Bundle). Writes that did not come through {@code /fhir}
 * (the ingest, the audit writer itself) are system requests, audited their own way or not at all.
 */
public class WriteAudit {

    private final BalpAuditCaptureInterceptor balp;

    public WriteAudit(BalpAuditCaptureInterceptor balp) {
        this.balp = balp;
    }

    @Hook(Pointcut.STORAGE_PRECOMMIT_RESOURCE_CREATED)
    public void created(IBaseResource resource, RequestDetails request) {
        if (request instanceof ServletRequestDetails rest && !gathered(rest, resource, AuditEventAction.C)) {
            balp.hookStoragePrecommitResourceCreated(resource, rest);
        }
    }

    @Hook(Pointcut.STORAGE_PRECOMMIT_RESOURCE_UPDATED)
    public void updated(IBaseResource previous, IBaseResource updated, RequestDetails request) {
        if (request instanceof ServletRequestDetails rest && !gathered(rest, updated, AuditEventAction.U)) {
            balp.hookStoragePrecommitResourceUpdated(previous, updated, rest);
        }
    }

    @Hook(Pointcut.STORAGE_PRECOMMIT_RESOURCE_DELETED)
    public void deleted(IBaseResource resource, RequestDetails request) {
        if (request instanceof ServletRequestDetails rest && !gathered(rest, resource, AuditEventAction.D)) {
            balp.hookStoragePrecommitResourceDeleted(resource, rest);
        }
    }

    /** Adds a write of a Bundle's entry to its {@link BundleWrites}; false for a single write. */
    private static boolean gathered(ServletRequestDetails request, IBaseResource resource, AuditEventAction action) {
        if (!request.isSubRequest() && request.getRestOperationType() != RestOperationTypeEnum.TRANSACTION) {
            return false;
        }
        BundleWrites writes =
                (BundleWrites) request.getUserData().computeIfAbsent(BundleWrites.KEY, k -> new BundleWrites());
        writes.add(action, patientsOf(request, resource));
        return true;
    }

    private static Set<String> patientsOf(RequestDetails request, IBaseResource resource) {
        String type = request.getFhirContext().getResourceType(resource);
        if ("Patient".equals(type)) {
            return Set.of("Patient/" + resource.getIdElement().getIdPart());
        }
        return request
                .getFhirContext()
                .newTerser()
                .getCompartmentOwnersForResource("Patient", resource, Set.of())
                .stream()
                .map(IIdType::getIdPart)
                .map(id -> "Patient/" + id)
                .collect(Collectors.toSet());
    }
}
