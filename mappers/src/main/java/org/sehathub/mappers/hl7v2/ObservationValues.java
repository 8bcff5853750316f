package org.sehathub.mappers.hl7v2;

import ca.uhn.hl7v2.model.Type;
import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Observation.ObservationStatus;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Range;
import org.hl7.fhir.r4.model.Ratio;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.TimeType;
import org.sehathub.mappers.normalize.UnitNormalizer;

/**
 * What one OBX says about its value, after the v2-to-FHIR guide's OBX[Observation] map: the value
 * in the type OBX-2 names (OBX-5, with OBX-6 units to UCUM), the reference range (OBX-7), the
 * abnormal flags (OBX-8) and the result status (OBX-11). Split from {@link ResultMapper}, which
 * files the Observation under its order.
 */
final class ObservationValues {

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

    ObservationValues(Hl7Context ctx) {
        this.ctx = ctx;
    }

    /** OBX-8 abnormal flags (table 0078) to interpretation; a flag outside the table is reported. */
    void interpretation(SegmentRef obx, Observation o) {
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
    }

    /** OBX-2, OBX-5 and OBX-6: value[x] in the type OBX-2 names, numbers with UCUM units. */
    void value(SegmentRef obx, Observation o) {
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
    void referenceRange(SegmentRef obx, Observation o) {
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

    /** OBX-11 (table 0085) to Observation.status. */
    ObservationStatus status(SegmentRef obx) {
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
