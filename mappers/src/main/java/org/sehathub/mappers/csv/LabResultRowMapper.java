package org.sehathub.mappers.csv;

import java.math.BigDecimal;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.StringType;
import org.sehathub.mappers.NamingSystems;
import org.sehathub.mappers.TransactionBundleBuilder;
import org.sehathub.mappers.normalize.Cnic;
import org.sehathub.mappers.normalize.NormalizationException;
import org.sehathub.mappers.normalize.UnitNormalizer;
import org.sehathub.mappers.terminology.TerminologyMaps;

/**
 * A row of the {@code lab-results} layout to a laboratory Observation: LOINC through the
 * lab-to-loinc table, the unit to UCUM, numeric results as a Quantity (with a comparator for
 * {@code <0.5}), the usual qualitative words (Positive, Reactive, Not detected...) as SNOMED CT
 * concepts, any other text as a string.
 */
final class LabResultRowMapper implements CsvRowMapper {

    private static final Pattern NUMBER = Pattern.compile("(<=|>=|<|>)?\\s*([+-]?\\d+(?:\\.\\d+)?)");
    private static final Pattern RANGE =
            Pattern.compile("([+-]?\\d+(?:\\.\\d+)?)\\s*(?:-|–|to)\\s*([+-]?\\d+(?:\\.\\d+)?)");
    private static final Pattern UPPER_LIMIT = Pattern.compile("(?:<|<=|upto|up to)\\s*(\\d+(?:\\.\\d+)?)");
    private static final Pattern LOWER_LIMIT = Pattern.compile("(?:>|>=)\\s*(\\d+(?:\\.\\d+)?)");

    private static final String SNOMED = NamingSystems.SNOMED;
    private static final Map<String, Coding> QUALITATIVE = Map.ofEntries(
            Map.entry("positive", new Coding(SNOMED, "10828004", "Positive")),
            Map.entry("negative", new Coding(SNOMED, "260385009", "Negative")),
            Map.entry("reactive", new Coding(SNOMED, "11214006", "Reactive")),
            Map.entry("non-reactive", new Coding(SNOMED, "131194007", "Non-Reactive")),
            Map.entry("non reactive", new Coding(SNOMED, "131194007", "Non-Reactive")),
            Map.entry("nonreactive", new Coding(SNOMED, "131194007", "Non-Reactive")),
            Map.entry("detected", new Coding(SNOMED, "260373001", "Detected")),
            Map.entry("not detected", new Coding(SNOMED, "260415000", "Not detected")));

    private static final String INTERPRETATION = "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation";
    private static final Map<String, Coding> FLAGS = Map.of(
            "H", new Coding(INTERPRETATION, "H", "High"),
            "L", new Coding(INTERPRETATION, "L", "Low"),
            "HH", new Coding(INTERPRETATION, "HH", "Critical high"),
            "LL", new Coding(INTERPRETATION, "LL", "Critical low"),
            "N", new Coding(INTERPRETATION, "N", "Normal"),
            "A", new Coding(INTERPRETATION, "A", "Abnormal"));

    private static final Map<String, Observation.ObservationStatus> STATUSES = Map.of(
            "final", Observation.ObservationStatus.FINAL,
            "preliminary", Observation.ObservationStatus.PRELIMINARY,
            "corrected", Observation.ObservationStatus.CORRECTED,
            "amended", Observation.ObservationStatus.AMENDED);

