package org.sehathub.server.audit;

import java.nio.charset.StandardCharsets;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventAction;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventOutcome;
import org.hl7.fhir.r4.model.Coding;
import org.sehathub.server.analytics.AnalyticsEvents;

/**
 * One AuditEvent per indicator asked for (subtype {@code analytics-query}): the client, the query
 * as asked (in {@code entity.query}, as BALP records a search), and why it was refused when it was.
 */
public class AnalyticsAuditEvents implements AnalyticsEvents {

    private final AuditTrail trail;

    public AnalyticsAuditEvents(AuditTrail trail) {
        this.trail = trail;
    }

    @Override
    public void asked(String query, String refusal) {
        AuditEvent event = AuditEvents.event(
                AuditEvents.restType(),
                AuditEvents.subtype("analytics-query"),
                AuditEventAction.E,
                refusal == null ? AuditEventOutcome._0 : AuditEventOutcome._4,
                refusal,
                CallerAuditContext.client());
        event.addEntity()
                .setType(new Coding("http://terminology.hl7.org/CodeSystem/audit-entity-type", "2", "System Object"))
                .setRole(new Coding("http://terminology.hl7.org/CodeSystem/object-role", "24", "Query"))
                .setQuery(query.getBytes(StandardCharsets.UTF_8));
        trail.record(event);
    }
}
