package org.sehathub.mappers.telehealth;

import java.math.BigDecimal;
import java.util.List;

/**
 * One teleconsultation as bound from JSON (snake_case fields, see
 * {@code schema/teleconsultation.schema.json}). Only built after the document passed the schema,
 * so required fields are present; values are still raw text until normalized.
 */
record Teleconsultation(
        String consultationId,
        PatientData patient,
        PractitionerData practitioner,
        EncounterData encounter,
        List<String> complaints,
        List<DiagnosisData> diagnoses,
        VitalSigns vitalSigns,
        List<Prescription> prescriptions,
        List<Referral> referrals,
        FollowUp followUp) {

    Teleconsultation {
        complaints = complaints == null ? List.of() : complaints;
        diagnoses = diagnoses == null ? List.of() : diagnoses;
        prescriptions = prescriptions == null ? List.of() : prescriptions;
        referrals = referrals == null ? List.of() : referrals;
    }

    record Name(String prefix, String given, String family, String urdu) {}

    record PatientData(
            String id, String cnic, Name name, String sex, String birthDate, String phone, AddressData address) {}

    record AddressData(String line, String city, String district, String province) {}

    record PractitionerData(String pmdc, Name name, String gender) {}

    record EncounterData(String start, String end, String mode) {}

    record DiagnosisData(String icd10, String localCode, String text, String status) {}

    record VitalSigns(
            String measuredAt,
            BigDecimal bpSystolicMmhg,
            BigDecimal bpDiastolicMmhg,
            BigDecimal pulsePerMin,
            BigDecimal temperatureC,
            BigDecimal temperatureF,
            BigDecimal respiratoryRatePerMin,
            BigDecimal spo2Percent,
            BigDecimal weightKg,
            BigDecimal heightCm) {}

    record Prescription(
            String medication,
            MedicationCode medicationCode,
            Dose dose,
            String frequency,
            Integer durationDays,
            String route,
            String instructions) {}

    record MedicationCode(String system, String code) {}

    record Dose(BigDecimal value, String unit) {}

    record Referral(String to, String specialty, String reason, String urgency) {}

    record FollowUp(String date, String mode, String note) {}
}
