package org.sehathub.server.audit;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.storage.interceptor.balp.BalpConstants;
import ca.uhn.fhir.storage.interceptor.balp.IBalpAuditEventSink;
import java.util.Set;
import org.hl7.fhir.instance.model.api.IIdType;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Reference;

/**
 * One AuditEvent for every FHIR operation that succeeded ({@code $export}, its status polls,
 * {@code $everything}, {@code $validate}, {@code $meta}, {@code $reindex}, ...), subtype the
 * operation's name: BALP records what an operation showed, resource by resource, but not that the
 * operation was asked for (a Bulk export's kick-off shows nothing). And one for every transaction
 * or batch that succeeded, with what its entries wrote ({@link BundleWrites}). Refused ones are
 * {@link RefusedRequestAudit}'s.
 */
public class OperationAudit {

    private static final Set<RestOperationTypeEnum> OPERATIONS = Set.of(
            RestOperationTypeEnum.EXTENDED_OPERATION_SERVER,
            RestOperationTypeEnum.EXTENDED_OPERATION_TYPE,
            RestOperationTypeEnum.EXTENDED_OPERATION_INSTANCE);

    private final IBalpAuditEventSink sink;

    public OperationAudit(IBalpAuditEventSink sink) {
        this.sink = sink;
    }

    @Hook(Pointcut.SERVER_PROCESSING_COMPLETED_NORMALLY)
    public void completed(RequestDetails request) {
        if (request.getRestOperationType() == RestOperationTypeEnum.TRANSACTION) {
            bundle(request);
            return;
        }
        if (!OPERATIONS.contains(request.getRestOperationType()) || request.getOperation() == null) {
            return;
        }
        AuditEvent event = AuditEvents.event(
                AuditEvents.restType(),
                new Coding(BalpConstants.CS_RESTFUL_INTERACTION, "operation", null),
                AuditEvent.AuditEventAction.E,
                AuditEvent.AuditEventOutcome._0,
                null,
                CallerAuditContext.client());
        event.addSubtype(AuditEvents.subtype(request.getOperation()));
        IIdType id = request.getId();
        if (id != null && id.hasIdPart() && request.getResourceName() != null) {
            Reference target = new Reference(request.getResourceName() + "/" + id.getIdPart());
            AuditEvents.about(event, target);
            if ("Patient".equals(request.getResourceName())) {
                AuditEvents.patient(event, new Reference(target.getReference()));
            }
        } else if (request.getResourceName() != null) {
            AuditEvents.about(event, new Reference().setType(request.getResourceName()));
        }
        sink.recordAuditEvent(event);
    }

    private void bundle(RequestDetails request) {
        BundleWrites writes = (BundleWrites) request.getUserData().get(BundleWrites.KEY);
        if (writes == null) {
            // Reads only (a batch of GETs): BALP recorded each.
            return;
        }
        AuditEvent event = AuditEvents.event(
                AuditEvents.restType(),
                new Coding(BalpConstants.CS_RESTFUL_INTERACTION, "transaction", null),
                AuditEvent.AuditEventAction.E,
                AuditEvent.AuditEventOutcome._0,
                writes.counts(),
                CallerAuditContext.client());
        AuditEvents.about(event, new Reference().setType("Bundle"));
        writes.patients().forEach(patient -> AuditEvents.patient(event, new Reference(patient)));
        sink.recordAuditEvent(event);
    }
}
