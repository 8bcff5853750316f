package org.sehathub.mappers.hl7v2;

import ca.uhn.hl7v2.model.Type;
import java.util.List;
import java.util.Locale;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Encounter.EncounterLocationStatus;
import org.hl7.fhir.r4.model.Encounter.EncounterStatus;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Reference;
import org.sehathub.mappers.TransactionBundleBuilder;

/**
 * PV1 (+ PV2) to Encounter, after the v2-to-FHIR guide's PV1[Encounter] and PV2[Encounter] maps.
 *
 * <p>The Encounter is keyed on PV1-19 (visit number, scoped to its assigning authority or the
 * sending facility): ADT messages replace it (conditional update), so A01, A02, A03, A08, A11 and
 * A13 for one visit all land on one Encounter; other messages only create it when unknown. A PV1
 * without a visit number gets an id derived from facility, patient and admit time (PV1-44), or
 * the message id when that is empty too, and a warning, since later events cannot find it.
 *
 * <p>Status follows the trigger event (guide's Event[EncounterStatus] map) with two deliberate
 * differences documented in docs/ingest/hl7v2.md: A04 is {@code arrived} (an outpatient registered
 * at the counter is waiting to be seen) and A08 derives the status from PV1 (finished when PV1-45
 * is valued, in-progress when PV1-44 is) rather than {@code unknown}, because a conditional update
 * would otherwise erase a known status. A11 (cancel admit/visit) makes it {@code cancelled}; A13
 * (cancel discharge) makes it {@code in-progress} again and, since PV1-45 is then empty, the
 * replacing update drops period.end.
 */
final class EncounterMapper {

    private static final String PARTICIPATION = "http://terminology.hl7.org/CodeSystem/v3-ParticipationType";
    private static final String ACT_CODE = "http://terminology.hl7.org/CodeSystem/v3-ActCode";

    private final Hl7Context ctx;
    private Encounter encounter;

    EncounterMapper(Hl7Context ctx) {
        this.ctx = ctx;
    }

    Encounter encounter() {
        return encounter;
    }

    /**
     * Maps a PV1: the visit the segments after it are about.
     *
     * @param subject the patient of the PID before it
     * @param event the trigger event (MSH-9.2), which sets the status
     * @param optional true for events about the person rather than a visit (A28, A31, A40):
     *     a PV1 with neither class, visit number nor admit time is then skipped quietly
     * @return the subject with this visit; the subject as it was when no Encounter was mapped
     */
    Subject pv1(SegmentRef pv1, Subject subject, String event, boolean optional) {
        if (!subject.hasPatient()) {
            ctx.warning(pv1.label(), "PV1 without a PID; not mapped");
            return subject;
        }
        String patientClass = upper(pv1.field(2));
        String visitNumber = V2.component(V2.first(pv1.segment(), 19), 1);
        String admit = pv1.field(44);
        if (optional && visitNumber == null && admit == null && (patientClass == null || patientClass.equals("N"))) {
            ctx.information(pv1.label(), "no visit in this person-level event (PV1-2 N, no PV1-19); no Encounter");
            ctx.reportUnmappedFields(pv1, List.of(1, 2));
            return subject;
        }
        Encounter e = new Encounter();
        e.setSubject(subject.patient());
        e.setServiceProvider(new Reference(ctx.organizationRef));
        e.setClass_(encounterClass(patientClass, pv1));
        DateTimeType start = ctx.types.dateTime(admit, pv1.at(44));
        DateTimeType end = ctx.types.dateTime(pv1.field(45), pv1.at(45));
        if (start != null || end != null) {
            e.setPeriod(new Period().setStartElement(start).setEndElement(end));
        }
        e.setStatus(status(event, patientClass, start != null, end != null));

        Reference location = ctx.types.location(V2.first(pv1.segment(), 3), pv1.at(3));
        if (location != null) {
            e.addLocation()
                    .setLocation(location)
                    .setStatus(
                            "P".equals(patientClass)
                                    ? EncounterLocationStatus.PLANNED
                                    : EncounterLocationStatus.ACTIVE);
        }
        Reference prior = ctx.types.location(V2.first(pv1.segment(), 6), pv1.at(6));
        if (prior != null) {
            e.addLocation().setLocation(prior).setStatus(EncounterLocationStatus.COMPLETED);
        }
        CodeableConcept admissionType = ctx.types.concept(V2.first(pv1.segment(), 4), null);
        if (admissionType != null) {
            e.addType(admissionType);
        }
        participants(pv1, e, 7, "ATND", "attender");
        participants(pv1, e, 8, "REF", "referrer");
        participants(pv1, e, 9, "CON", "consultant");
        participants(pv1, e, 17, "ADM", "admitter");
        CodeableConcept service = ctx.types.concept(V2.first(pv1.segment(), 10), null);
        if (service != null) {
            e.setServiceType(service);
        }
        CodeableConcept admitSource = ctx.types.concept(V2.first(pv1.segment(), 14), null);
        if (admitSource != null) {
            e.getHospitalization().setAdmitSource(admitSource);
        }
        CodeableConcept disposition =
                tableConcept(V2.first(pv1.segment(), 36), "http://terminology.hl7.org/CodeSystem/v2-0112");
        if (disposition != null) {
            e.getHospitalization().setDischargeDisposition(disposition);
        }

        String query = null;
        if (visitNumber != null) {
            String authority = Datatypes.authority(V2.first(pv1.segment(), 19));
            String system = Hl7v2Systems.visit(authority != null ? authority : ctx.facility);
            Identifier id = Datatypes.typedIdentifier(system, visitNumber, "VN", "Visit number");
            id.setUse(Identifier.IdentifierUse.OFFICIAL);
            e.addIdentifier(id);
            query = Hl7Context.identifierQuery(system, visitNumber);
        }
        ctx.reportUnmappedFields(pv1, List.of(1, 2, 3, 4, 6, 7, 8, 9, 10, 14, 17, 19, 36, 44, 45));
        this.encounter = e;
        if (query != null) {
            String ref = ctx.encounterAuthoritative
                    ? ctx.bundle.conditionalUpdate(e, query)
                    : ctx.bundle.conditionalCreate(e, query);
            return subject.withVisit(ref, query);
        }
        ctx.missing(pv1.at(19), "no visit number; later events for this visit cannot find this Encounter");
        String key = admit != null ? "admit:" + admit : "message:" + ctx.parsed.controlId();
        String ref = ctx.bundle.update(
                e, TransactionBundleBuilder.deterministicId("Encounter", ctx.facility, subject.patientKey(), key));
        return subject.withVisit(ref, key);
    }

