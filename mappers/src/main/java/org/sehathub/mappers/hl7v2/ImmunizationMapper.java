package org.sehathub.mappers.hl7v2;

import ca.uhn.hl7v2.model.Type;
import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Immunization;
import org.hl7.fhir.r4.model.Immunization.ImmunizationStatus;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.sehathub.mappers.MappingException;
import org.sehathub.mappers.MappingIssue;
import org.sehathub.mappers.TransactionBundleBuilder;
import org.sehathub.mappers.normalize.DateNormalizer;
import org.sehathub.mappers.normalize.NormalizationException;
import org.sehathub.mappers.normalize.UnitNormalizer;

/**
 * ORC + RXA (+ RXR, OBX dose number) to Immunization, after the v2-to-FHIR guide's
 * ORC[Immunization], RXA[Immunization] and RXR[Immunization] maps.
 *
 * <p>RXA-5 keeps the sender's coding; a local EPI name (BCG, OPV, PENTA...) gains its CVX coding
 * from the {@code vaccine-to-cvx} map. Key: ORC-3 (else ORC-2) scoped to the facility, replaced
 * on resend; without an order number the id is derived from facility, patient, vaccine code and
 * administration date, which identifies one dose well enough for an EPI register.
 */
final class ImmunizationMapper {

    private static final String DOSE_NUMBER_LOINC = "30973-2";

    private final Hl7Context ctx;
    private SegmentRef pendingOrc;
    private Immunization current;

    ImmunizationMapper(Hl7Context ctx) {
        this.ctx = ctx;
    }

    void orc(SegmentRef orc) {
        if (pendingOrc != null) {
            ctx.warning(pendingOrc.label(), "ORC without an RXA; not mapped");
        }
        pendingOrc = orc;
    }

    void rxa(SegmentRef rxa, Subject subject) {
        if (!subject.hasPatient()) {
            ctx.warning(rxa.label(), "RXA without a PID; not mapped");
            return;
        }
        SegmentRef orc = pendingOrc;
        pendingOrc = null;
        Immunization imm = new Immunization();
        String administered = rxa.field(3);
        if (administered == null) {
            throw new MappingException(MappingIssue.Kind.MISSING, rxa.at(3), "administration date/time is empty");
        }
        DateTimeType occurrence;
        try {
            occurrence = DateNormalizer.toDateTimeType(administered);
        } catch (NormalizationException e) {
            throw new MappingException(
                    rxa.at(3), "administration date/time " + administered + " is not accepted: " + e.getReason());
        }
        imm.setOccurrence(occurrence);
        CodeableConcept vaccine = ctx.types.concept(V2.first(rxa.segment(), 5), TerminologyMapsNames.VACCINE);
        if (vaccine == null) {
            throw new MappingException(MappingIssue.Kind.MISSING, rxa.at(5), "administered vaccine code is empty");
        }
        imm.setVaccineCode(vaccine);
        imm.setPatient(subject.patient());
        if (subject.hasVisit()) {
            imm.setEncounter(subject.visit());
        }
        dose(rxa, imm);
        String notes = V2.component(V2.first(rxa.segment(), 9), 1);
        if ("00".equals(notes)) {
            imm.setPrimarySource(true);
        } else if ("01".equals(notes)) {
            imm.setPrimarySource(false);
            imm.setReportOrigin(new CodeableConcept(new Coding(
                    "http://terminology.hl7.org/CodeSystem/immunization-origin", "record", "Written Record")));
        }
        List<Type> providers = V2.reps(rxa.segment(), 10);
        for (int i = 0; i < providers.size(); i++) {
            Reference who = ctx.practitioners.reference(providers.get(i), rxa.at(10, i + 1));
            if (who != null) {
                imm.addPerformer()
                        .setFunction(new CodeableConcept(new Coding(
                                "http://terminology.hl7.org/CodeSystem/v2-0443", "AP", "Administering Provider")))
                        .setActor(who);
            }
        }
        imm.setLotNumber(rxa.field(15));
        String expiry = rxa.field(16);
        if (expiry != null) {
            try {
                imm.setExpirationDateElement(
                        DateNormalizer.toDateType(expiry.length() > 8 ? expiry.substring(0, 8) : expiry));
            } catch (NormalizationException e) {
                ctx.warning(rxa.at(16), "expiration date '" + expiry + "' left out: " + e.getReason());
            }
        }
        Type manufacturer = V2.first(rxa.segment(), 17);
        if (manufacturer != null) {
            Reference m = new Reference()
                    .setDisplay(firstNonNull(V2.component(manufacturer, 2), V2.component(manufacturer, 1)));
            if (V2.component(manufacturer, 1) != null) {
                m.setIdentifier(new Identifier()
                        .setSystem(ctx.types.system(V2.component(manufacturer, 3)))
                        .setValue(V2.component(manufacturer, 1)));
            }
            imm.setManufacturer(m);
        }
        CodeableConcept refusal = ctx.types.concept(V2.first(rxa.segment(), 18), null);
        if (refusal != null) {
            imm.setStatusReason(refusal);
        }
        for (Type indication : V2.reps(rxa.segment(), 19)) {
            CodeableConcept reason = ctx.types.concept(indication, null);
            if (reason != null) {
                imm.addReasonCode(reason);
            }
        }
        imm.setStatus(status(rxa, imm));
        DateTimeType recorded = ctx.types.dateTime(rxa.field(22), rxa.at(22));
        if (recorded != null) {
            imm.setRecordedElement(recorded);
        }

        String orderNumber = null;
        if (orc != null) {
            orderNumber = firstNonNull(
                    V2.component(V2.first(orc.segment(), 3), 1), V2.component(V2.first(orc.segment(), 2), 1));
            ctx.reportUnmappedFields(orc, List.of(1, 2, 3));
        }
        ctx.reportUnmappedFields(rxa, List.of(1, 2, 3, 4, 5, 6, 7, 9, 10, 15, 16, 17, 18, 19, 20, 21, 22));
        if (orderNumber != null) {
            String system = Hl7v2Systems.immunization(ctx.facility);
            imm.addIdentifier().setSystem(system).setValue(orderNumber);
            ctx.bundle.conditionalUpdate(imm, Hl7Context.identifierQuery(system, orderNumber));
        } else {
            String code = vaccine.getCodingFirstRep().getSystem() + "|"
                    + vaccine.getCodingFirstRep().getCode();
            ctx.bundle.update(
                    imm,
                    TransactionBundleBuilder.deterministicId(
                            "Immunization", ctx.facility, subject.patientKey(), code, administered));
        }
        current = imm;
    }