    @Override
    public boolean map(CsvRowReader row, ClinicContext context) {
        String mrn = row.text("mrn");
        Optional<Cnic> cnic = row.cnic("cnic");
        Optional<DateTimeType> collectedAt = row.pastDateTime("collected_at", context.clock);
        Optional<Coding> flag = row.parse("abnormal_flag", LabResultRowMapper::flag);
        Optional<Observation.ObservationStatus> status = row.parse("status", LabResultRowMapper::status);
        if (row.hasErrors()) {
            return false;
        }
        String testCode = row.text("test_code").toUpperCase(Locale.ROOT);
        String resultKey = row.optionalText("sample_id")
                .map(id -> "sample|" + id)
                .orElseGet(() -> "collected|" + collectedAt.get().getValueAsString());
        String observationId = TransactionBundleBuilder.deterministicId(
                "Observation", context.facilitySlug(), mrn, resultKey, testCode);
        Optional<Integer> earlier = context.firstLine("Observation/" + observationId, row.line());
        if (earlier.isPresent()) {
            row.rowError("the same test for the same sample is already on line " + earlier.get()
                    + "; only that row is mapped");
            return false;
        }

        Observation observation = new Observation();
        row.optionalText("sample_id")
                .ifPresent(id -> observation.addIdentifier(new Identifier()
                        .setType(new CodeableConcept(
                                new Coding("http://terminology.hl7.org/CodeSystem/v2-0203", "ACSN", "Accession ID")))
                        .setSystem(NamingSystems.accession(context.facility()))
                        .setValue(id)));
        observation.setStatus(status.orElse(Observation.ObservationStatus.FINAL));
        observation.addCategory(new CodeableConcept(
                new Coding("http://terminology.hl7.org/CodeSystem/observation-category", "laboratory", "Laboratory")));
        CodeableConcept code = LocalCodes.concept(testCode, TerminologyMaps.LAB_TO_LOINC, context, row, "test_code");
        row.optionalText("test_name").ifPresent(code::setText);
        observation.setCode(code);
        observation.setSubject(new Reference(context.patientReference(mrn, cnic)));
        observation.setEffective(collectedAt.get());
        observation.addPerformer(new Reference(context.organization()));
        setValue(observation, row);
        row.optionalText("reference_range").ifPresent(range -> addReferenceRange(observation, range, row));
        flag.ifPresent(f -> observation.addInterpretation(new CodeableConcept(f.copy())));
        context.builder.update(observation, observationId);
        return true;
    }

    private static void setValue(Observation observation, CsvRowReader row) {
        String value = row.text("result_value");
        Matcher number = NUMBER.matcher(value);
        if (number.matches()) {
            Quantity quantity = UnitNormalizer.toQuantity(new BigDecimal(number.group(2)), row.text("unit"));
            if (number.group(1) != null) {
                quantity.setComparator(Quantity.QuantityComparator.fromCode(number.group(1)));
            }
            if (row.has("unit") && !quantity.hasCode()) {
                row.warning("unit", "unit '" + row.text("unit") + "' is not known as UCUM; kept as text");
            }
            observation.setValue(quantity);
            return;
        }
        if (row.has("unit")) {
            row.warning("unit", "the result is not a number, so the unit is not stored");
        }
        Coding qualitative = QUALITATIVE.get(value.toLowerCase(Locale.ROOT).replaceAll("\\s+", " "));
        if (qualitative != null) {
            observation.setValue(new CodeableConcept(qualitative.copy()).setText(value));
        } else {
            observation.setValue(new StringType(value));
        }
    }

    private static void addReferenceRange(Observation observation, String raw, CsvRowReader row) {
        Observation.ObservationReferenceRangeComponent range = observation.addReferenceRange();
        String unit = row.text("unit");
        String value = raw.toLowerCase(Locale.ROOT).strip();
        Matcher m;
        if ((m = RANGE.matcher(value)).matches()) {
            range.setLow(simpleQuantity(m.group(1), unit));
            range.setHigh(simpleQuantity(m.group(2), unit));
        } else if ((m = UPPER_LIMIT.matcher(value)).matches()) {
            range.setHigh(simpleQuantity(m.group(1), unit));
        } else if ((m = LOWER_LIMIT.matcher(value)).matches()) {
            range.setLow(simpleQuantity(m.group(1), unit));
        }
        // The text is kept in every case: it is what the lab printed.
        range.setText(raw);
    }

    private static org.hl7.fhir.r4.model.SimpleQuantity simpleQuantity(String number, String unit) {
        Quantity quantity = UnitNormalizer.toQuantity(new BigDecimal(number), unit);
        org.hl7.fhir.r4.model.SimpleQuantity simple = new org.hl7.fhir.r4.model.SimpleQuantity();
        simple.setValue(quantity.getValue());
        simple.setUnit(quantity.getUnit());
        simple.setSystem(quantity.getSystem());
        simple.setCode(quantity.getCode());
        return simple;
    }

    private static Coding flag(String raw) {
        Coding coding = FLAGS.get(raw.strip().toUpperCase(Locale.ROOT));
        if (coding == null) {
            throw new NormalizationException("abnormal_flag must be H, L, HH, LL, N or A");
        }
        return coding;
    }

    private static Observation.ObservationStatus status(String raw) {
        Observation.ObservationStatus status = STATUSES.get(raw.strip().toLowerCase(Locale.ROOT));
        if (status == null) {
            throw new NormalizationException("status must be final, preliminary, corrected or amended");
        }
        return status;
    }
}
