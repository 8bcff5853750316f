package org.sehathub.mappers.telehealth;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Dosage;
import org.hl7.fhir.r4.model.Duration;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Timing;
import org.sehathub.mappers.NamingSystems;
import org.sehathub.mappers.normalize.UnitNormalizer;

/**
 * A prescription line to a MedicationRequest. The dosage keeps the prescriber's words in {@code
 * Dosage.text} and, where the abbreviation is known (OD, BD, TDS, QID, HS, SOS/PRN, STAT, weekly),
 * also a structured {@code Timing}; the duration becomes {@code boundsDuration} in days.
 */
final class PrescriptionMapper {

    private static final String SNOMED = NamingSystems.SNOMED;

    /** How often, as times per period. */
    record Frequency(int times, int period, Timing.UnitsOfTime unit, String words) {}

    private static final Map<String, Frequency> FREQUENCIES = Map.ofEntries(
            Map.entry("od", new Frequency(1, 1, Timing.UnitsOfTime.D, "once a day")),
            Map.entry("qd", new Frequency(1, 1, Timing.UnitsOfTime.D, "once a day")),
            Map.entry("once daily", new Frequency(1, 1, Timing.UnitsOfTime.D, "once a day")),
            Map.entry("once a day", new Frequency(1, 1, Timing.UnitsOfTime.D, "once a day")),
            Map.entry("bd", new Frequency(2, 1, Timing.UnitsOfTime.D, "twice a day")),
            Map.entry("bid", new Frequency(2, 1, Timing.UnitsOfTime.D, "twice a day")),
            Map.entry("twice daily", new Frequency(2, 1, Timing.UnitsOfTime.D, "twice a day")),
            Map.entry("twice a day", new Frequency(2, 1, Timing.UnitsOfTime.D, "twice a day")),
            Map.entry("tds", new Frequency(3, 1, Timing.UnitsOfTime.D, "three times a day")),
            Map.entry("tid", new Frequency(3, 1, Timing.UnitsOfTime.D, "three times a day")),
            Map.entry("three times a day", new Frequency(3, 1, Timing.UnitsOfTime.D, "three times a day")),
            Map.entry("qid", new Frequency(4, 1, Timing.UnitsOfTime.D, "four times a day")),
            Map.entry("qds", new Frequency(4, 1, Timing.UnitsOfTime.D, "four times a day")),
            Map.entry("four times a day", new Frequency(4, 1, Timing.UnitsOfTime.D, "four times a day")),
            Map.entry("weekly", new Frequency(1, 1, Timing.UnitsOfTime.WK, "once a week")),
            Map.entry("once a week", new Frequency(1, 1, Timing.UnitsOfTime.WK, "once a week")));

    private static final Map<String, Coding> ROUTES = Map.of(
            "oral", new Coding(SNOMED, "26643006", "Oral route"),
            "intravenous", new Coding(SNOMED, "47625008", "Intravenous route"),
            "intramuscular", new Coding(SNOMED, "78421000", "Intramuscular route"),
            "subcutaneous", new Coding(SNOMED, "34206005", "Subcutaneous route"),
            "topical", new Coding(SNOMED, "6064005", "Topical route"),
            "inhalation", new Coding(SNOMED, "447694001", "Respiratory tract route"),
            "rectal", new Coding(SNOMED, "37161004", "Rectal route"));

    private static final Map<String, String> MEDICATION_SYSTEMS = Map.of(
            "atc", "http://www.whocc.no/atc",
            "rxnorm", "http://www.nlm.nih.gov/research/umls/rxnorm",
            "snomed", SNOMED);

    private PrescriptionMapper() {}

    /**
     * A mapped prescription.
     *
     * @param frequencyUnderstood false when the frequency could not be structured and is kept as
     *     text only
     */
    record Result(MedicationRequest request, boolean frequencyUnderstood) {}

    static Result map(
            Teleconsultation.Prescription prescription,
            Reference patient,
            Reference encounter,
            Reference requester,
            DateTimeType authoredOn) {
        boolean frequencyUnderstood = true;
        MedicationRequest request = new MedicationRequest();
        request.setStatus(MedicationRequest.MedicationRequestStatus.ACTIVE);
        request.setIntent(MedicationRequest.MedicationRequestIntent.ORDER);
        CodeableConcept medication = new CodeableConcept().setText(prescription.medication());
        if (prescription.medicationCode() != null) {
            medication.addCoding(new Coding(
                    MEDICATION_SYSTEMS.get(prescription.medicationCode().system()),
                    prescription.medicationCode().code(),
                    null));
        }
        request.setMedication(medication);
        request.setSubject(patient.copy());
        request.setEncounter(encounter.copy());
        request.setRequester(requester.copy());
        request.setAuthoredOnElement(authoredOn.copy());

        Dosage dosage = request.addDosageInstruction();
        StringBuilder text = new StringBuilder();
        if (prescription.dose() != null) {
            Quantity dose = UnitNormalizer.toQuantity(
                    prescription.dose().value(), prescription.dose().unit());
            dosage.addDoseAndRate().setDose(dose);
            text.append(prescription.dose().value().stripTrailingZeros().toPlainString())
                    .append(' ')
                    .append(prescription.dose().unit().strip());
        }
        Timing timing = new Timing();
        Timing.TimingRepeatComponent repeat = timing.getRepeat();
        if (prescription.frequency() != null) {
            String frequencyText = prescription.frequency().strip();
            String key = frequencyText.toLowerCase(Locale.ROOT).replaceAll("\\s+", " ");
            Optional<Frequency> frequency = Optional.ofNullable(FREQUENCIES.get(key));
            append(text, frequencyText);
            if (frequency.isPresent()) {
                repeat.setFrequency(frequency.get().times())
                        .setPeriod(frequency.get().period())
                        .setPeriodUnit(frequency.get().unit());
                timing.setCode(new CodeableConcept().setText(frequency.get().words()));
            } else if (key.equals("hs") || key.equals("at bedtime")) {
                repeat.setFrequency(1).setPeriod(1).setPeriodUnit(Timing.UnitsOfTime.D);
                repeat.addWhen(Timing.EventTiming.HS);
            } else if (key.equals("sos") || key.equals("prn") || key.equals("when needed")) {
                dosage.setAsNeeded(new BooleanType(true));
            } else if (key.equals("stat") || key.equals("once")) {
                repeat.setCount(1);
            } else {
                frequencyUnderstood = false;
            }
        }
        if (prescription.durationDays() != null) {
            repeat.setBounds(new Duration()
                    .setValue(prescription.durationDays())
                    .setUnit("days")
                    .setSystem(NamingSystems.UCUM)
                    .setCode("d"));
            append(text, "for " + prescription.durationDays() + (prescription.durationDays() == 1 ? " day" : " days"));
        }
        if (!repeat.isEmpty()) {
            dosage.setTiming(timing);
        }
        if (prescription.route() != null) {
            dosage.setRoute(new CodeableConcept(ROUTES.get(prescription.route()).copy()).setText(prescription.route()));
            append(text, "(" + prescription.route() + ")");
        }
        if (prescription.instructions() != null) {
            dosage.setPatientInstruction(prescription.instructions());
            append(text, "- " + prescription.instructions());
        }
        if (text.length() > 0) {
            dosage.setText(text.toString());
        }
        return new Result(request, frequencyUnderstood);
    }

    private static void append(StringBuilder text, String part) {
        if (text.length() > 0) {
            text.append(' ');
        }
        text.append(part);
    }
}
