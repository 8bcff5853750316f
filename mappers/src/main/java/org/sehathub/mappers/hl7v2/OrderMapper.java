package org.sehathub.mappers.hl7v2;

import ca.uhn.hl7v2.model.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.hl7.fhir.r4.model.Annotation;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.HTTPVerb;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.hl7.fhir.r4.model.ServiceRequest.ServiceRequestPriority;
import org.hl7.fhir.r4.model.ServiceRequest.ServiceRequestStatus;
import org.hl7.fhir.r4.model.StringType;
import org.sehathub.mappers.TransactionBundleBuilder;

/**
 * ORC/OBR (+ TQ1, NTE) of the order messages ORM^O01 and OML^O21 to ServiceRequest, after the
 * v2-to-FHIR guide's ORC[ServiceRequest] and OBR[ServiceRequest] maps.
 *
 * <p>The placer (the system that sends the order) is the authority for it: the ServiceRequest is
 * matched on the placer order number (ORC-2/OBR-2, else the filler's ORC-3/OBR-3) and replaced,
 * so a changed order (ORC-1 XO) overwrites the first one. An ORC without an OBR that changes an
 * order's state (cancel, discontinue, hold, release) becomes a conditional PATCH of the known
 * order's status, which fails with "unknown record" when the hub never saw the order. Status
 * comes from ORC-5 when valued, else from ORC-1 (table 0119).
 */
final class OrderMapper {

    private final Hl7Context ctx;
    private final List<Bundle.BundleEntryComponent> patches = new ArrayList<>();
    private SegmentRef pendingOrc;
    private SegmentRef pendingTq1;
    private ServiceRequest order;
    private String orderRef;
    private String orderKey;
    private final ObservationValues values;

    OrderMapper(Hl7Context ctx) {
        this.ctx = ctx;
        this.values = new ObservationValues(ctx);
    }

    /** The ORC waiting for its order detail, handed to a pharmacy order (RXO); null when none. */
    SegmentRef takePendingOrc() {
        SegmentRef orc = pendingOrc;
        pendingOrc = null;
        return orc;
    }

    /** An ORC is kept until its OBR arrives (they map together). */
    void orc(SegmentRef orc) {
        if (pendingOrc != null) {
            orcAlone(pendingOrc);
        }
        pendingOrc = orc;
        pendingTq1 = null;
        order = null;
    }

    void obr(SegmentRef obr, Subject subject) {
        if (!subject.hasPatient()) {
            ctx.warning(obr.label(), "OBR without a PID; not mapped");
            return;
        }
        SegmentRef orc = pendingOrc;
        pendingOrc = null;
        String placer = firstNonNull(number(orc, 2), V2.component(V2.first(obr.segment(), 2), 1));
        String filler = firstNonNull(number(orc, 3), V2.component(V2.first(obr.segment(), 3), 1));
        ServiceRequest sr = new ServiceRequest();
        Identifier placerId = placer == null ? null : placerIdentifier(placer);
        Identifier fillerId = filler == null ? null : fillerIdentifier(filler);
        if (placerId != null) {
            sr.addIdentifier(placerId);
        }
        if (fillerId != null) {
            sr.addIdentifier(fillerId);
        }
        String group = number(orc, 4);
        if (group != null) {
            // ORC-4 placer group number: the requisition that orders placed together share.
            // (v2-0203 in R4 has no PGN type, so the system alone says what it is.)
            sr.setRequisition(new Identifier()
                    .setSystem(Hl7v2Systems.placerGroup(ctx.facility))
                    .setValue(group));
        }
        sr.setIntent(ServiceRequest.ServiceRequestIntent.ORDER);
        sr.setStatus(status(orc, null));
        CodeableConcept code = ctx.types.concept(V2.first(obr.segment(), 4), TerminologyMapsNames.LAB);
        if (code == null) {
            ctx.missing(obr.at(4), "no test code (universal service identifier); order code set to text 'unspecified'");
            code = new CodeableConcept().setText("unspecified");
        }
        sr.setCode(code);
        subjectAndOrderer(ctx, subject, sr, orc, obr);
        priority(sr, V2.component(V2.first(obr.segment(), 27), 6), obr.at(27));
        if (!sr.hasPriority() && obr.field(5) != null) {
            priority(sr, obr.field(5), obr.at(5));
        }
        if (!sr.hasPriority() && orc != null) {
            priority(sr, V2.component(V2.first(orc.segment(), 7), 6), orc.at(7));
        }
        DateTimeType wanted = ctx.types.dateTime(obr.field(6), obr.at(6));
        if (wanted != null) {
            sr.setOccurrence(wanted);
        }
        for (Type reason : V2.reps(obr.segment(), 31)) {
            CodeableConcept cc = ctx.types.concept(reason, TerminologyMapsNames.DIAGNOSIS);
            if (cc != null) {
                sr.addReasonCode(cc);
            }
        }
        String clinicalInfo = obr.field(13);
        if (clinicalInfo != null) {
            sr.addNote(new Annotation().setText("Relevant clinical information: " + clinicalInfo));
        }
        if (orc != null) {
            ctx.reportUnmappedFields(orc, List.of(1, 2, 3, 4, 5, 7, 9, 12));
        }
        ctx.reportUnmappedFields(obr, List.of(1, 2, 3, 4, 5, 6, 13, 16, 27, 31));
        order = sr;
        if (pendingTq1 != null) {
            // OML^O21 sends the timing between ORC and OBR.
            tq1(pendingTq1);
            pendingTq1 = null;
        }

        if (placerId != null || fillerId != null) {
            Identifier key = placerId != null ? placerId : fillerId;
            orderKey = (placerId != null ? "placer:" : "filler:") + key.getValue();
            orderRef = ctx.bundle.conditionalUpdate(sr, Hl7Context.identifierQuery(key.getSystem(), key.getValue()));
        } else {
            ctx.missing(
                    obr.at(2),
                    "neither placer (ORC-2/OBR-2) nor filler order number (ORC-3/OBR-3); "
                            + "the order is keyed on this message and later changes to it cannot find it");
            orderKey = "message:" + ctx.parsed.controlId() + ":" + obr.occurrence();
            orderRef = ctx.bundle.update(
                    sr,
                    TransactionBundleBuilder.deterministicId(
                            "ServiceRequest",
                            ctx.facility,
                            "message:" + ctx.parsed.controlId(),
                            String.valueOf(obr.occurrence())));
        }
    }

