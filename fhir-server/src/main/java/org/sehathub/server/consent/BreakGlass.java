package org.sehathub.server.consent;

import ca.uhn.fhir.jpa.api.dao.IFhirResourceDao;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import java.time.Clock;
import java.util.Date;
import java.util.HashSet;
import java.util.Set;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Flag;
import org.hl7.fhir.r4.model.Reference;
import org.sehathub.server.audit.AuditEvents;
import org.sehathub.server.audit.AuditTrail;
import org.sehathub.server.security.Caller;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Records a break-the-glass access, once per request and patient: an AuditEvent (purpose of use
 * {@code BTG}, the clinician, the patient, the reason) and a {@code Flag} in the patient's own
 * record, which her app shows her, saying who looked, when and why.
 */
public class BreakGlass {

    static final String ACT_REASON = "http://terminology.hl7.org/CodeSystem/v3-ActReason";
    public static final String FLAG_CODE_SYSTEM = "https://fhir.sehathub.pk/CodeSystem/flag";
    private static final String RECORDED = BreakGlass.class.getName() + ".recorded";

    private final AuditTrail audit;
    private final IFhirResourceDao<Flag> flags;
    private final TransactionTemplate ownTransaction;
    private final Clock clock;

    /** @param ownTransaction a transaction of its own: the request that breaks the glass is a read */
    public BreakGlass(AuditTrail audit, IFhirResourceDao<Flag> flags, TransactionTemplate ownTransaction, Clock clock) {
        this.audit = audit;
        this.flags = flags;
        this.ownTransaction = ownTransaction;
        this.clock = clock;
    }

    void record(RequestDetails request, Caller caller, String patient, String reason) {
        @SuppressWarnings("unchecked")
        Set<String> recorded =
                (Set<String>) request.getUserData().computeIfAbsent(RECORDED, k -> new HashSet<String>());
        if (!recorded.add(patient)) {
            return;
        }
        AuditEvent event = AuditEvents.event(
                AuditEvents.restType(),
                AuditEvents.subtype("break-glass"),
                AuditEvent.AuditEventAction.R,
                AuditEvent.AuditEventOutcome._0,
                "break glass: " + reason,
                new Reference()
                        .setIdentifier(new org.hl7.fhir.r4.model.Identifier()
                                .setSystem(PatientConsents.CLIENT_SYSTEM)
                                .setValue(caller.clientId())));
        event.addPurposeOfEvent(new CodeableConcept(new Coding(ACT_REASON, "BTG", "break the glass")));
        event.addAgent()
                .setWho(new Reference(caller.fhirUser()))
                .setRequestor(true)
                .setName(caller.fhirUser());
        AuditEvents.patient(event, new Reference("Patient/" + patient));
        audit.record(event);

        Flag flag = new Flag();
        flag.setStatus(Flag.FlagStatus.ACTIVE);
        flag.getCode()
                .addCoding(new Coding(FLAG_CODE_SYSTEM, "break-glass", "Emergency access to a restricted record"))
                .setText("Emergency access by " + caller.fhirUser() + ": " + reason);
        flag.setSubject(new Reference("Patient/" + patient));
        flag.getPeriod().setStart(Date.from(clock.instant()));
        // Named, not referenced: the Flag must be written whatever the registry holds about her.
        flag.setAuthor(new Reference()
                .setDisplay(caller.fhirUser())
                .setIdentifier(new org.hl7.fhir.r4.model.Identifier()
                        .setSystem("https://fhir.sehathub.pk/sid/fhir-resource")
                        .setValue(caller.fhirUser())));
        ownTransaction.executeWithoutResult(status -> flags.create(flag, new SystemRequestDetails()));
    }
}
