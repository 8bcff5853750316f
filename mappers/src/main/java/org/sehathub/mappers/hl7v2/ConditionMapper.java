package org.sehathub.mappers.hl7v2;

import java.util.List;
import java.util.Locale;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Reference;
import org.sehathub.mappers.TransactionBundleBuilder;

/**
 * DG1 to Condition (category encounter-diagnosis), after the v2-to-FHIR guide's DG1[Condition]
 * map, and to Encounter.diagnosis (DG1[Encounter]).
 *
 * <p>DG1-3 keeps the sender's coding; a local code gains the ICD-10 coding the
 * {@code diagnosis-to-icd10} map knows. The id is derived from facility, patient, visit and code,
 * so a diagnosis repeated in later messages of the visit is rewritten, not duplicated.
 */
final class ConditionMapper {

    private static final String CATEGORY = "http://terminology.hl7.org/CodeSystem/condition-category";
    private static final String VERIFICATION = "http://terminology.hl7.org/CodeSystem/condition-ver-status";

    private final Hl7Context ctx;

    ConditionMapper(Hl7Context ctx) {
        this.ctx = ctx;
    }

    void dg1(SegmentRef dg1, Subject subject, Encounter encounter) {
        if (!subject.hasPatient()) {
            ctx.warning(dg1.label(), "DG1 without a PID; not mapped");
            return;
        }
        CodeableConcept code = ctx.types.concept(V2.first(dg1.segment(), 3), TerminologyMapsNames.DIAGNOSIS);
        String description = ctx.raw.component(dg1, 4, 1);
        if (code == null && description != null) {
            // DG1-4 (withdrawn in v2.7, still sent by v2.3-2.5 systems) as the only description.
            code = new CodeableConcept().setText(description);
        } else if (code != null && !code.hasText() && description != null) {
            code.setText(description);
        }
        if (code == null) {
            ctx.missing(dg1.at(3), "diagnosis has no code or description; not mapped");
            return;
        }
        Condition c = new Condition();
        c.setSubject(subject.patient());
        c.setCode(code);
        c.addCategory(new CodeableConcept(new Coding(CATEGORY, "encounter-diagnosis", "Encounter Diagnosis")));
        if (subject.hasVisit()) {
            c.setEncounter(subject.visit());
        }
        DateTimeType onset = ctx.types.dateTime(dg1.field(5), dg1.at(5));
        if (onset != null) {
            c.setOnset(onset);
        }
        String type = dg1.field(6) == null ? null : dg1.field(6).toUpperCase(Locale.ROOT);
        if ("F".equals(type)) {
            c.setVerificationStatus(new CodeableConcept(new Coding(VERIFICATION, "confirmed", "Confirmed")));
        } else if ("W".equals(type) || "A".equals(type)) {
            c.setVerificationStatus(new CodeableConcept(new Coding(VERIFICATION, "provisional", "Provisional")));
        } else if (type != null) {
            ctx.warning(dg1.at(6), "diagnosis type '" + type + "' is not A, W or F; verification status left out");
        }
        Reference clinician = ctx.practitioners.reference(V2.first(dg1.segment(), 16), dg1.at(16));
        if (clinician != null) {
            c.setAsserter(clinician);
        }
        String diagnosisId = V2.component(V2.first(dg1.segment(), 20), 1);
        if (diagnosisId != null) {
            c.addIdentifier().setSystem(ctx.types.system(null)).setValue(diagnosisId);
        }
        ctx.reportUnmappedFields(dg1, List.of(1, 2, 3, 4, 5, 6, 15, 16, 20));

        String codeKey = code.hasCoding()
                ? code.getCodingFirstRep().getSystem() + "|"
                        + code.getCodingFirstRep().getCode()
                : code.getText();
        String ref = ctx.bundle.update(
                c,
                TransactionBundleBuilder.deterministicId(
                        "Condition",
                        ctx.facility,
                        subject.patientKey(),
                        subject.visitKey(),
                        diagnosisId != null ? diagnosisId : codeKey));
        if (encounter != null) {
            Encounter.DiagnosisComponent diagnosis = encounter.addDiagnosis().setCondition(new Reference(ref));
            if ("A".equals(type)) {
                diagnosis.setUse(new CodeableConcept(new Coding(
                        "http://terminology.hl7.org/CodeSystem/diagnosis-role", "AD", "Admission diagnosis")));
            } else if ("F".equals(type)) {
                diagnosis.setUse(new CodeableConcept(new Coding(
                        "http://terminology.hl7.org/CodeSystem/diagnosis-role", "DD", "Discharge diagnosis")));
            }
            String priority = dg1.field(15);
            if (priority != null && priority.matches("[1-9]\\d{0,2}")) {
                diagnosis.setRank(Integer.parseInt(priority));
            }
        }
    }
}
