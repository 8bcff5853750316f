package org.sehathub.mappers.hl7v2;

import java.math.BigDecimal;
import java.util.List;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Dosage;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.MedicationRequest.MedicationRequestStatus;
import org.hl7.fhir.r4.model.Reference;
import org.sehathub.mappers.TransactionBundleBuilder;
import org.sehathub.mappers.normalize.UnitNormalizer;

/**
 * A pharmacy order of ORM^O01 (ORC + RXO, RXR) to MedicationRequest, after the v2-to-FHIR guide's
 * RXO[MedicationRequest] map. The placer is the authority: the request is matched on the placer
 * order number (ORC-2, else the filler's ORC-3) and replaced.
 */
final class MedicationOrderMapper {

    private final Hl7Context ctx;
    private MedicationRequest current;

    MedicationOrderMapper(Hl7Context ctx) {
        this.ctx = ctx;
    }

    /**
     * @param orc the ORC of this order (may be null: the order is then keyed on the message)
     */
    void rxo(SegmentRef rxo, Subject subject, SegmentRef orc) {
        current = null;
        if (!subject.hasPatient()) {
            ctx.warning(rxo.label(), "RXO without a PID; not mapped");
            return;
        }
        CodeableConcept medication = ctx.types.concept(V2.first(rxo.segment(), 1), null);
        if (medication == null) {
            ctx.missing(rxo.at(1), "no requested give code (the medicine); the order is not stored");
            return;
        }
        MedicationRequest request = new MedicationRequest();
        String placer = orc == null ? null : V2.component(V2.first(orc.segment(), 2), 1);
        String filler = orc == null ? null : V2.component(V2.first(orc.segment(), 3), 1);
        Identifier key = null;
        if (placer != null) {
            key = Datatypes.typedIdentifier(
                    Hl7v2Systems.placerOrder(ctx.facility), placer, "PLAC", "Placer Identifier");
            request.addIdentifier(key);
        }
        if (filler != null) {
            Identifier fillerId = Datatypes.typedIdentifier(
                    Hl7v2Systems.fillerOrder(ctx.facility), filler, "FILL", "Filler Identifier");
            request.addIdentifier(fillerId);
            key = key != null ? key : fillerId;
        }
        request.setStatus(status(orc));
        request.setIntent(MedicationRequest.MedicationRequestIntent.ORDER);
        request.setMedication(medication);
        request.setSubject(subject.patient());
        if (subject.hasVisit()) {
            request.setEncounter(subject.visit());
        }
        if (orc != null) {
            DateTimeType authored = ctx.types.dateTime(orc.field(9), orc.at(9));
            if (authored != null) {
                request.setAuthoredOnElement(authored);
            }
            Reference requester = ctx.practitioners.reference(V2.first(orc.segment(), 12), orc.at(12));
            if (requester != null) {
                request.setRequester(requester);
            }
            ctx.reportUnmappedFields(orc, List.of(1, 2, 3, 5, 9, 12));
        }
        Dosage dosage = new Dosage();
        String instructions = V2.text(V2.first(rxo.segment(), 6));
        String instructionsText = V2.component(V2.first(rxo.segment(), 6), 2);
        if (instructionsText != null || instructions != null) {
            dosage.setText(instructionsText != null ? instructionsText : instructions);
        }
        BigDecimal amount = number(rxo.field(2), rxo.at(2));
        if (amount != null) {
            dosage.addDoseAndRate().setDose(UnitNormalizer.toQuantity(amount, unit(rxo, 4)));
        }
        if (!dosage.isEmpty()) {
            request.addDosageInstruction(dosage);
        }
        BigDecimal dispense = number(rxo.field(11), rxo.at(11));
        if (dispense != null) {
            request.getDispenseRequest().setQuantity(UnitNormalizer.toQuantity(dispense, unit(rxo, 12)));
        }
        BigDecimal refills = number(rxo.field(13), rxo.at(13));
        if (refills != null) {
            request.getDispenseRequest().setNumberOfRepeatsAllowed(refills.intValue());
        }
        ctx.reportUnmappedFields(rxo, List.of(1, 2, 4, 6, 11, 12, 13));
        if (key != null) {
            ctx.bundle.conditionalUpdate(request, Hl7Context.identifierQuery(key.getSystem(), key.getValue()));
        } else {
            ctx.missing(
                    rxo.label(), "no placer or filler order number (ORC-2/ORC-3); the order is keyed on this message");
            ctx.bundle.update(
                    request,
                    TransactionBundleBuilder.deterministicId(
                            "MedicationRequest", ctx.facility, "message:" + ctx.parsed.controlId(), rxo.label()));
        }
        current = request;
    }

    /** RXR-1 route of the preceding RXO. False when there is none. */
    boolean rxr(SegmentRef rxr) {
        if (current == null) {
            return false;
        }
        CodeableConcept route = ctx.types.concept(V2.first(rxr.segment(), 1), null);
        if (route != null) {
            if (current.hasDosageInstruction()) {
                current.getDosageInstructionFirstRep().setRoute(route);
            } else {
                current.addDosageInstruction(new Dosage().setRoute(route));
            }
        }
        ctx.reportUnmappedFields(rxr, List.of(1));
        return true;
    }

    private String unit(SegmentRef rxo, int field) {
        String code = V2.component(V2.first(rxo.segment(), field), 1);
        return code != null ? code : V2.component(V2.first(rxo.segment(), field), 2);
    }

    private BigDecimal number(String raw, String location) {
        if (raw == null) {
            return null;
        }
        try {
            return new BigDecimal(raw.strip());
        } catch (NumberFormatException e) {
            ctx.warning(location, "'" + raw + "' is not a number; left out");
            return null;
        }
    }

    /** ORC-5 (table 0038) when valued, else ORC-1 (table 0119), else active. */
    private static MedicationRequestStatus status(SegmentRef orc) {
        OrderState state = OrderState.ofStatus(orc);
        state = state != null ? state : OrderState.ofControl(orc);
        return switch (state == null ? OrderState.ACTIVE : state) {
            case ACTIVE -> MedicationRequestStatus.ACTIVE;
            case COMPLETED -> MedicationRequestStatus.COMPLETED;
            case CANCELLED -> MedicationRequestStatus.CANCELLED;
            case DISCONTINUED -> MedicationRequestStatus.STOPPED;
            case ON_HOLD -> MedicationRequestStatus.ONHOLD;
            case ENTERED_IN_ERROR -> MedicationRequestStatus.ENTEREDINERROR;
        };
    }
}
