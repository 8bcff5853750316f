package org.sehathub.server.audit;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.storage.interceptor.balp.BalpConstants;
import ca.uhn.fhir.storage.interceptor.balp.IBalpAuditEventSink;
import org.hl7.fhir.instance.model.api.IIdType;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventAction;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Reference;

/**
 * One AuditEvent for every FHIR request answered with an error (403 refused, 404 not found or not
 * visible, 400, 413, 5xx): HAPI's BALP interceptor records only what succeeded. Its subtype is the
 * FHIR interaction, its entity what was asked for (the resource by id, or the type), its patient
 * entity the patient asked for by id; the outcome description is the HTTP status and the kind of
 * error, never the error's text (which may quote a match URL).
 */
public class RefusedRequestAudit {

    private final IBalpAuditEventSink sink;

    public RefusedRequestAudit(IBalpAuditEventSink sink) {
        this.sink = sink;
    }

    @Hook(Pointcut.SERVER_HANDLE_EXCEPTION)
    public boolean refused(RequestDetails request, BaseServerResponseException exception) {
        RestOperationTypeEnum operation = request.getRestOperationType();
        String interaction = operation != null ? operation.getCode() : "unknown";
        AuditEvent event = AuditEvents.event(
                AuditEvents.restType(),
                new Coding(BalpConstants.CS_RESTFUL_INTERACTION, interaction, null),
                actionOf(operation),
                AuditEvents.outcomeOf(exception.getStatusCode()),
                exception.getStatusCode() + " " + exception.getClass().getSimpleName(),
                CallerAuditContext.client());
        IIdType id = request.getId();
        if (id != null && id.hasIdPart() && request.getResourceName() != null) {
            Reference target = new Reference(request.getResourceName() + "/" + id.getIdPart());
            AuditEvents.about(event, target);
            if ("Patient".equals(request.getResourceName())) {
                AuditEvents.patient(event, target);
            }
        } else if (request.getResourceName() != null) {
            AuditEvents.about(event, new Reference().setType(request.getResourceName()));
        }
        sink.recordAuditEvent(event);
        return true;
    }

    private static AuditEventAction actionOf(RestOperationTypeEnum operation) {
        if (operation == null) {
            return AuditEventAction.E;
        }
        return switch (operation) {
            case CREATE -> AuditEventAction.C;
            case READ, VREAD, HISTORY_INSTANCE, HISTORY_TYPE, HISTORY_SYSTEM -> AuditEventAction.R;
            case UPDATE, PATCH, META_ADD, META_DELETE -> AuditEventAction.U;
            case DELETE -> AuditEventAction.D;
            default -> AuditEventAction.E;
        };
    }
}
