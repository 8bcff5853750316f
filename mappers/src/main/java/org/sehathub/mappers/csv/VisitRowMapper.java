package org.sehathub.mappers.csv;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.Reference;
import org.sehathub.mappers.NamingSystems;
import org.sehathub.mappers.TransactionBundleBuilder;
import org.sehathub.mappers.normalize.Cnic;
import org.sehathub.mappers.normalize.NameNormalizer;
import org.sehathub.mappers.normalize.NormalizationException;
import org.sehathub.mappers.normalize.PmdcNormalizer;
import org.sehathub.mappers.terminology.TerminologyMaps;

/**
 * A row of the {@code visits} layout to an Encounter and, when the row has a diagnosis, a
 * Condition. Several rows of the same visit (same {@code visit_id}, or same patient and
 * {@code visit_date} when there is no id) add one diagnosis each to one Encounter.
 */
final class VisitRowMapper implements CsvRowMapper {

    static final String ACT_CODE = "http://terminology.hl7.org/CodeSystem/v3-ActCode";

    /** visit_type words to v3-ActCode encounter classes; OPD/IPD are how Pakistani clinics say it. */
    private static final Map<String, Coding> CLASSES = Map.of(
            "outpatient", new Coding(ACT_CODE, "AMB", "ambulatory"),
            "opd", new Coding(ACT_CODE, "AMB", "ambulatory"),
            "inpatient", new Coding(ACT_CODE, "IMP", "inpatient encounter"),
            "ipd", new Coding(ACT_CODE, "IMP", "inpatient encounter"),
            "emergency", new Coding(ACT_CODE, "EMER", "emergency"),
            "er", new Coding(ACT_CODE, "EMER", "emergency"),
            "home-visit", new Coding(ACT_CODE, "HH", "home health"),
            "home visit", new Coding(ACT_CODE, "HH", "home health"));

    @Override
    public boolean map(CsvRowReader row, ClinicContext context) {
        String mrn = row.text("mrn");
        Optional<Cnic> cnic = row.cnic("cnic");
        Optional<DateTimeType> visitDate = row.pastDateTime("visit_date", context.clock);
        Optional<Coding> encounterClass = row.parse("visit_type", VisitRowMapper::encounterClass);
        Optional<String> icd10 = row.parse("diagnosis_icd10", LocalCodes::icd10);
        if (row.hasErrors()) {
            return false;
        }
        boolean hasDiagnosis = row.has("diagnosis_code") || icd10.isPresent() || row.has("diagnosis_text");

        String visitKey = row.optionalText("visit_id")
                .map(id -> "id|" + id)
                .orElseGet(() -> "patient|" + mrn + "|" + visitDate.get().getValueAsString());
        String encounterId = TransactionBundleBuilder.deterministicId("Encounter", context.facilitySlug(), visitKey);
        Optional<Integer> earlier = context.firstLine("Encounter/" + encounterId, row.line());
        String encounterUrl = "urn:uuid:" + encounterId;
        Encounter encounter;
        if (earlier.isPresent()) {
            if (!hasDiagnosis) {
                row.rowError("the same visit is already on line " + earlier.get()
                        + " and this row adds no diagnosis; only that row is mapped");
                return false;
            }
            encounter = (Encounter) context.builder.find(encounterUrl).orElseThrow();
            warnIfVisitDiffers(row, earlier.get(), encounter);
        } else {
            String patientUrl = context.patientReference(mrn, cnic);
            encounter = encounter(row, context, patientUrl, visitDate.get(), encounterClass);
            context.builder.update(encounter, encounterId);
        }
        if (hasDiagnosis) {
            addCondition(row, context, encounter, encounterId, icd10);
        }
        return true;
    }

    private Encounter encounter(
            CsvRowReader row,
            ClinicContext context,
            String patientUrl,
            DateTimeType visitDate,
            Optional<Coding> encounterClass) {
        Encounter encounter = new Encounter();
        row.optionalText("visit_id")
                .ifPresent(id -> encounter.addIdentifier(new Identifier()
                        .setType(new CodeableConcept(
                                new Coding("http://terminology.hl7.org/CodeSystem/v2-0203", "VN", "Visit number")))
                        .setSystem(NamingSystems.visitNumber(context.facility()))
                        .setValue(id)));
        encounter.setStatus(Encounter.EncounterStatus.FINISHED);
        encounter.setClass_(encounterClass.orElse(CLASSES.get("outpatient")).copy());
        encounter.setSubject(new Reference(patientUrl));
        encounter.setPeriod(new Period().setStartElement(visitDate));
        row.optionalText("complaint").ifPresent(text -> encounter.addReasonCode(new CodeableConcept().setText(text)));
        practitioner(row, context)
                .ifPresent(reference -> encounter
                        .addParticipant()
                        .addType(new CodeableConcept(new Coding(
                                "http://terminology.hl7.org/CodeSystem/v3-ParticipationType",
                                "PPRF",
                                "primary performer")))
                        .setIndividual(reference));
        encounter.setServiceProvider(new Reference(context.organization()));
        return encounter;
    }

