package org.sehathub.server.audit;

import ca.uhn.fhir.storage.interceptor.balp.BalpConstants;
import java.util.Date;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventAction;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventOutcome;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Reference;

/**
 * AuditEvents of what HAPI's BALP interceptor does not see: refused FHIR requests, ingested and
 * refused messages, tokens issued and refused, dead letters read, replayed and discarded. Shaped
 * like BALP's (type, subtype, action, outcome, a client agent, the server as source, entities with
 * their roles), so one search finds both. No names or payloads: references, identifiers, codes.
 */
public final class AuditEvents {

    /** Our own subtypes, for events FHIR's restful-interaction codes do not name. */
    public static final String SUBTYPE_SYSTEM = "https://fhir.sehathub.pk/CodeSystem/audit-subtype";
    /** DICOM's audit event types (IHE): import, user authentication. */
    static final String DICOM = "http://dicom.nema.org/resources/ontology/DCM";

    private static final Coding SERVER =
            new Coding("http://terminology.hl7.org/CodeSystem/v3-RoleClass", "ASSIGNED", "assigned entity");

    private AuditEvents() {}

    /**
     * An event with its type, subtype, action and outcome, the calling client as requesting agent
     * and this server as source; the caller adds entities.
     *
     * @param outcomeDetail why it failed, a code or status, never a value from the request
     */
    public static AuditEvent event(
            Coding type,
            Coding subtype,
            AuditEventAction action,
            AuditEventOutcome outcome,
            String outcomeDetail,
            Reference client) {
        AuditEvent event = new AuditEvent();
        event.setType(type);
        event.addSubtype(subtype);
        event.setAction(action);
        event.setRecorded(new Date());
        event.setOutcome(outcome);
        if (outcomeDetail != null) {
            event.setOutcomeDesc(outcomeDetail);
        }
        event.addAgent()
                .setWho(client)
                .setRequestor(true)
                .getType()
                .addCoding(new Coding("http://dicom.nema.org/resources/ontology/DCM", "110153", "Source Role ID"));
        event.getSource().setObserver(new Reference().setDisplay("Sehat Hub")).addType(SERVER);
        return event;
    }

    public static Coding restType() {
        return new Coding(BalpConstants.CS_AUDIT_EVENT_TYPE, "rest", "Restful Operation");
    }

    public static Coding subtype(String code) {
        return new Coding(SUBTYPE_SYSTEM, code, null);
    }

    /** Adds what the event was about: a resource or message (role 4, domain resource). */
    public static void about(AuditEvent event, Reference what) {
        entity(
                event,
                what,
                BalpConstants.CS_AUDIT_ENTITY_TYPE_2_SYSTEM_OBJECT,
                BalpConstants.CS_AUDIT_ENTITY_TYPE_2_SYSTEM_OBJECT_DISPLAY,
                BalpConstants.CS_OBJECT_ROLE_4_DOMAIN_RESOURCE,
                BalpConstants.CS_OBJECT_ROLE_4_DOMAIN_RESOURCE_DISPLAY);
    }

    /** Adds the patient the event concerns (role 1), as BALP's patient-specific events do. */
    public static void patient(AuditEvent event, Reference patient) {
        entity(
                event,
                patient,
                BalpConstants.CS_AUDIT_ENTITY_TYPE_1_PERSON,
                BalpConstants.CS_AUDIT_ENTITY_TYPE_1_PERSON_DISPLAY,
                BalpConstants.CS_OBJECT_ROLE_1_PATIENT,
                BalpConstants.CS_OBJECT_ROLE_1_PATIENT_DISPLAY);
    }

    private static void entity(
            AuditEvent event, Reference what, String type, String typeDisplay, String role, String roleDisplay) {
        event.addEntity()
                .setWhat(what)
                .setType(new Coding(BalpConstants.CS_AUDIT_ENTITY_TYPE, type, typeDisplay))
                .setRole(new Coding(BalpConstants.CS_OBJECT_ROLE, role, roleDisplay));
    }

    /** The outcome of an HTTP status: 4xx a minor failure (the request), 5xx a serious one (ours). */
    public static AuditEventOutcome outcomeOf(int status) {
        if (status < 400) {
            return AuditEventOutcome._0;
        }
        return status < 500 ? AuditEventOutcome._4 : AuditEventOutcome._8;
    }
}