    /**
     * What ORU and the order messages share: the patient and visit, ORC-9 the time of the order,
     * ORC-12 (else OBR-16) who ordered it.
     */
    static void subjectAndOrderer(Hl7Context ctx, Subject subject, ServiceRequest sr, SegmentRef orc, SegmentRef obr) {
        sr.setSubject(subject.patient());
        if (subject.hasVisit()) {
            sr.setEncounter(subject.visit());
        }
        DateTimeType authored = orc == null ? null : ctx.types.dateTime(orc.field(9), orc.at(9));
        if (authored != null) {
            sr.setAuthoredOnElement(authored);
        }
        Reference requester = orc == null ? null : ctx.practitioners.reference(V2.first(orc.segment(), 12), orc.at(12));
        if (requester == null) {
            requester = ctx.practitioners.reference(V2.first(obr.segment(), 16), obr.at(16));
        }
        sr.setRequester(requester);
    }

    /** TQ1 of the current order (or of the ORC waiting for its OBR): TQ1-7 start, TQ1-9 priority. */
    boolean tq1(SegmentRef tq1) {
        ServiceRequest sr = order;
        if (sr == null && pendingOrc != null) {
            pendingTq1 = tq1;
            return true;
        }
        if (sr == null) {
            return false;
        }
        DateTimeType start = ctx.types.dateTime(tq1.field(7), tq1.at(7));
        if (start != null) {
            sr.setOccurrence(start);
        }
        Type priority = V2.first(tq1.segment(), 9);
        if (priority != null) {
            priority(sr, V2.component(priority, 1), tq1.at(9));
        }
        ctx.reportUnmappedFields(tq1, List.of(1, 7, 9));
        return true;
    }

    /**
     * An OBX after the OBR of an order: an answer the orderer gave with the order (ask at order
     * entry: fasting, last menstrual period, weight), stored as an Observation and named in the
     * order's {@code supportingInfo}. False if there is no order.
     */
    boolean obx(SegmentRef obx, Subject subject) {
        if (order == null || !subject.hasPatient()) {
            return false;
        }
        CodeableConcept code = ctx.types.concept(V2.first(obx.segment(), 3), TerminologyMapsNames.LAB);
        if (code == null) {
            ctx.missing(obx.at(3), "observation without an identifier (OBX-3); not mapped");
            return true;
        }
        Observation o = new Observation();
        o.setStatus(values.status(obx));
        o.setCode(code);
        o.setSubject(subject.patient());
        if (subject.hasVisit()) {
            o.setEncounter(subject.visit());
        }
        values.value(obx, o);
        DateTimeType effective = ctx.types.dateTime(obx.field(14), obx.at(14));
        if (effective != null) {
            o.setEffective(effective);
        }
        String setId = obx.field(1) != null
                ? obx.field(1)
                : String.valueOf(order.getSupportingInfo().size() + 1);
        String key = orderKey + "-aoe-" + setId;
        o.addIdentifier().setSystem(Hl7v2Systems.observation(ctx.facility)).setValue(key);
        String ref = ctx.bundle.conditionalUpdate(
                o, Hl7Context.identifierQuery(Hl7v2Systems.observation(ctx.facility), key));
        order.addSupportingInfo(new Reference(ref));
        ctx.reportUnmappedFields(obx, List.of(1, 2, 3, 5, 6, 11, 14));
        return true;
    }

    /** NTE-3 to the current order's note. False if there is no order. */
    boolean nte(SegmentRef nte) {
        if (order == null) {
            return false;
        }
        String text = V2.reps(nte.segment(), 3).stream()
                .map(V2::text)
                .filter(t -> t != null)
                .reduce((a, b) -> a + "\n" + b)
                .orElse(null);
        if (text != null) {
            order.addNote(new Annotation().setText(text));
        }
        ctx.reportUnmappedFields(nte, List.of(1, 2, 3, 4));
        return true;
    }

