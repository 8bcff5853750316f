package org.sehathub.mappers.csv;

import static org.sehathub.mappers.csv.CsvColumn.optional;
import static org.sehathub.mappers.csv.CsvColumn.required;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The CSV layouts a clinic can upload, named as they appear in URLs ({@code POST
 * /ingest/csv/{layout}}). Columns are bound by header name, in any order; docs/ingest/csv.md
 * documents each one and links a template and an example.
 */
public enum CsvLayout {
    PATIENTS(
            "patients",
            List.of(
                    required("mrn", CellKind.TEXT, "Patient.identifier (MR, scoped to the clinic)"),
                    optional("cnic", CellKind.CNIC, "Patient.identifier (CNIC, national)"),
                    optional("name", CellKind.TEXT, "Patient.name.text (the full name as written)"),
                    optional("given_name", CellKind.TEXT, "Patient.name.given"),
                    optional("family_name", CellKind.TEXT, "Patient.name.family"),
                    optional("name_urdu", CellKind.TEXT, "Patient.name.text (language ur)"),
                    optional("father_name", CellKind.TEXT, "Patient.contact (relationship FTH, father)"),
                    optional("husband_name", CellKind.TEXT, "Patient.contact (relationship HUSB, husband)"),
                    optional("father_husband_name", CellKind.TEXT, "Patient.contact (father or husband)"),
                    required("sex", CellKind.SEX, "Patient.gender"),
                    optional("date_of_birth", CellKind.DATE, "Patient.birthDate"),
                    optional("phone", CellKind.PHONE, "Patient.telecom"),
                    optional("address", CellKind.TEXT, "Patient.address.line"),
                    optional("city", CellKind.TEXT, "Patient.address.city"),
                    optional("district", CellKind.TEXT, "Patient.address.district"),
                    optional("province", CellKind.PROVINCE, "Patient.address.state"))),
    VISITS(
            "visits",
            List.of(
                    required("mrn", CellKind.TEXT, "Patient.identifier (MR)"),
                    optional("cnic", CellKind.CNIC, "Patient.identifier (CNIC)"),
                    optional("visit_id", CellKind.TEXT, "Encounter.identifier"),
                    required("visit_date", CellKind.DATE_TIME, "Encounter.period.start"),
                    optional("visit_type", CellKind.CHOICE, "Encounter.class"),
                    optional("complaint", CellKind.TEXT, "Encounter.reasonCode.text"),
                    optional("diagnosis_code", CellKind.CODE, "Condition.code.coding (local + ICD-10 by map)"),
                    optional("diagnosis_icd10", CellKind.CODE, "Condition.code.coding (ICD-10)"),
                    optional("diagnosis_text", CellKind.TEXT, "Condition.code.text"),
                    optional("practitioner_name", CellKind.TEXT, "Practitioner.name / Encounter.participant"),
                    optional("practitioner_pmdc", CellKind.CODE, "Practitioner.identifier (PMDC)"))),
    LAB_RESULTS(
            "lab-results",
            List.of(
                    required("mrn", CellKind.TEXT, "Patient.identifier (MR)"),
                    optional("cnic", CellKind.CNIC, "Patient.identifier (CNIC)"),
                    optional("sample_id", CellKind.TEXT, "Observation.identifier (accession)"),
                    required("test_code", CellKind.CODE, "Observation.code.coding (local + LOINC by map)"),
                    optional("test_name", CellKind.TEXT, "Observation.code.text"),
                    required("result_value", CellKind.RESULT_VALUE, "Observation.value[x]"),
                    optional("unit", CellKind.TEXT, "Observation.valueQuantity.unit/code (UCUM)"),
                    optional("reference_range", CellKind.REFERENCE_RANGE, "Observation.referenceRange"),
                    optional("abnormal_flag", CellKind.CHOICE, "Observation.interpretation"),
                    required("collected_at", CellKind.DATE_TIME, "Observation.effectiveDateTime"),
                    optional("status", CellKind.CHOICE, "Observation.status"))),
    IMMUNIZATIONS(
            "immunizations",
            List.of(
                    required("mrn", CellKind.TEXT, "Patient.identifier (MR)"),
                    optional("cnic", CellKind.CNIC, "Patient.identifier (CNIC or B-form)"),
                    required("vaccine_code", CellKind.CODE, "Immunization.vaccineCode (local + CVX by map)"),
                    optional("dose_number", CellKind.INTEGER, "Immunization.protocolApplied.doseNumber[x]"),
                    required("date_given", CellKind.DATE, "Immunization.occurrenceDateTime"),
                    optional("lot_number", CellKind.TEXT, "Immunization.lotNumber"),
                    optional("vaccinator_name", CellKind.TEXT, "Immunization.performer.actor.display")));

