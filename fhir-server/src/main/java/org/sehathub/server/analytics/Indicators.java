package org.sehathub.server.analytics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The indicator catalogue (docs/analytics.md, "Indicators"): each indicator's definition and its
 * query over the analytical store's views ({@code patient}, {@code condition}, {@code encounter},
 * {@code observation}, {@code immunization}), joined to the patient's person (patient linking), so
 * that people are counted once however many facilities' records they have.
 */
final class Indicators {

    static final Set<String> PLACE = Set.of("province", "district", "facility");
    static final Set<String> PERSON = Set.of("sex", "age_band");
    static final Set<String> TIME = Set.of("year", "quarter", "month", "week", "day");

    /**
     * Every Patient record with its person and what breakdowns read of it. {@code person_low}: the
     * person if each open review pair (patient linking) were one person, so that a count of people
     * can be given as a range until the queue is worked through (each pair on its own: chains of
     * pairs are not followed, so the lower end is approximate).
     */
    private static final String PATIENTS = "WITH pt AS (SELECT p.id,"
            + " COALESCE(l.person_id, 'record-' || p.id) AS person,"
            + " COALESCE(low.person_low, l.person_id, 'record-' || p.id) AS person_low,"
            + " p.gender, p.birth_date, p.province, p.district"
            + " FROM sehat_analytics.patient p"
            + " LEFT JOIN sehat_person_link l ON l.patient_id = p.id"
            + " LEFT JOIN (SELECT mine.patient_id, LEAST(mine.person_id, MIN(other.person_id)) AS person_low"
            + "   FROM sehat_person_review r"
            + "   JOIN sehat_person_link mine ON mine.patient_id IN (r.record_a, r.record_b)"
            + "   JOIN sehat_person_link other ON other.patient_id IN (r.record_a, r.record_b)"
            + "     AND other.patient_id <> mine.patient_id"
            + "   WHERE r.status = 'open' GROUP BY mine.patient_id, mine.person_id) low ON low.patient_id = p.id) ";

    private static final String PERSON_COLUMNS =
            "pt.person, pt.person_low, pt.gender, pt.birth_date, pt.province, pt.district";

    private static final Pattern ICD10_CODE = Pattern.compile("[A-Z][0-9]{2}(\\.[0-9A-Z]{1,4})?");
    private static final Pattern ICD10_RANGE = Pattern.compile("([A-Z][0-9]{2})-([A-Z][0-9]{2})");

    private final Map<String, Indicator> byId = new LinkedHashMap<>();

