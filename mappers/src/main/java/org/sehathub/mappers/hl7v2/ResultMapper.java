package org.sehathub.mappers.hl7v2;

import ca.uhn.hl7v2.model.Type;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.hl7.fhir.r4.model.Annotation;
import org.hl7.fhir.r4.model.Attachment;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.DiagnosticReport.DiagnosticReportStatus;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.sehathub.mappers.NamingSystems;
import org.sehathub.mappers.normalize.DateNormalizer;
import org.sehathub.mappers.normalize.NormalizationException;

/**
 * ORC/OBR to ServiceRequest and DiagnosticReport, OBX to Observation, NTE to notes; after the
 * v2-to-FHIR guide's ORC[ServiceRequest], OBR[ServiceRequest], OBR[DiagnosticReport] and
 * OBX[Observation] maps.
 *
 * <p>Keys: the DiagnosticReport is matched on the filler order number (ORC-3/OBR-3, else the
 * placer's ORC-2/OBR-2) and replaced, so a corrected report (OBR-25 C) overwrites the preliminary
 * one; each Observation is matched on order number + OBX-1 set id (+ OBX-4 sub-id) and replaced
 * likewise. The ServiceRequest is only created when the hub does not know the order yet, since
 * the lab is not the authority for the order itself. OBX codes (and OBR-4) keep the lab's coding
 * and gain LOINC from the {@code lab-to-loinc} map.
 */
final class ResultMapper {

    private final Hl7Context ctx;
    private final ObservationValues values;
    private final String category;
    /** True for OUL^R22, whose SPM comes before the OBRs it belongs to and whose ORC follows its OBR. */
    private final boolean specimenFirst;

    private SegmentRef pendingOrc;
    private ServiceRequest order;
    private DiagnosticReport report;
    private String reportRef;
    private String orderKey;
    private String orderEffective;
    private Observation lastObservation;
    private int obxWithoutOrder;
    private String orderRef;
    private String specimenRef;

    /**
     * @param category Observation category code (laboratory for ORU, exam for OBX in ADT)
     */
    ResultMapper(Hl7Context ctx, String category, boolean specimenFirst) {
        this.ctx = ctx;
        this.values = new ObservationValues(ctx);
        this.category = category;
        this.specimenFirst = specimenFirst;
    }

    /**
     * An ORC is kept until its OBR arrives (they map together); in OUL^R22, where the ORC follows
     * its OBR, it completes the current order.
     */
    void orc(SegmentRef orc) {
        if (specimenFirst && order != null && lastObservation == null) {
            orcOfCurrentOrder(orc);
            return;
        }
        if (pendingOrc != null) {
            ctx.warning(pendingOrc.label(), "ORC without an OBR; not mapped");
        }
        pendingOrc = orc;
    }