    private void addCondition(
            CsvRowReader row, ClinicContext context, Encounter encounter, String encounterId, Optional<String> icd10) {
        CodeableConcept code = row.optionalText("diagnosis_code")
                .map(local ->
                        LocalCodes.concept(local, TerminologyMaps.DIAGNOSIS_TO_ICD10, context, row, "diagnosis_code"))
                .orElseGet(CodeableConcept::new);
        icd10.ifPresent(explicit -> {
            Optional<Coding> mapped = code.getCoding().stream()
                    .filter(c -> NamingSystems.ICD10.equals(c.getSystem()))
                    .findFirst();
            if (mapped.isPresent() && !mapped.get().getCode().equals(explicit)) {
                row.warning(
                        "diagnosis_icd10",
                        "the map gives " + mapped.get().getCode() + " for " + row.text("diagnosis_code")
                                + "; the diagnosis_icd10 value " + explicit + " is used");
                code.getCoding().remove(mapped.get());
            }
            if (mapped.isEmpty() || !mapped.get().getCode().equals(explicit)) {
                code.addCoding(new Coding(NamingSystems.ICD10, explicit, null));
            }
        });
        row.optionalText("diagnosis_text")
                .map(NameNormalizer::collapseWhitespace)
                .ifPresent(code::setText);

        String diagnosisKey = code.getCoding().isEmpty()
                ? "text|" + code.getText().toUpperCase(Locale.ROOT)
                : code.getCodingFirstRep().getSystem() + "|"
                        + code.getCodingFirstRep().getCode();
        String conditionId = TransactionBundleBuilder.deterministicId("Condition", encounterId, diagnosisKey);
        if (context.firstLine("Condition/" + conditionId, row.line()).isPresent()) {
            row.warning("diagnosis_code", "the same diagnosis is already recorded for this visit");
            return;
        }
        Condition condition = new Condition();
        condition.setClinicalStatus(new CodeableConcept(
                new Coding("http://terminology.hl7.org/CodeSystem/condition-clinical", "active", "Active")));
        condition.addCategory(new CodeableConcept(new Coding(
                "http://terminology.hl7.org/CodeSystem/condition-category",
                "encounter-diagnosis",
                "Encounter Diagnosis")));
        condition.setCode(code);
        condition.setSubject(encounter.getSubject().copy());
        condition.setEncounter(new Reference("urn:uuid:" + encounterId));
        condition.setRecordedDateElement(encounter.getPeriod().getStartElement().copy());
        encounter.getParticipant().stream()
                .map(Encounter.EncounterParticipantComponent::getIndividual)
                .filter(Reference::hasReference)
                .findFirst()
                .ifPresent(practitioner -> condition.setAsserter(practitioner.copy()));
        String conditionUrl = context.builder.update(condition, conditionId);
        encounter.addDiagnosis().setCondition(new Reference(conditionUrl));
    }

    /**
     * The Practitioner by PMDC number (conditional create), or a display-only reference when the row
     * names a doctor without a registration number.
     */
    private Optional<Reference> practitioner(CsvRowReader row, ClinicContext context) {
        Optional<String> name = row.optionalText("practitioner_name").map(NameNormalizer::tidy);
        Optional<String> pmdc = Optional.empty();
        if (row.has("practitioner_pmdc")) {
            try {
                pmdc = Optional.of(PmdcNormalizer.normalize(row.text("practitioner_pmdc")));
            } catch (NormalizationException e) {
                row.warning("practitioner_pmdc", e.getReason() + "; the doctor is recorded by name only");
            }
        }
        if (pmdc.isPresent()) {
            Practitioner practitioner = new Practitioner();
            practitioner.addIdentifier().setSystem(NamingSystems.PMDC).setValue(pmdc.get());
            name.ifPresent(n -> practitioner.addName().setText(n));
            String url = context.builder.conditionalCreate(
                    practitioner, TransactionBundleBuilder.identifierQuery(NamingSystems.PMDC, pmdc.get()));
            Reference reference = new Reference(url);
            name.ifPresent(reference::setDisplay);
            return Optional.of(reference);
        }
        return name.map(n -> new Reference().setDisplay(n));
    }

    /**
     * Later rows of a visit only add diagnoses; their visit-level cells are not used. A complaint
     * that differs is reported so the clinic sees it was not stored.
     */
    private static void warnIfVisitDiffers(CsvRowReader row, int firstLine, Encounter encounter) {
        String complaint = encounter.getReasonCode().isEmpty()
                ? ""
                : encounter.getReasonCodeFirstRep().getText();
        if (row.has("complaint") && !row.text("complaint").equals(complaint)) {
            row.warning(
                    "complaint",
                    "differs from line " + firstLine + " of the same visit; the first row's complaint is kept");
        }
    }

    private static Coding encounterClass(String raw) {
        Coding coding = CLASSES.get(NameNormalizer.collapseWhitespace(raw).toLowerCase(Locale.ROOT));
        if (coding == null) {
            throw new NormalizationException(
                    "visit_type must be outpatient, inpatient, emergency or home-visit (OPD, IPD and ER are"
                            + " accepted too)");
        }
        return coding;
    }
}
