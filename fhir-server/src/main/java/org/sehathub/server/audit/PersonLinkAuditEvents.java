package org.sehathub.server.audit;

import java.util.List;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventAction;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventOutcome;
import org.hl7.fhir.r4.model.Reference;
import org.sehathub.server.mpi.PersonLinkEvents;

/**
 * One AuditEvent per operator decision about persons (subtype {@code person-review-same},
 * {@code person-review-different}, {@code person-split}, {@code person-merge}): the operator, the
 * records concerned as patients, and why it was refused when it was.
 */
public class PersonLinkAuditEvents implements PersonLinkEvents {

    private final AuditTrail trail;

    public PersonLinkAuditEvents(AuditTrail trail) {
        this.trail = trail;
    }

    @Override
    public void decided(String action, List<String> patients, String refusal) {
        AuditEvent event = AuditEvents.event(
                AuditEvents.restType(),
                AuditEvents.subtype("person-" + action),
                AuditEventAction.U,
                refusal == null ? AuditEventOutcome._0 : AuditEventOutcome._4,
                refusal,
                CallerAuditContext.client());
        patients.forEach(patient -> AuditEvents.patient(event, new Reference(patient)));
        trail.record(event);
    }
}
