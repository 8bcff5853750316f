package org.sehathub.mappers.hl7v2;

import ca.uhn.hl7v2.model.Type;
import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.hl7.fhir.r4.model.Annotation;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.DiagnosticReport.DiagnosticReportStatus;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Observation.ObservationStatus;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Range;
import org.hl7.fhir.r4.model.Ratio;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.TimeType;
import org.sehathub.mappers.NamingSystems;
import org.sehathub.mappers.normalize.DateNormalizer;
import org.sehathub.mappers.normalize.NormalizationException;
import org.sehathub.mappers.normalize.UnitNormalizer;

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

    private static final Pattern NUMBER = Pattern.compile("(<=|>=|<|>)?\\s*([-+]?\\d+(?:\\.\\d+)?)");
    private static final Pattern RANGE =
            Pattern.compile("\\s*([-+]?\\d+(?:\\.\\d+)?)\\s*-\\s*([-+]?\\d+(?:\\.\\d+)?)\\s*");
    private static final Pattern BOUND = Pattern.compile("\\s*(<=|>=|<|>)\\s*([-+]?\\d+(?:\\.\\d+)?)\\s*");
    private static final String INTERPRETATION = "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation";
    private static final Map<String, String> FLAGS = Map.ofEntries(
            Map.entry("L", "Low"),
            Map.entry("H", "High"),
            Map.entry("LL", "Critical low"),
            Map.entry("HH", "Critical high"),
            Map.entry("N", "Normal"),
            Map.entry("A", "Abnormal"),
            Map.entry("AA", "Critical abnormal"),
            Map.entry("<", "Off scale low"),
            Map.entry(">", "Off scale high"),
            Map.entry("POS", "Positive"),
            Map.entry("NEG", "Negative"),
            Map.entry("IND", "Indeterminate"),
            Map.entry("DET", "Detected"),
            Map.entry("ND", "Not detected"),
            Map.entry("S", "Susceptible"),
            Map.entry("R", "Resistant"),
            Map.entry("I", "Intermediate"),
            Map.entry("U", "Significant change up"),
            Map.entry("D", "Significant change down"),
            Map.entry("B", "Better"),
            Map.entry("W", "Worse"));

    private final Hl7Context ctx;
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

    void obr(SegmentRef obr) {
        if (ctx.patientRef == null) {
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
        OrderMapper.subjectAndOrderer(ctx, sr, orc, obr);

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
        dr.setSubject(ctx.patient());
        if (ctx.encounterRef != null) {
            dr.setEncounter(new Reference(ctx.encounterRef));
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

    /** Maps an OBX under the current OBR (or, in ADT, under the visit). */
    void obx(SegmentRef obx) {
        if (ctx.patientRef == null) {
            ctx.warning(obx.label(), "OBX without a PID; not mapped");
            return;
        }
        CodeableConcept code = ctx.types.concept(V2.first(obx.segment(), 3), TerminologyMapsNames.LAB);
        if (code == null) {
            ctx.missing(obx.at(3), "observation without an identifier (OBX-3); not mapped");
            return;
        }
        Observation o = new Observation();
        o.setStatus(observationStatus(obx));
        o.addCategory(new CodeableConcept(new Coding(
                "http://terminology.hl7.org/CodeSystem/observation-category",
                category,
                category.equals("laboratory") ? "Laboratory" : category.equals("exam") ? "Exam" : null)));
        o.setCode(code);
        o.setSubject(ctx.patient());
        if (ctx.encounterRef != null) {
            o.setEncounter(new Reference(ctx.encounterRef));
        }
        value(obx, o);
        referenceRange(obx, o);
        for (Type flag : V2.reps(obx.segment(), 8)) {
            String f = V2.component(flag, 1);
            String display = f == null ? null : FLAGS.get(f.toUpperCase(Locale.ROOT));
            if (display == null) {
                ctx.unknownCode(obx.at(8), "abnormal flag '" + f + "' is not in HL7 table 0078; left out");
            } else {
                o.addInterpretation(
                        new CodeableConcept(new Coding(INTERPRETATION, f.toUpperCase(Locale.ROOT), display)));
            }
        }
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
        String key =
                (report != null ? orderKey : visitOrMessageKey()) + "-" + setId + (subId != null ? "." + subId : "");
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

    private String visitOrMessageKey() {
        return ctx.encounterKey != null && ctx.encounterKey.startsWith("identifier=")
                ? "visit:" + ctx.encounterKey.substring(ctx.encounterKey.indexOf("%7C") + 3)
                : "message:" + ctx.parsed.controlId();
    }

    private void value(SegmentRef obx, Observation o) {
        List<Type> values = V2.reps(obx.segment(), 5);
        String valueType = upper(obx.field(2));
        if (values.isEmpty()) {
            if (o.getStatus() == ObservationStatus.CANCELLED) {
                o.setDataAbsentReason(new CodeableConcept(new Coding(
                        "http://terminology.hl7.org/CodeSystem/data-absent-reason", "not-performed", "Not Performed")));
            }
            return;
        }
        String unit = unit(obx);
        String first = V2.text(values.get(0));
        if (valueType == null) {
            valueType = "ST";
            ctx.missing(obx.at(2), "value type is empty; value kept as text");
        }
        if (values.size() > 1 && !List.of("ST", "TX", "FT").contains(valueType)) {
            ctx.warning(
                    obx.at(5),
                    "only the first of " + values.size() + " repetitions mapped for value type " + valueType);
        }
        switch (valueType) {
            case "NM" -> {
                Quantity q = quantity(first, unit);
                if (q == null) {
                    ctx.warning(obx.at(5), "NM value '" + first + "' is not a number; kept as text");
                    o.setValue(new StringType(first));
                } else {
                    o.setValue(q);
                }
            }
            case "SN" -> o.setValue(structuredNumeric(values.get(0), unit, obx));
            case "ST", "TX", "FT" ->
                o.setValue(new StringType(
                        values.stream().map(V2::text).filter(t -> t != null).collect(Collectors.joining("\n"))));
            case "CWE", "CE", "CNE" -> o.setValue(ctx.types.concept(values.get(0), null));
            case "DT", "DTM", "TS" -> {
                DateTimeType dt = ctx.types.dateTime(first, obx.at(5));
                if (dt != null) {
                    o.setValue(dt);
                }
            }
            case "TM" -> {
                if (first.matches("\\d{4}(\\d{2})?")) {
                    o.setValue(new TimeType(first.substring(0, 2) + ":" + first.substring(2, 4) + ":"
                            + (first.length() == 6 ? first.substring(4) : "00")));
                } else {
                    ctx.warning(obx.at(5), "TM value '" + first + "' is not HHMM[SS]; kept as text");
                    o.setValue(new StringType(first));
                }
            }
            default -> {
                ctx.warning(obx.at(2), "value type " + valueType + " is not mapped; value kept as text");
                o.setValue(new StringType(first));
            }
        }
    }

    /** OBX-6: the UCUM code when CWE-3 says UCUM, else the unit as written (CWE-1, or CWE-2). */
    private static String unit(SegmentRef obx) {
        Type units = V2.first(obx.segment(), 6);
        if (units == null) {
            return null;
        }
        return firstNonNull(V2.component(units, 1), V2.component(units, 2));
    }

    private static Quantity quantity(String raw, String unit) {
        if (raw == null) {
            return null;
        }
        Matcher m = NUMBER.matcher(raw.strip());
        if (!m.matches()) {
            return null;
        }
        Quantity q = UnitNormalizer.toQuantity(new BigDecimal(m.group(2)), unit);
        if (m.group(1) != null) {
            q.setComparator(Quantity.QuantityComparator.fromCode(m.group(1)));
        }
        return q;
    }

    /** SN: .1 comparator, .2 number, .3 separator or suffix, .4 second number. */
    private org.hl7.fhir.r4.model.Type structuredNumeric(Type sn, String unit, SegmentRef obx) {
        String comparator = V2.component(sn, 1);
        String num1 = V2.component(sn, 2);
        String separator = V2.component(sn, 3);
        String num2 = V2.component(sn, 4);
        try {
            if (num1 != null && num2 != null && (":".equals(separator) || "/".equals(separator))) {
                return new Ratio()
                        .setNumerator(new Quantity().setValue(new BigDecimal(num1)))
                        .setDenominator(new Quantity().setValue(new BigDecimal(num2)));
            }
            if (num1 != null && num2 != null && "-".equals(separator)) {
                return new Range()
                        .setLow(UnitNormalizer.toQuantity(new BigDecimal(num1), unit))
                        .setHigh(UnitNormalizer.toQuantity(new BigDecimal(num2), unit));
            }
            if (num1 != null && separator == null && num2 == null) {
                Quantity q = UnitNormalizer.toQuantity(new BigDecimal(num1), unit);
                if (comparator != null && !comparator.equals("=")) {
                    q.setComparator(Quantity.QuantityComparator.fromCode(comparator));
                }
                return q;
            }
        } catch (RuntimeException e) {
            // Not a number or a comparator FHIR has no code for (<>): fall through to text.
        }
        String text = String.join("", nz(comparator), nz(num1), nz(separator), nz(num2));
        ctx.warning(obx.at(5), "SN value '" + text + "' is not a number, range or ratio FHIR can hold; kept as text");
        return new StringType(text);
    }

    /** OBX-7: "13-17", "<200", ">40" become low/high in the value's unit; anything else text. */
    private void referenceRange(SegmentRef obx, Observation o) {
        String range = obx.field(7);
        if (range == null) {
            return;
        }
        String unit = unit(obx);
        Observation.ObservationReferenceRangeComponent rr = o.addReferenceRange();
        Matcher between = RANGE.matcher(range);
        Matcher bound = BOUND.matcher(range);
        if (between.matches()) {
            rr.setLow(UnitNormalizer.toQuantity(new BigDecimal(between.group(1)), unit));
            rr.setHigh(UnitNormalizer.toQuantity(new BigDecimal(between.group(2)), unit));
        } else if (bound.matches()) {
            Quantity q = UnitNormalizer.toQuantity(new BigDecimal(bound.group(2)), unit);
            if (bound.group(1).startsWith("<")) {
                rr.setHigh(q);
            } else {
                rr.setLow(q);
            }
            rr.setText(range.strip());
        } else {
            rr.setText(range.strip());
        }
    }

    private ObservationStatus observationStatus(SegmentRef obx) {
        String status = upper(obx.field(11));
        if (status == null) {
            ctx.missing(obx.at(11), "result status is empty; Observation.status set to unknown");
            return ObservationStatus.UNKNOWN;
        }
        return switch (status) {
            case "F", "V", "U" -> ObservationStatus.FINAL;
            case "C" -> ObservationStatus.CORRECTED;
            case "A" -> ObservationStatus.AMENDED;
            case "P", "R", "S" -> ObservationStatus.PRELIMINARY;
            case "I", "O" -> ObservationStatus.REGISTERED;
            case "D", "W" -> ObservationStatus.ENTEREDINERROR;
            case "X", "N" -> ObservationStatus.CANCELLED;
            default -> {
                ctx.unknownCode(
                        obx.at(11),
                        "result status '" + status + "' is not in HL7 table 0085; Observation.status set to unknown");
                yield ObservationStatus.UNKNOWN;
            }
        };
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

    private static String nz(String s) {
        return s == null ? "" : s;
    }

    private static String firstNonNull(String a, String b) {
        return a != null ? a : b;
    }
}
