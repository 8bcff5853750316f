package org.sehathub.server.audit;

import java.util.LinkedHashSet;
import java.util.Set;
import org.hl7.fhir.r4.model.AuditEvent;

/**
 * What the entries of one transaction or batch wrote, gathered as they are written and recorded as
 * one AuditEvent when the Bundle completes ({@link OperationAudit}): how many resources were
 * created, updated and deleted, and every patient whose record they touched. One event per Bundle,
 * not one per resource as BALP records single writes: a patient's whole history sent as one
 * Bundle is one act, and one event per resource more than halved ingest throughput (measured).
 */
final class BundleWrites {

    static final String KEY = BundleWrites.class.getName();

    private int created;
    private int updated;
    private int deleted;
    private final Set<String> patients = new LinkedHashSet<>();

    synchronized void add(AuditEvent.AuditEventAction action, Set<String> touchedPatients) {
        switch (action) {
            case C -> created++;
            case U -> updated++;
            case D -> deleted++;
            default -> {}
        }
        patients.addAll(touchedPatients);
    }

    synchronized String counts() {
        return created + " created, " + updated + " updated, " + deleted + " deleted";
    }

    synchronized Set<String> patients() {
        return Set.copyOf(patients);
    }
}
