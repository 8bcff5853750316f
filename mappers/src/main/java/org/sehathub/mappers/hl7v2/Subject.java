package org.sehathub.mappers.hl7v2;

import org.hl7.fhir.r4.model.Reference;

/**
 * Whom the segments being mapped are about: the patient of the last PID and, after a PV1, the
 * visit. Each is the Bundle entry's fullUrl (for references) and its match key (for deterministic
 * ids of what is filed under it). A value passed from segment mapper to segment mapper by the
 * message walk ({@link Hl7v2Mapper}), never shared state: a new PID starts a new subject without
 * a visit.
 *
 * @param patientRef the patient's entry, or null before the first PID
 * @param patientKey the patient's match query
 * @param visitRef the visit's entry, or null when no PV1 was mapped for this patient
 * @param visitKey the visit's match query or derived key
 */
record Subject(String patientRef, String patientKey, String visitRef, String visitKey) {

    /** Before any PID. */
    static final Subject NONE = new Subject(null, null, null, null);

    static Subject of(String ref, String key) {
        return new Subject(ref, key, null, null);
    }

    Subject withVisit(String ref, String key) {
        return new Subject(patientRef, patientKey, ref, key);
    }

    boolean hasPatient() {
        return patientRef != null;
    }

    boolean hasVisit() {
        return visitRef != null;
    }

    Reference patient() {
        return new Reference(patientRef);
    }

    Reference visit() {
        return new Reference(visitRef);
    }
}