    /**
     * Headers clinics write for our columns, as {@link ClinicCsvReader#normalizeHeader} reads them
     * (lower case, every run of other characters one underscore: {@code Father/Husband Name} is
     * {@code father_husband_name}, {@code S/O} is {@code s_o}, {@code MR #} is {@code mr}).
     */
    private static final Map<String, String> ALIASES = Map.ofEntries(
            Map.entry("mr", "mrn"),
            Map.entry("mr_no", "mrn"),
            Map.entry("mrn_no", "mrn"),
            Map.entry("mr_number", "mrn"),
            Map.entry("medical_record_number", "mrn"),
            Map.entry("patient_id", "mrn"),
            Map.entry("reg_no", "mrn"),
            Map.entry("registration_no", "mrn"),
            Map.entry("cnic_no", "cnic"),
            Map.entry("cnic_number", "cnic"),
            Map.entry("nic", "cnic"),
            Map.entry("nic_no", "cnic"),
            Map.entry("national_id", "cnic"),
            Map.entry("id_card_no", "cnic"),
            Map.entry("patient_name", "name"),
            Map.entry("full_name", "name"),
            Map.entry("patient_full_name", "name"),
            Map.entry("first_name", "given_name"),
            Map.entry("given", "given_name"),
            Map.entry("last_name", "family_name"),
            Map.entry("surname", "family_name"),
            Map.entry("family", "family_name"),
            Map.entry("urdu_name", "name_urdu"),
            Map.entry("s_o", "father_name"),
            Map.entry("d_o", "father_name"),
            Map.entry("son_of", "father_name"),
            Map.entry("daughter_of", "father_name"),
            Map.entry("father_s_name", "father_name"),
            Map.entry("w_o", "husband_name"),
            Map.entry("wife_of", "husband_name"),
            Map.entry("husband_s_name", "husband_name"),
            Map.entry("f_h_name", "father_husband_name"),
            Map.entry("father_or_husband_name", "father_husband_name"),
            Map.entry("s_o_d_o_w_o", "father_husband_name"),
            Map.entry("guardian_name", "father_husband_name"),
            Map.entry("gender", "sex"),
            Map.entry("dob", "date_of_birth"),
            Map.entry("birth_date", "date_of_birth"),
            Map.entry("birthdate", "date_of_birth"),
            Map.entry("mobile", "phone"),
            Map.entry("mobile_no", "phone"),
            Map.entry("phone_no", "phone"),
            Map.entry("contact_no", "phone"),
            Map.entry("cell_no", "phone"),
            Map.entry("contact", "phone"));

    private final String urlName;
    private final List<CsvColumn> columns;

    CsvLayout(String urlName, List<CsvColumn> columns) {
        this.urlName = urlName;
        this.columns = columns;
    }

    /** The name used in URLs and file names, e.g. {@code lab-results}. */
    public String urlName() {
        return urlName;
    }

    /** Every column, in template order. */
    public List<CsvColumn> columns() {
        return columns;
    }

    /** The column with this header name, if the layout has one. */
    public Optional<CsvColumn> column(String name) {
        return columns.stream().filter(c -> c.name().equals(name)).findFirst();
    }

    /** The column name a header means: itself, or the column it is a known alias of. */
    static String canonicalName(String normalizedHeader) {
        return ALIASES.getOrDefault(normalizedHeader, normalizedHeader);
    }

    /** The template header line, e.g. {@code mrn,cnic,given_name,...}. */
    public String templateHeader() {
        return String.join(",", columns.stream().map(CsvColumn::name).toList());
    }

    /**
     * The layout for a URL name ({@code patients}, {@code visits}, {@code lab-results}, {@code
     * immunizations}), ignoring case; empty for anything else.
     */
    public static Optional<CsvLayout> fromName(String name) {
        if (name == null) {
            return Optional.empty();
        }
        String wanted = name.strip().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(l -> l.urlName.equals(wanted)).findFirst();
    }
}
