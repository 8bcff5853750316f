package org.sehathub.server.audit;

import java.util.Set;
import java.util.TreeSet;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventAction;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventOutcome;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Reference;
import org.sehathub.server.security.AccessEvents;

/**
 * Access control's AuditEvents: one per token issued (DICOM "User Authentication", subtype
 * {@code token}: the client, the grant and the scopes) or refused (the client it claimed to be and
 * the OAuth error; never the assertion), and one per request refused before {@code /fhir}'s own
 * checks (subtype {@code request}: 401 without a valid token, 403 for a role; the path without its
 * query).
 */
public class AccessAuditEvents implements AccessEvents {

    private final AuditTrail trail;

    public AccessAuditEvents(AuditTrail trail) {
        this.trail = trail;
    }

    @Override
    public void tokenIssued(String clientId, String grantType, Set<String> scopes) {
        AuditEvent event = token(clientId, AuditEventOutcome._0, null);
        AuditEvents.about(event, new Reference().setDisplay(grantType + " " + String.join(" ", new TreeSet<>(scopes))));
        trail.record(event);
    }

    @Override
    public void tokenRefused(String claimedClient, String error) {
        trail.recordIfRoom(token(claimedClient, AuditEventOutcome._4, error));
    }

    @Override
    public void requestRefused(String clientId, String method, String path, int status) {
        AuditEvent event = AuditEvents.event(
                AuditEvents.restType(),
                AuditEvents.subtype("request"),
                AuditEventAction.E,
                AuditEvents.outcomeOf(status),
                status + " " + method + " " + path,
                client(clientId));
        if ("anonymous".equals(clientId)) {
            trail.recordIfRoom(event);
        } else {
            trail.record(event);
        }
    }

    private static AuditEvent token(String clientId, AuditEventOutcome outcome, String detail) {
        return AuditEvents.event(
                new Coding(AuditEvents.DICOM, "110114", "User Authentication"),
                AuditEvents.subtype("token"),
                AuditEventAction.E,
                outcome,
                detail,
                client(clientId));
    }

    private static Reference client(String clientId) {
        return new Reference()
                .setIdentifier(new Identifier()
                        .setSystem(CallerAuditContext.CLIENT_SYSTEM)
                        .setValue(clientId == null || clientId.isBlank() ? "unknown" : clientId));
    }
}