    /** The current order's entry, for specimens and results that name it. */
    String orderRef() {
        return order == null ? null : orderRef;
    }

    /** Handles an ORC that never met its OBR. */
    void finish() {
        if (pendingOrc != null) {
            orcAlone(pendingOrc);
            pendingOrc = null;
        }
    }

    /** The PATCH entries of state changes, appended after the builder's entries. */
    List<Bundle.BundleEntryComponent> patches() {
        return patches;
    }

    /**
     * An ORC without order detail: a state change of a known order (PATCH of its status), or an
     * order of a kind not mapped (pharmacy RXO, dietary ODS...), reported.
     */
    private void orcAlone(SegmentRef orc) {
        String control = upper(orc.field(1));
        if (OrderState.ofControl(orc) == null) {
            ctx.warning(
                    orc.label(),
                    "ORC without an OBR or RXO (order control " + control + "); only laboratory, diagnostic "
                            + "(OBR) and pharmacy (RXO) orders are mapped, so this order is not stored");
            return;
        }
        String placer = number(orc, 2);
        String filler = number(orc, 3);
        if (placer == null && filler == null) {
            ctx.missing(
                    orc.at(2),
                    "order control " + control + " names neither placer (ORC-2) nor filler order number (ORC-3); "
                            + "there is no order to change");
            return;
        }
        Identifier key = placer != null ? placerIdentifier(placer) : fillerIdentifier(filler);
        ServiceRequestStatus status = status(orc, null);
        Parameters patch = new Parameters();
        Parameters.ParametersParameterComponent op = patch.addParameter().setName("operation");
        op.addPart().setName("type").setValue(new CodeType("replace"));
        op.addPart().setName("path").setValue(new StringType("ServiceRequest.status"));
        op.addPart().setName("value").setValue(new CodeType(status.toCode()));
        String query = Hl7Context.identifierQuery(key.getSystem(), key.getValue());
        Bundle.BundleEntryComponent entry = new Bundle.BundleEntryComponent();
        entry.setFullUrl("urn:uuid:"
                + TransactionBundleBuilder.deterministicId("ServiceRequest-status", query, ctx.parsed.controlId()));
        entry.setResource(patch);
        entry.getRequest().setMethod(HTTPVerb.PATCH).setUrl("ServiceRequest?" + query);
        patches.add(entry);
        ctx.reportUnmappedFields(orc, List.of(1, 2, 3, 5));
    }

    private Identifier placerIdentifier(String placer) {
        return Datatypes.typedIdentifier(Hl7v2Systems.placerOrder(ctx.facility), placer, "PLAC", "Placer Identifier");
    }

    private Identifier fillerIdentifier(String filler) {
        return Datatypes.typedIdentifier(Hl7v2Systems.fillerOrder(ctx.facility), filler, "FILL", "Filler Identifier");
    }

    private static String number(SegmentRef orc, int field) {
        return orc == null ? null : V2.component(V2.first(orc.segment(), field), 1);
    }

    /** Table 0027 priority to FHIR's request-priority; a value outside both is reported. */
    private void priority(ServiceRequest sr, String raw, String location) {
        String code = upper(raw);
        if (code == null) {
            return;
        }
        ServiceRequestPriority priority = switch (code) {
            case "S" -> ServiceRequestPriority.STAT;
            case "A" -> ServiceRequestPriority.ASAP;
            case "R" -> ServiceRequestPriority.ROUTINE;
            case "P", "C", "T" -> ServiceRequestPriority.URGENT;
            default -> null;
        };
        if (priority == null) {
            ctx.unknownCode(location, "priority '" + raw + "' is not in HL7 table 0027; left out");
        } else {
            sr.setPriority(priority);
        }
    }

    /**
     * ORC-5 order status (table 0038) when valued; else the result status of a report (OBR-25) when
     * given; else ORC-1 order control (table 0119); else active.
     */
    static ServiceRequestStatus status(SegmentRef orc, String resultStatus) {
        OrderState state = OrderState.ofStatus(orc);
        if (state == null && ("F".equals(resultStatus) || "C".equals(resultStatus))) {
            state = OrderState.COMPLETED;
        } else if (state == null && "X".equals(resultStatus)) {
            state = OrderState.CANCELLED;
        } else if (state == null && resultStatus == null) {
            state = OrderState.ofControl(orc);
        }
        return switch (state == null ? OrderState.ACTIVE : state) {
            case ACTIVE -> ServiceRequestStatus.ACTIVE;
            case COMPLETED -> ServiceRequestStatus.COMPLETED;
            case CANCELLED, DISCONTINUED -> ServiceRequestStatus.REVOKED;
            case ON_HOLD -> ServiceRequestStatus.ONHOLD;
            case ENTERED_IN_ERROR -> ServiceRequestStatus.ENTEREDINERROR;
        };
    }

    private static String upper(String s) {
        return s == null ? null : s.strip().toUpperCase(Locale.ROOT);
    }

    private static String firstNonNull(String a, String b) {
        return a != null ? a : b;
    }
}
