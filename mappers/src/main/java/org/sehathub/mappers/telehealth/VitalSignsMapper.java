package org.sehathub.mappers.telehealth;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.sehathub.mappers.NamingSystems;

/**
 * Vital signs to Observations conforming to the FHIR R4 vital-signs profiles: category
 * vital-signs, the profile's LOINC code, UCUM units, and {@code meta.profile} naming the specific
 * core profile so that validators check it. Blood pressure is one panel (85354-9) with systolic and
 * diastolic components.
 */
final class VitalSignsMapper {

    private static final String PROFILE = "http://hl7.org/fhir/StructureDefinition/";

    /** One measurement ready to become an Observation. */
    record VitalSign(String key, Observation observation) {}

    private VitalSignsMapper() {}

    static List<VitalSign> map(
            Teleconsultation.VitalSigns vitals, DateTimeType effective, Reference patient, Reference encounter) {
        List<VitalSign> result = new ArrayList<>();
        if (vitals.bpSystolicMmhg() != null && vitals.bpDiastolicMmhg() != null) {
            Observation bp = base(
                    "bp", "85354-9", "Blood pressure panel with all children optional", patient, encounter, effective);
            bp.addComponent()
                    .setCode(loinc("8480-6", "Systolic blood pressure"))
                    .setValue(quantity(vitals.bpSystolicMmhg(), "mmHg", "mm[Hg]"));
            bp.addComponent()
                    .setCode(loinc("8462-4", "Diastolic blood pressure"))
                    .setValue(quantity(vitals.bpDiastolicMmhg(), "mmHg", "mm[Hg]"));
            result.add(new VitalSign("bp", bp));
        }
        if (vitals.pulsePerMin() != null) {
            result.add(simple(
                    "heartrate",
                    "8867-4",
                    "Heart rate",
                    vitals.pulsePerMin(),
                    "beats/minute",
                    "/min",
                    patient,
                    encounter,
                    effective));
        }
        if (vitals.temperatureC() != null) {
            result.add(simple(
                    "bodytemp",
                    "8310-5",
                    "Body temperature",
                    vitals.temperatureC(),
                    "°C",
                    "Cel",
                    patient,
                    encounter,
                    effective));
        } else if (vitals.temperatureF() != null) {
            // Pakistani thermometers and parents often read Fahrenheit; the value is kept as measured.
            result.add(simple(
                    "bodytemp",
                    "8310-5",
                    "Body temperature",
                    vitals.temperatureF(),
                    "°F",
                    "[degF]",
                    patient,
                    encounter,
                    effective));
        }
        if (vitals.respiratoryRatePerMin() != null) {
            result.add(simple(
                    "resprate",
                    "9279-1",
                    "Respiratory rate",
                    vitals.respiratoryRatePerMin(),
                    "breaths/minute",
                    "/min",
                    patient,
                    encounter,
                    effective));
        }
        if (vitals.spo2Percent() != null) {
            VitalSign spo2 = simple(
                    "oxygensat",
                    "2708-6",
                    "Oxygen saturation in Arterial blood",
                    vitals.spo2Percent(),
                    "%",
                    "%",
                    patient,
                    encounter,
                    effective);
            // Telehealth SpO2 comes from a pulse oximeter: the more specific code is added beside the one the profile
            // requires.
            spo2.observation()
                    .getCode()
                    .addCoding(new Coding(
                            NamingSystems.LOINC, "59408-5", "Oxygen saturation in Arterial blood by Pulse oximetry"));
            result.add(spo2);
        }
        if (vitals.weightKg() != null) {
            result.add(simple(
                    "bodyweight",
                    "29463-7",
                    "Body weight",
                    vitals.weightKg(),
                    "kg",
                    "kg",
                    patient,
                    encounter,
                    effective));
        }
        if (vitals.heightCm() != null) {
            result.add(simple(
                    "bodyheight",
                    "8302-2",
                    "Body height",
                    vitals.heightCm(),
                    "cm",
                    "cm",
                    patient,
                    encounter,
                    effective));
        }
        return result;
    }

    private static VitalSign simple(
            String profile,
            String code,
            String display,
            BigDecimal value,
            String unit,
            String ucum,
            Reference patient,
            Reference encounter,
            DateTimeType effective) {
        Observation observation = base(profile, code, display, patient, encounter, effective);
        observation.setValue(quantity(value, unit, ucum));
        return new VitalSign(profile, observation);
    }

    private static Observation base(
            String profile,
            String code,
            String display,
            Reference patient,
            Reference encounter,
            DateTimeType effective) {
        Observation observation = new Observation();
        observation.getMeta().addProfile(PROFILE + profile);
        observation.setStatus(Observation.ObservationStatus.FINAL);
        observation.addCategory(new CodeableConcept(new Coding(
                "http://terminology.hl7.org/CodeSystem/observation-category", "vital-signs", "Vital Signs")));
        observation.setCode(loinc(code, display));
        observation.setSubject(patient.copy());
        observation.setEncounter(encounter.copy());
        observation.setEffective(effective.copy());
        return observation;
    }

    private static CodeableConcept loinc(String code, String display) {
        return new CodeableConcept(new Coding(NamingSystems.LOINC, code, display)).setText(display);
    }

    private static Quantity quantity(BigDecimal value, String unit, String ucum) {
        return new Quantity()
                .setValue(value)
                .setUnit(unit)
                .setSystem(NamingSystems.UCUM)
                .setCode(ucum);
    }
}