    /** RXR-1 route (table 0162) and RXR-2 site (table 0163). */
    void rxr(SegmentRef rxr) {
        if (current == null) {
            ctx.warning(rxr.label(), "RXR without an RXA; not mapped");
            return;
        }
        CodeableConcept route = table(V2.first(rxr.segment(), 1), "http://terminology.hl7.org/CodeSystem/v2-0162");
        if (route != null) {
            current.setRoute(route);
        }
        CodeableConcept site = table(V2.first(rxr.segment(), 2), "http://terminology.hl7.org/CodeSystem/v2-0163");
        if (site != null) {
            current.setSite(site);
        }
        ctx.reportUnmappedFields(rxr, List.of(1, 2));
    }

    /**
     * An OBX after RXA: LOINC 30973-2 (dose number in series) becomes protocolApplied.doseNumber;
     * other immunization observations (funding, VIS) are reported, not mapped.
     */
    void obx(SegmentRef obx) {
        String code = V2.component(V2.first(obx.segment(), 3), 1);
        String value = obx.field(5);
        if (current != null && DOSE_NUMBER_LOINC.equals(code) && value != null && value.matches("[1-9]\\d?")) {
            current.addProtocolApplied()
                    .setDoseNumber(new org.hl7.fhir.r4.model.PositiveIntType(Integer.parseInt(value)));
            return;
        }
        ctx.information(obx.label(), "immunization observation " + code + " not mapped");
    }

    void finish() {
        if (pendingOrc != null) {
            ctx.warning(pendingOrc.label(), "ORC without an RXA; not mapped");
        }
    }

    private void dose(SegmentRef rxa, Immunization imm) {
        String amount = rxa.field(6);
        if (amount == null || amount.equals("999")) {
            // 999 is HL7's "amount unknown".
            return;
        }
        try {
            Type units = V2.first(rxa.segment(), 7);
            String unit = units == null ? null : firstNonNull(V2.component(units, 1), V2.component(units, 2));
            Quantity q = UnitNormalizer.toQuantity(new BigDecimal(amount.strip()), unit);
            imm.setDoseQuantity(q);
        } catch (NumberFormatException e) {
            ctx.warning(rxa.at(6), "administered amount '" + amount + "' is not a number; left out");
        }
    }

    private ImmunizationStatus status(SegmentRef rxa, Immunization imm) {
        String action = upper(rxa.field(21));
        if ("D".equals(action)) {
            return ImmunizationStatus.ENTEREDINERROR;
        }
        String completion = upper(rxa.field(20));
        if (completion == null) {
            return ImmunizationStatus.COMPLETED;
        }
        switch (completion) {
            case "CP":
                return ImmunizationStatus.COMPLETED;
            case "PA":
                imm.setIsSubpotent(true);
                return ImmunizationStatus.COMPLETED;
            case "RE", "NA":
                return ImmunizationStatus.NOTDONE;
            default:
                ctx.unknownCode(
                        rxa.at(20),
                        "completion status '" + completion + "' is not in HL7 table 0322; taken as completed");
                return ImmunizationStatus.COMPLETED;
        }
    }

    private CodeableConcept table(Type cwe, String tableSystem) {
        CodeableConcept cc = ctx.types.concept(cwe, null);
        if (cc != null && V2.component(cwe, 3) == null && cc.hasCoding()) {
            cc.getCodingFirstRep().setSystem(tableSystem);
        }
        return cc;
    }

    private static String upper(String s) {
        return s == null ? null : s.toUpperCase(Locale.ROOT);
    }

    private static String firstNonNull(String a, String b) {
        return a != null ? a : b;
    }
}