    void obr(SegmentRef obr, Subject subject) {
        if (!subject.hasPatient()) {
            ctx.warning(obr.label(), "OBR without a PID; not mapped");
            return;
        }
        SegmentRef orc = pendingOrc;
        pendingOrc = null;
        if (!specimenFirst) {
            specimenRef = null;
        }
        String placer = firstNonNull(
                orc == null ? null : V2.component(V2.first(orc.segment(), 2), 1),
                V2.component(V2.first(obr.segment(), 2), 1));
        String filler = firstNonNull(
                orc == null ? null : V2.component(V2.first(orc.segment(), 3), 1),
                V2.component(V2.first(obr.segment(), 3), 1));
        CodeableConcept code = ctx.types.concept(V2.first(obr.segment(), 4), TerminologyMapsNames.LAB);
        if (code == null) {
            ctx.missing(
                    obr.at(4), "no test code (universal service identifier); report code set to text 'unspecified'");
            code = new CodeableConcept().setText("unspecified");
        }
        String resultStatus = upper(obr.field(25));
        lastObservation = null;

        // ServiceRequest
        ServiceRequest sr = new ServiceRequest();
        Identifier placerId = placer == null
                ? null
                : Datatypes.typedIdentifier(
                        Hl7v2Systems.placerOrder(ctx.facility), placer, "PLAC", "Placer Identifier");
        Identifier fillerId = filler == null
                ? null
                : Datatypes.typedIdentifier(
                        Hl7v2Systems.fillerOrder(ctx.facility), filler, "FILL", "Filler Identifier");
        if (placerId != null) {
            sr.addIdentifier(placerId);
        }
        if (fillerId != null) {
            sr.addIdentifier(fillerId.copy());
        }
        sr.setIntent(ServiceRequest.ServiceRequestIntent.ORDER);
        sr.setStatus(OrderMapper.status(orc, resultStatus));
        sr.setCode(code.copy());
        OrderMapper.subjectAndOrderer(ctx, subject, sr, orc, obr);

        // DiagnosticReport
        DiagnosticReport dr = new DiagnosticReport();
        if (fillerId != null) {
            dr.addIdentifier(fillerId);
        }
        if (placerId != null) {
            dr.addIdentifier(placerId.copy());
        }
        dr.setStatus(reportStatus(resultStatus, obr));
        String section = upper(obr.field(24));
        if (section == null) {
            dr.addCategory(new CodeableConcept(new Coding(V2Tables.DIAGNOSTIC_SECTION, "LAB", "Laboratory")));
        } else if (V2Tables.defines(V2Tables.DIAGNOSTIC_SECTION, section)) {
            dr.addCategory(new CodeableConcept(new Coding(V2Tables.DIAGNOSTIC_SECTION, section, null)));
        } else {
            // A section of the sender's own (STANDARD, say): its local code, not a table 0074 one.
            dr.addCategory(new CodeableConcept(new Coding(NamingSystems.localCodes(ctx.facility), section, null))
                    .setText(obr.field(24)));
        }
        dr.setCode(code);
        dr.setSubject(subject.patient());
        if (subject.hasVisit()) {
            dr.setEncounter(subject.visit());
        }
        orderEffective = obr.field(7);
        DateTimeType effective = ctx.types.dateTime(orderEffective, obr.at(7));
        if (effective != null) {
            dr.setEffective(effective);
        }
        String issued = obr.field(22);
        if (issued != null) {
            try {
                dr.setIssuedElement(AppointmentMapper.instantType(DateNormalizer.parseDateTime(issued)));
            } catch (NormalizationException e) {
                ctx.warning(obr.at(22), "report time '" + issued + "' left out: " + e.getReason());
            }
        }
        dr.addPerformer(new Reference(ctx.organizationRef));
        if (specimenFirst && specimenRef != null) {
            dr.addSpecimen(new Reference(specimenRef));
        }

        if (orc != null) {
            ctx.reportUnmappedFields(orc, List.of(1, 2, 3, 5, 9, 12));
        }
        ctx.reportUnmappedFields(obr, List.of(1, 2, 3, 4, 7, 16, 22, 24, 25));

        String srQuery = placerId != null
                ? Hl7Context.identifierQuery(placerId.getSystem(), placer)
                : fillerId != null ? Hl7Context.identifierQuery(fillerId.getSystem(), filler) : null;
        if (srQuery != null) {
            String srRef = ctx.bundle.conditionalCreate(sr, srQuery);
            orderRef = srRef;
            dr.addBasedOn(new Reference(srRef));
            orderKey = filler != null ? "filler:" + filler : "placer:" + placer;
            String drQuery = fillerId != null
                    ? Hl7Context.identifierQuery(fillerId.getSystem(), filler)
                    : Hl7Context.identifierQuery(placerId.getSystem(), placer);
            reportRef = ctx.bundle.conditionalUpdate(dr, drQuery);
        } else {
            ctx.missing(
                    obr.at(3),
                    "neither filler (ORC-3/OBR-3) nor placer order number (ORC-2/OBR-2); "
                            + "the report is keyed on this message and a correction will not replace it");
            orderKey = "message:" + ctx.parsed.controlId() + ":" + obr.occurrence();
            String srRef = ctx.bundle.update(
                    sr,
                    org.sehathub.mappers.TransactionBundleBuilder.deterministicId(
                            "ServiceRequest", ctx.facility, orderKey));
            orderRef = srRef;
            dr.addBasedOn(new Reference(srRef));
            reportRef = ctx.bundle.update(
                    dr,
                    org.sehathub.mappers.TransactionBundleBuilder.deterministicId(
                            "DiagnosticReport", ctx.facility, orderKey));
        }
        order = sr;
        report = dr;
    }