    Indicators() {
        add(new Indicator(
                "people",
                "People in the record",
                "Distinct people with at least one Patient record, each person once however many"
                        + " facilities registered them.",
                "people (persons of patient linking)",
                "none (a count)",
                "Patient",
                Indicator.Counts.PEOPLE,
                Map.of(),
                union(PLACE, PERSON),
                p -> new Indicator.Sql(
                        PATIENTS + "SELECT " + PERSON_COLUMNS
                                + ", NULL AS event_date, NULL AS facility, NULL AS mode FROM pt",
                        List.of())));
        add(new Indicator(
                "people-with-condition",
                "People diagnosed with a condition",
                "Distinct people with at least one Condition coded in ICD-10 with the code asked for (a code"
                        + " and its subcodes: E11 takes E11.9; a block: E10-E14; a chapter as its block range:"
                        + " D50-D89), dated by its onset, else the date it was recorded. Age is at that date.",
                "people with such a Condition in the cell",
                "none (a count); divide by `people` for a prevalence in the record",
                "Condition (code, onset[x] as dateTime, recordedDate), Patient",
                Indicator.Counts.PEOPLE,
                Map.of("code", "ICD-10 code (E11), subcode (E11.9) or range (E10-E14); several comma-separated"),
                union(PLACE, PERSON, TIME),
                p -> {
                    List<Object> arguments = new ArrayList<>();
                    String match = icd10(required(p, "code"), arguments);
                    return new Indicator.Sql(
                            PATIENTS + "SELECT " + PERSON_COLUMNS
                                    + ", COALESCE(c.onset, c.recorded) AS event_date, c.facility, NULL AS mode"
                                    + " FROM sehat_analytics.condition c JOIN pt ON pt.id = c.patient WHERE "
                                    + match,
                            arguments);
                }));
        add(new Indicator(
                "encounters",
                "Consultations, in person and virtual",
                "Encounters, by when they began; mode `virtual` for those held at a distance (class VR:"
                        + " telehealth video, audio or chat), `in-person` for every other class. The share of"
                        + " virtual consultations is the `virtual` cell over the sum of both.",
                "encounters in the cell",
                "none (a count)",
                "Encounter (class, period.start), Patient",
                Indicator.Counts.ENCOUNTERS,
                Map.of(),
                union(PLACE, PERSON, TIME, Set.of("mode")),
                p -> new Indicator.Sql(
                        PATIENTS + "SELECT " + PERSON_COLUMNS + ", e.start AS event_date, e.facility,"
                                + " CASE WHEN e.virtual THEN 'virtual' ELSE 'in-person' END AS mode"
                                + " FROM sehat_analytics.encounter e JOIN pt ON pt.id = e.patient",
                        List.of())));
        add(new Indicator(
                "people-with-high-hba1c",
                "People with an HbA1c at or above 6.5%",
                "Distinct people with at least one HbA1c result (LOINC 4548-4, in %) of 6.5% or more, the"
                        + " WHO threshold for diagnosing diabetes, dated by the result's effective date.",
                "people with such a result in the cell",
                "none (a count)",
                "Observation (code, valueQuantity, effective[x]), Patient",
                Indicator.Counts.PEOPLE,
                Map.of(),
                union(PLACE, PERSON, TIME),
                p -> new Indicator.Sql(
                        PATIENTS + "SELECT " + PERSON_COLUMNS + ", o.effective AS event_date, o.facility, NULL AS mode"
                                + " FROM sehat_analytics.observation o JOIN pt ON pt.id = o.patient"
                                + " WHERE o.loinc = '4548-4' AND o.unit = '%' AND o.value >= 6.5",
                        List.of())));
        add(new Indicator(
                "people-with-low-haemoglobin",
                "People with haemoglobin below the WHO threshold for anaemia",
                "Distinct people with at least one haemoglobin result (LOINC 718-7, g/dL or g/L) below the"
                        + " WHO threshold for their age and sex at the result's date (WHO 2011): 11.0 g/dL"
                        + " from 6 to 59 months, 11.5 from 5 to 11 years, 12.0 from 12 to 14 years, and from"
                        + " 15 years 12.0 for women and 13.0 for men (pregnancy, 11.0, is not known here).",
                "people with such a result in the cell",
                "none (a count)",
                "Observation (code, valueQuantity, effective[x]), Patient (gender, birthDate)",
                Indicator.Counts.PEOPLE,
                Map.of(),
                union(PLACE, PERSON, TIME),
                p -> new Indicator.Sql(
                        PATIENTS + "SELECT " + PERSON_COLUMNS + ", x.effective AS event_date, x.facility, NULL AS mode"
                                + " FROM (SELECT o.*, CASE o.unit WHEN 'g/dL' THEN o.value WHEN 'g/L' THEN o.value / 10"
                                + "   END AS g_dl FROM sehat_analytics.observation o WHERE o.loinc = '718-7') x"
                                + " JOIN pt ON pt.id = x.patient"
                                + " CROSS JOIN LATERAL (SELECT (sehat_analytics.fhir_date(x.effective)"
                                + "   - sehat_analytics.fhir_date(pt.birth_date)) / 365.25 AS years) age"
                                + " WHERE x.g_dl < CASE"
                                + "   WHEN age.years >= 0.5 AND age.years < 5 THEN 11.0"
                                + "   WHEN age.years >= 5 AND age.years < 12 THEN 11.5"
                                + "   WHEN age.years >= 12 AND age.years < 15 THEN 12.0"
                                + "   WHEN age.years >= 15 AND pt.gender = 'female' THEN 12.0"
                                + "   WHEN age.years >= 15 AND pt.gender = 'male' THEN 13.0 END",
                        List.of())));
        add(new Indicator(
                "vaccine-doses",
                "Vaccine doses given",
                "Immunizations given (status completed), by the date given; optionally of one vaccine (CVX"
                        + " code) and one dose number.",
                "doses given in the cell",
                "none (a count)",
                "Immunization (vaccineCode, protocolApplied.doseNumber, occurrence[x]), Patient",
                Indicator.Counts.DOSES,
                Map.of("cvx", "optional: CVX vaccine code (e.g. 03 for MMR)", "dose", "optional: dose number"),
                union(PLACE, PERSON, TIME),
                p -> {
                    List<Object> arguments = new ArrayList<>();
                    StringBuilder where = new StringBuilder(" WHERE TRUE");
                    Optional.ofNullable(p.get("cvx")).ifPresent(cvx -> {
                        where.append(" AND i.cvx = ?");
                        arguments.add(cvx);
                    });
                    Optional.ofNullable(p.get("dose")).ifPresent(dose -> {
                        where.append(" AND i.dose = ?");
                        arguments.add(wholeNumber("dose", dose));
                    });
                    return new Indicator.Sql(
                            PATIENTS + "SELECT " + PERSON_COLUMNS
                                    + ", i.occurrence AS event_date, i.facility, NULL AS mode"
                                    + " FROM sehat_analytics.immunization i JOIN pt ON pt.id = i.patient" + where,
                            arguments);
                }));
    }

    private void add(Indicator indicator) {
        byId.put(indicator.id(), indicator);
    }

    List<Indicator> all() {
        return List.copyOf(byId.values());
    }

    Optional<Indicator> find(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    /** ICD-10 codes and ranges to a condition on {@code c.icd10}. */
    private static String icd10(String codes, List<Object> arguments) {
        List<String> alternatives = new ArrayList<>();
        for (String code : codes.split(",")) {
            String c = code.trim().toUpperCase(java.util.Locale.ROOT);
            Matcher range = ICD10_RANGE.matcher(c);
            if (range.matches()) {
                alternatives.add("substr(c.icd10, 1, 3) BETWEEN ? AND ?");
                arguments.add(range.group(1));
                arguments.add(range.group(2));
            } else if (ICD10_CODE.matcher(c).matches()) {
                alternatives.add("(c.icd10 = ? OR c.icd10 LIKE ?)");
                arguments.add(c);
                arguments.add(c + (c.contains(".") ? "%" : ".%"));
            } else {
                throw new IllegalArgumentException(
                        "code: " + code.trim() + " is not an ICD-10 code (E11, E11.9) or range" + " (E10-E14)");
            }
        }
        return "(" + String.join(" OR ", alternatives) + ")";
    }

    private static String required(Map<String, String> parameters, String name) {
        String value = parameters.get(name);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " is required");
        }
        return value;
    }

    private static int wholeNumber(String name, String value) {
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number, not " + value);
        }
    }

    @SafeVarargs
    private static Set<String> union(Set<String>... sets) {
        Set<String> all = new LinkedHashSet<>();
        for (Set<String> set : sets) {
            all.addAll(set);
        }
        return Set.copyOf(all);
    }
}