    /** PV2-3 admit reason to reasonCode; the rest of PV2 is reported. */
    void pv2(SegmentRef pv2) {
        if (encounter == null) {
            ctx.warning(pv2.label(), "PV2 without a mapped PV1; not mapped");
            return;
        }
        CodeableConcept reason = ctx.types.concept(V2.first(pv2.segment(), 3), TerminologyMapsNames.DIAGNOSIS);
        if (reason != null) {
            encounter.addReasonCode(reason);
        }
        ctx.reportUnmappedFields(pv2, List.of(3));
    }

    private Coding encounterClass(String patientClass, SegmentRef pv1) {
        if (patientClass == null) {
            ctx.missing(pv1.at(2), "patient class is empty; Encounter.class set to unknown");
            return new Coding("http://terminology.hl7.org/CodeSystem/v3-NullFlavor", "UNK", "unknown");
        }
        return switch (patientClass) {
            case "E" -> new Coding(ACT_CODE, "EMER", "emergency");
            case "I" -> new Coding(ACT_CODE, "IMP", "inpatient encounter");
            case "O" -> new Coding(ACT_CODE, "AMB", "ambulatory");
            case "P" -> new Coding(ACT_CODE, "PRENC", "pre-admission");
            case "V" -> new Coding(ACT_CODE, "VR", "virtual");
            case "R" -> new Coding("http://terminology.hl7.org/CodeSystem/v2-0004", "R", "Recurring patient");
            case "B" -> new Coding("http://terminology.hl7.org/CodeSystem/v2-0004", "B", "Obstetrics");
            case "C" -> new Coding("http://terminology.hl7.org/CodeSystem/v2-0004", "C", "Commercial Account");
            case "N" -> new Coding("http://terminology.hl7.org/CodeSystem/v2-0004", "N", "Not Applicable");
            case "U" -> new Coding("http://terminology.hl7.org/CodeSystem/v2-0004", "U", "Unknown");
            default -> {
                ctx.unknownCode(
                        pv1.at(2),
                        "patient class '" + patientClass + "' is not in HL7 table 0004; kept as a local code");
                yield new Coding(ctx.types.system(null), patientClass, null);
            }
        };
    }

    private static EncounterStatus status(String event, String patientClass, boolean started, boolean ended) {
        return switch (event) {
            case "A03" -> EncounterStatus.FINISHED;
            case "A11" -> EncounterStatus.CANCELLED;
            case "A05" -> EncounterStatus.PLANNED;
            case "A04" -> ended ? EncounterStatus.FINISHED : EncounterStatus.ARRIVED;
            // Transfers, class changes (A06/A07), tracking (A09/A10) and bed swaps (A17) happen during a stay.
            case "A01", "A02", "A06", "A07", "A09", "A10", "A13", "A17" -> EncounterStatus.INPROGRESS;
            default ->
                ended
                        ? EncounterStatus.FINISHED
                        : "P".equals(patientClass)
                                ? EncounterStatus.PLANNED
                                : started ? EncounterStatus.INPROGRESS : EncounterStatus.UNKNOWN;
        };
    }

    private void participants(SegmentRef pv1, Encounter e, int field, String code, String display) {
        List<Type> reps = V2.reps(pv1.segment(), field);
        for (int i = 0; i < reps.size(); i++) {
            Reference doctor = ctx.practitioners.reference(reps.get(i), pv1.at(field, i + 1));
            if (doctor != null) {
                e.addParticipant()
                        .addType(new CodeableConcept(new Coding(PARTICIPATION, code, display)))
                        .setIndividual(doctor);
            }
        }
    }

    /** A CWE whose bare codes (no CWE-3) belong to the given HL7 table. */
    private CodeableConcept tableConcept(Type cwe, String tableSystem) {
        CodeableConcept cc = ctx.types.concept(cwe, null);
        if (cc != null && V2.component(cwe, 3) == null && cc.hasCoding()) {
            cc.getCodingFirstRep().setSystem(tableSystem);
        }
        return cc;
    }

    private static String upper(String s) {
        return s == null ? null : s.toUpperCase(Locale.ROOT);
    }
}
