package org.sehathub.server.audit;

import org.hl7.fhir.r4.model.AuditEvent;

/**
 * Where the parts of the server outside {@code /fhir} (ingest, token endpoint, dead-letter API)
 * record their AuditEvents: nothing when {@code sehat.audit.enabled=false}.
 *
 * @param enabled whether events are recorded
 * @param writer where they go
 */
public record AuditTrail(boolean enabled, AuditEventWriter writer) {

    public void record(AuditEvent event) {
        if (enabled) {
            writer.recordAuditEvent(event);
        }
    }

    /** For what someone not authenticated caused: never waits for room ({@link AuditEventWriter#recordIfRoom}). */
    public void recordIfRoom(AuditEvent event) {
        if (enabled) {
            writer.recordIfRoom(event);
        }
    }
}