    /** OUL^R22's ORC after its OBR: order status, time and orderer of the current order. */
    private void orcOfCurrentOrder(SegmentRef orc) {
        String status = orc.field(5);
        if (status != null) {
            order.setStatus(OrderMapper.status(orc, null));
        }
        DateTimeType authored = ctx.types.dateTime(orc.field(9), orc.at(9));
        if (authored != null) {
            order.setAuthoredOnElement(authored);
        }
        Reference requester = ctx.practitioners.reference(V2.first(orc.segment(), 12), orc.at(12));
        if (requester != null) {
            order.setRequester(requester);
        }
        ctx.reportUnmappedFields(orc, List.of(1, 2, 3, 5, 9, 12));
    }

    /**
     * A specimen (SPM): in ORU it belongs to the current OBR and the OBX that follow it; in OUL^R22
     * to the OBRs that follow it.
     */
    void specimen(String ref) {
        specimenRef = ref;
        if (!specimenFirst && report != null) {
            report.addSpecimen(new Reference(ref));
        }
    }

    /** The order of the current OBR (ORU), for a specimen that follows it; null when none. */
    String orderRef() {
        return specimenFirst ? null : orderRef;
    }

    /**
     * Maps an OBX under the current OBR (or, in ADT, under the visit). An OBX whose value is a
     * document (ED: a PDF report, RP: a link to one) is the report's {@code presentedForm}, after
     * the guide's OBX[DiagnosticReport] map, not an Observation: R4 has no Observation value for it.
     */
    void obx(SegmentRef obx, Subject subject) {
        if (!subject.hasPatient()) {
            ctx.warning(obx.label(), "OBX without a PID; not mapped");
            return;
        }
        String valueType = obx.field(2) == null ? "" : obx.field(2).strip().toUpperCase(Locale.ROOT);
        if (report != null && Attachments.isDocument(valueType, V2.reps(obx.segment(), 5))) {
            for (Type value : V2.reps(obx.segment(), 5)) {
                Attachment form = valueType.equals("ED")
                        ? Attachments.encapsulated(ctx, value, obx.at(5))
                        : Attachments.pointer(ctx, value, obx.at(5));
                if (form != null) {
                    String title = V2.component(V2.first(obx.segment(), 3), 2);
                    report.addPresentedForm(title != null ? form.setTitle(title) : form);
                }
            }
            ctx.reportUnmappedFields(obx, List.of(1, 2, 3, 4, 5, 11, 14));
            return;
        }
        CodeableConcept code = ctx.types.concept(V2.first(obx.segment(), 3), TerminologyMapsNames.LAB);
        if (code == null) {
            ctx.missing(obx.at(3), "observation without an identifier (OBX-3); not mapped");
            return;
        }
        Observation o = new Observation();
        o.setStatus(values.status(obx));
        o.addCategory(new CodeableConcept(new Coding(
                "http://terminology.hl7.org/CodeSystem/observation-category",
                category,
                category.equals("laboratory") ? "Laboratory" : category.equals("exam") ? "Exam" : null)));
        o.setCode(code);
        o.setSubject(subject.patient());
        if (subject.hasVisit()) {
            o.setEncounter(subject.visit());
        }
        values.value(obx, o);
        values.referenceRange(obx, o);
        values.interpretation(obx, o);
        DateTimeType effective = ctx.types.dateTime(obx.field(14), obx.at(14));
        if (effective == null && orderEffective != null && report != null) {
            effective = ctx.types.dateTime(orderEffective, obx.at(14));
        }
        if (effective != null) {
            o.setEffective(effective);
        }
        Reference observer = ctx.practitioners.reference(V2.first(obx.segment(), 16), obx.at(16));
        if (observer != null) {
            o.addPerformer(observer);
        }
        if (specimenRef != null) {
            o.setSpecimen(new Reference(specimenRef));
        }
        if (report != null) {
            o.addPerformer(new Reference(ctx.organizationRef));
            o.addBasedOn(report.getBasedOnFirstRep().copy());
        }
        ctx.reportUnmappedFields(obx, List.of(1, 2, 3, 4, 5, 6, 7, 8, 11, 14, 16));

        String setId = obx.field(1) != null
                ? obx.field(1)
                : String.valueOf(report != null ? report.getResult().size() + 1 : ++obxWithoutOrder);
        String subId = obx.field(4);
        String key = (report != null ? orderKey : visitOrMessageKey(subject)) + "-" + setId
                + (subId != null ? "." + subId : "");
        o.addIdentifier().setSystem(Hl7v2Systems.observation(ctx.facility)).setValue(key);
        String ref = ctx.bundle.conditionalUpdate(
                o, Hl7Context.identifierQuery(Hl7v2Systems.observation(ctx.facility), key));
        if (report != null) {
            report.addResult(new Reference(ref));
        }
        lastObservation = o;
    }

