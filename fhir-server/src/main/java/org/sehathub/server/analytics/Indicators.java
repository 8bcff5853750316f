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

    /**
     * Pakistan EPI antigens and the CVX codes of the vaccines that give them (a measles-containing
     * vaccine is a measles dose whichever product: MR, measles, MMR, MMRV), for coverage.
     */
    static final Map<String, List<String>> ANTIGENS = Map.of(
            "bcg", List.of("19"),
            "hepb-birth", List.of("08"),
            "opv", List.of("02", "178", "179", "182"),
            "ipv", List.of("10"),
            "penta", List.of("102", "198"),
            "pcv", List.of("177", "133", "152"),
            "rota", List.of("116", "119", "122"),
            "measles", List.of("05", "04", "03", "94"),
            "tcv", List.of("190"));

    /**
     * What the indicators select a view's rows by, indexed in the store (by view): without them
     * each question about one lab test reads every observation.
     */
    static final Map<String, List<String>> INDEXES = Map.of(
            "observation", List.of("loinc"),
            "condition", List.of("substr(icd10, 1, 3)"),
            "immunization", List.of("cvx"));

    /** An indicator that is a count, not a proportion. */
    static final Indicator.Ratio COUNT = null;

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
                        List.of()),
                COUNT));
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
                },
                COUNT));
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
                p -> encounters(""),
                COUNT));
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
                        List.of()),
                COUNT));
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
                        List.of()),
                COUNT));
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
                },
                COUNT));
        add(new Indicator(
                "vaccine-coverage",
                "Vaccination coverage of a birth cohort",
                "Share of the children born in the cohort year who have the dose asked for of an EPI antigen"
                        + " (measles dose 1 is MR1): a child has dose n when any of her records shows a dose"
                        + " numbered n or more, or n doses on different days, of a vaccine giving the antigen"
                        + " (whatever her age when given). Each child once, whichever facilities recorded her"
                        + " doses. Status `vaccinated` or `unvaccinated` splits every cell; the coverage is the"
                        + " `vaccinated` count over the cell's children, given where both are shown. Where a"
                        + " child lives: her record's address.",
                "children of the cohort with the dose",
                "children of the cohort in the record (registered at any facility): the record's own"
                        + " denominator, not the census estimate of surviving infants",
                "Immunization (vaccineCode CVX, protocolApplied.doseNumber, occurrence[x]), Patient (birthDate)",
                Indicator.Counts.PEOPLE,
                Map.of(
                        "antigen",
                                "EPI antigen: "
                                        + String.join(
                                                ", ",
                                                ANTIGENS.keySet().stream()
                                                        .sorted()
                                                        .toList()) + " (or cvx)",
                        "cvx", "instead of antigen: CVX codes, comma-separated",
                        "dose", "dose number (default 1)",
                        "cohort", "birth year of the children (required)",
                        "within-months",
                                "optional, timely coverage: only doses given before the child was this many months"
                                        + " old count (12 for MR1 by the first birthday); doses without a date do not"),
                union(Set.of("province", "district"), Set.of("sex", "status")),
                Indicators::coverage,
                new Indicator.Ratio("status", "vaccinated", "coverage")));
        add(new Indicator(
                "vaccine-drop-out",
                "Drop-out between two vaccine doses of a birth cohort",
                "Share of the children born in the cohort year who had the first dose asked for (`from`,"
                        + " penta:1) but not the second (`to`, penta:3; or measles:1 after bcg:1): WHO's"
                        + " drop-out rate, counted child by child. A child has a dose as in vaccine-coverage"
                        + " (any of her records, each child once). Status `completed` or `dropped-out` splits"
                        + " every cell; the drop-out rate is the `dropped-out` count over the cell's children"
                        + " who started, given where both are shown. Unlike the rate worked out from two"
                        + " coverages ((Penta1 - Penta3) / Penta1), a child who has the second dose without a"
                        + " recorded first is not counted, so the rate is never negative.",
                "children of the cohort with `from` and without `to`",
                "children of the cohort with `from`",
                "Immunization (vaccineCode CVX, protocolApplied.doseNumber, occurrence[x]), Patient (birthDate)",
                Indicator.Counts.PEOPLE,
                Map.of(
                        "from", "antigen:dose the series starts with (penta:1, bcg:1; required)",
                        "to", "antigen:dose it should reach (penta:3, measles:1; required)",
                        "cohort", "birth year of the children (required)"),
                union(Set.of("province", "district"), Set.of("sex", "status")),
                Indicators::dropOut,
                new Indicator.Ratio("status", "dropped-out", "dropOutRate")));
        add(new Indicator(
                "antenatal-visits",
                "Antenatal care visits",
                "Encounters of antenatal care by when they began: an encounter typed as antenatal care in"
                        + " SNOMED CT (424441002 prenatal initial visit, 424619006 prenatal visit, 18114009"
                        + " prenatal examination and care of mother) or with a reason of supervision of"
                        + " pregnancy in ICD-10 (Z34, Z35, Z36).",
                "antenatal visits in the cell",
                "none (a count)",
                "Encounter (type, reasonCode, class, period.start), Patient",
                Indicator.Counts.ENCOUNTERS,
                Map.of(),
                union(PLACE, PERSON, TIME, Set.of("mode")),
                p -> encounters(" WHERE e.antenatal"),
                COUNT));
        add(new Indicator(
                "antenatal-care-four-visits",
                "Pregnancies with four or more antenatal visits (ANC4)",
                "Share of the pregnancies seen for antenatal care (at least one antenatal visit, as in"
                        + " antenatal-visits) that had four visits or more, on different days, at any of the"
                        + " woman's facilities. A woman's visits belong to the pregnancy booked by her first"
                        + " visit until 280 days after it; a visit later than that books the next one."
                        + " Dated, placed and aged by the booking visit. Status `four-or-more` or `fewer`"
                        + " splits every cell; the share is the `four-or-more` count over the cell's"
                        + " pregnancies, given where both are shown. A pregnancy booked in the last months"
                        + " may still reach four: recent months are provisional.",
                "pregnancies with four or more antenatal visits",
                "pregnancies with at least one antenatal visit (ANC1) in the record, not the live births or"
                        + " expected pregnancies of the population (WHO's ANC4 coverage): where few women are"
                        + " seen at all, the share of those seen is not the share of all",
                "Encounter (type, reasonCode, period.start), Patient",
                Indicator.Counts.PREGNANCIES,
                Map.of(),
                union(PLACE, PERSON, TIME, Set.of("status")),
                p -> antenatalCare(),
                new Indicator.Ratio("status", "four-or-more", "anc4Share")));
    }

    /**
     * Each pregnancy seen for antenatal care, with whether it had four visits or more: a woman's
     * antenatal visit days (her person's, whichever facility), taken in order, each in the pregnancy
     * booked by the first visit until 280 days after it (the length of a pregnancy: a visit after
     * that cannot be of the same one), the next visit booking the next.
     */
    private static Indicator.Sql antenatalCare() {
        return new Indicator.Sql(
                "WITH RECURSIVE " + PATIENTS.substring("WITH ".length())
                        + ", visit_days AS (SELECT pt.person, substr(e.start, 1, 10)::date AS day,"
                        + "   min(e.patient) AS patient, min(e.facility) AS facility"
                        + "   FROM sehat_analytics.encounter e JOIN pt ON pt.id = e.patient"
                        + "   WHERE e.antenatal AND length(e.start) >= 10 GROUP BY pt.person, 2),"
                        + " ordered AS (SELECT v.*, row_number() OVER (PARTITION BY v.person ORDER BY v.day) AS n"
                        + "   FROM visit_days v),"
                        + " booked AS (SELECT person, n, day AS booking FROM ordered WHERE n = 1"
                        + "   UNION ALL SELECT o.person, o.n, CASE WHEN o.day > b.booking + 280 THEN o.day"
                        + "   ELSE b.booking END FROM booked b JOIN ordered o ON o.person = b.person AND o.n = b.n + 1),"
                        + " pregnancy AS (SELECT person, booking, count(*) AS visits FROM booked GROUP BY person, booking)"
                        + " SELECT " + PERSON_COLUMNS + ", o.day::text AS event_date, o.facility, NULL AS mode,"
                        + " CASE WHEN g.visits >= 4 THEN 'four-or-more' ELSE 'fewer' END AS status"
                        + " FROM pregnancy g JOIN ordered o ON o.person = g.person AND o.day = g.booking"
                        + " JOIN pt ON pt.id = o.patient",
                List.of());
    }

    /** Encounters (those the condition keeps), in person or virtual. */
    private static Indicator.Sql encounters(String where) {
        return new Indicator.Sql(
                PATIENTS + "SELECT " + PERSON_COLUMNS + ", e.start AS event_date, e.facility,"
                        + " CASE WHEN e.virtual THEN 'virtual' ELSE 'in-person' END AS mode"
                        + " FROM sehat_analytics.encounter e JOIN pt ON pt.id = e.patient" + where,
                List.of());
    }

    /** The children of a birth cohort, each with her status: the dose asked for given or not. */
    private static Indicator.Sql coverage(Map<String, String> p) {
        List<String> codes;
        if (p.containsKey("antigen") == p.containsKey("cvx")) {
            throw new IllegalArgumentException("give one of antigen (" + antigenNames() + ") or cvx");
        } else if (p.containsKey("antigen")) {
            codes = antigen("antigen", p.get("antigen"));
        } else {
            codes = java.util.Arrays.stream(p.get("cvx").split(","))
                    .map(String::trim)
                    .filter(c -> !c.isEmpty())
                    .toList();
            if (codes.isEmpty() || codes.stream().anyMatch(c -> !c.matches("[0-9]{1,3}"))) {
                throw new IllegalArgumentException("cvx: CVX codes are one to three digits, comma-separated");
            }
        }
        int dose = p.containsKey("dose") ? wholeNumber("dose", p.get("dose")) : 1;
        if (dose < 1) {
            throw new IllegalArgumentException("dose must be 1 or more");
        }
        String cohort = cohort(p);
        List<Object> arguments = new ArrayList<>();
        String doses = doses(codes, arguments, p.get("within-months"));
        arguments.add(dose);
        arguments.add(dose);
        arguments.add(cohort);
        return new Indicator.Sql(
                PATIENTS + ", doses AS (" + doses + ")"
                        + " SELECT " + PERSON_COLUMNS + ", NULL AS event_date, NULL AS facility, NULL AS mode,"
                        + " CASE WHEN d.given >= ? OR d.highest >= ? THEN 'vaccinated' ELSE 'unvaccinated' END"
                        + " AS status FROM pt LEFT JOIN doses d ON d.person = pt.person"
                        + " WHERE substr(pt.birth_date, 1, 4) = ?",
                arguments);
    }

    /**
     * The children of a birth cohort who had the {@code from} dose, each with her status: the
     * {@code to} dose given too, or not.
     */
    private static Indicator.Sql dropOut(Map<String, String> p) {
        AntigenDose from = AntigenDose.parse("from", required(p, "from"));
        AntigenDose to = AntigenDose.parse("to", required(p, "to"));
        if (from.antigen().equals(to.antigen()) && to.dose() <= from.dose()) {
            throw new IllegalArgumentException("to must be a later dose than from (penta:1 to penta:3)");
        }
        String cohort = cohort(p);
        List<Object> arguments = new ArrayList<>();
        String started = doses(antigen("from", from.antigen()), arguments, null);
        String finished = doses(antigen("to", to.antigen()), arguments, null);
        arguments.add(to.dose());
        arguments.add(to.dose());
        arguments.add(cohort);
        arguments.add(from.dose());
        arguments.add(from.dose());
        return new Indicator.Sql(
                PATIENTS + ", started AS (" + started + "), finished AS (" + finished + ")"
                        + " SELECT " + PERSON_COLUMNS + ", NULL AS event_date, NULL AS facility, NULL AS mode,"
                        + " CASE WHEN f.given >= ? OR f.highest >= ? THEN 'completed' ELSE 'dropped-out' END"
                        + " AS status FROM pt JOIN started s ON s.person = pt.person"
                        + " LEFT JOIN finished f ON f.person = pt.person"
                        + " WHERE substr(pt.birth_date, 1, 4) = ? AND (s.given >= ? OR s.highest >= ?)",
                arguments);
    }

    /** An antigen and a dose of it, as {@code penta:3}. */
    private record AntigenDose(String antigen, int dose) {
        static AntigenDose parse(String name, String value) {
            String[] parts = value.trim().split(":");
            if (parts.length != 2) {
                throw new IllegalArgumentException(name + " is antigen:dose (penta:1), not " + value);
            }
            int dose = wholeNumber(name + "'s dose", parts[1]);
            if (dose < 1) {
                throw new IllegalArgumentException(name + "'s dose must be 1 or more");
            }
            return new AntigenDose(parts[0].trim().toLowerCase(java.util.Locale.ROOT), dose);
        }
    }

    /**
     * Per person, of the vaccines {@code codes}: the days with a dose ({@code given}; a dose without
     * a date counts once on its own) and the highest dose number recorded ({@code highest}); with
     * {@code withinMonths}, only doses given before the child was that many months old.
     */
    private static String doses(List<String> codes, List<Object> arguments, String withinMonths) {
        arguments.addAll(codes);
        String timely = "";
        if (withinMonths != null) {
            int months = wholeNumber("within-months", withinMonths);
            if (months < 1) {
                throw new IllegalArgumentException("within-months must be 1 or more");
            }
            timely = " AND sehat_analytics.fhir_date(i.occurrence)"
                    + " < sehat_analytics.fhir_date(pt.birth_date) + make_interval(months => ?)";
            arguments.add(months);
        }
        return "SELECT pt.person,"
                + " COUNT(DISTINCT COALESCE(substr(i.occurrence, 1, 10), i.id)) AS given,"
                + " MAX(i.dose) AS highest"
                + " FROM sehat_analytics.immunization i JOIN pt ON pt.id = i.patient"
                + " WHERE i.cvx IN (" + String.join(", ", java.util.Collections.nCopies(codes.size(), "?")) + ")"
                + timely + " GROUP BY pt.person";
    }

    /** The CVX codes of an EPI antigen named by a parameter. */
    private static List<String> antigen(String parameter, String name) {
        List<String> codes = ANTIGENS.get(name.trim().toLowerCase(java.util.Locale.ROOT));
        if (codes == null) {
            throw new IllegalArgumentException(parameter + ": no EPI antigen " + name + "; one of " + antigenNames());
        }
        return codes;
    }

    private static String antigenNames() {
        return String.join(", ", ANTIGENS.keySet().stream().sorted().toList());
    }

    private static String cohort(Map<String, String> p) {
        String cohort = required(p, "cohort").trim();
        if (!cohort.matches("[0-9]{4}")) {
            throw new IllegalArgumentException("cohort is a birth year (2024), not " + cohort);
        }
        return cohort;
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
                // The category first, so the store's index on it (INDEXES) finds the rows.
                alternatives.add("(substr(c.icd10, 1, 3) = ? AND (c.icd10 = ? OR c.icd10 LIKE ?))");
                arguments.add(c.substring(0, 3));
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