    /** NTE-3 to the note of the preceding OBX's Observation, or of the order. False if nowhere. */
    boolean nte(SegmentRef nte) {
        List<Type> reps = V2.reps(nte.segment(), 3);
        if (reps.isEmpty()) {
            return true;
        }
        String text = reps.stream().map(V2::text).filter(t -> t != null).collect(Collectors.joining("\n"));
        if (lastObservation != null) {
            lastObservation.addNote(new Annotation().setText(text));
        } else if (order != null) {
            order.addNote(new Annotation().setText(text));
        } else {
            return false;
        }
        ctx.reportUnmappedFields(nte, List.of(1, 2, 3, 4));
        return true;
    }

    /** Reports an ORC that never met its OBR. */
    void finish() {
        if (pendingOrc != null) {
            ctx.warning(pendingOrc.label(), "ORC without an OBR; not mapped");
            pendingOrc = null;
        }
    }

    private String visitOrMessageKey(Subject subject) {
        return subject.visitKey() != null && subject.visitKey().startsWith("identifier=")
                ? "visit:" + subject.visitKey().substring(subject.visitKey().indexOf("%7C") + 3)
                : "message:" + ctx.parsed.controlId();
    }

    private DiagnosticReportStatus reportStatus(String status, SegmentRef obr) {
        if (status == null) {
            ctx.missing(obr.at(25), "result status is empty; DiagnosticReport.status set to unknown");
            return DiagnosticReportStatus.UNKNOWN;
        }
        return switch (status) {
            case "F" -> DiagnosticReportStatus.FINAL;
            case "C" -> DiagnosticReportStatus.CORRECTED;
            case "P" -> DiagnosticReportStatus.PRELIMINARY;
            case "A", "R" -> DiagnosticReportStatus.PARTIAL;
            case "O", "I", "S" -> DiagnosticReportStatus.REGISTERED;
            case "X" -> DiagnosticReportStatus.CANCELLED;
            default -> {
                ctx.unknownCode(
                        obr.at(25),
                        "result status '" + status
                                + "' is not in HL7 table 0123; DiagnosticReport.status set to unknown");
                yield DiagnosticReportStatus.UNKNOWN;
            }
        };
    }

    private static String upper(String s) {
        return s == null ? null : s.toUpperCase(Locale.ROOT);
    }

    private static String firstNonNull(String a, String b) {
        return a != null ? a : b;
    }
}
