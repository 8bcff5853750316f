package org.sehathub.mappers;

import java.text.Normalizer;
import java.util.Locale;

/** The single place for the identifier and code system URIs Sehat Hub mints. */
public final class NamingSystems {

    private static final String BASE = "https://fhir.sehathub.pk/";

    /** NADRA Computerised National Identity Card number, canonical {@code XXXXX-XXXXXXX-X}. */
    public static final String CNIC = BASE + "sid/cnic";
    /** Pakistan Medical and Dental Council registration number of a practitioner. */
    public static final String PMDC = BASE + "sid/pmdc";
    /** The sender's own message id (MSH-10, upload id), recorded on Provenance. */
    public static final String MESSAGE_ID = BASE + "sid/message-id";
    /** The sending application (Provenance agent). */
    public static final String SOURCE_SYSTEM = BASE + "sid/source-system";
    /** A telehealth app's id for one teleconsultation. */
    public static final String CONSULTATION_ID = BASE + "sid/teleconsultation";
    /** ISO 3166-2 subdivision codes (PK-PB, PK-SD, ...). */
    public static final String PROVINCE_ISO = "urn:iso:std:iso:3166:-2";
    /** Districts of Pakistan, by name. */
    public static final String DISTRICT = BASE + "CodeSystem/district";
    /** Local lab test codes shared by clinics (source side of lab-to-loinc). */
    public static final String LOCAL_LAB = BASE + "CodeSystem/local-lab";
    /** Local diagnosis codes (source side of diagnosis-to-icd10). */
    public static final String LOCAL_DIAGNOSIS = BASE + "CodeSystem/local-diagnosis";
    /** EPI vaccine short names (source side of vaccine-to-cvx). */
    public static final String LOCAL_VACCINE = BASE + "CodeSystem/local-vaccine";
    /** How a virtual encounter was held (video, audio, chat); see docs/ingest/telehealth.md. */
    public static final String VIRTUAL_ENCOUNTER_MODE = BASE + "CodeSystem/virtual-encounter-mode";
    /**
     * Tag ({@code meta.tag}) naming the facility whose data a resource is: code = the facility's
     * slug, the namespace of its identifiers. Hospitals read only what carries one of theirs.
     */
    public static final String FACILITY_TAG = BASE + "CodeSystem/source-facility";
    /** Canonical base of the ConceptMaps built from config/terminology. */
    /**
     * An HL7 unlink (ADT^A37) on a Patient: the {@code seealso} link to the record with this
     * identifier is to be removed. The server removes the links and this extension before the
     * Patient is stored (HAPI 8.8's FHIRPath Patch cannot delete a list element chosen by a nested
     * path); it is never stored.
     */
    public static final String UNLINK = BASE + "StructureDefinition/unlink";

    public static final String CONCEPT_MAP_BASE = BASE + "ConceptMap/";

    public static final String LOINC = "http://loinc.org";
    public static final String ICD10 = "http://hl7.org/fhir/sid/icd-10";
    public static final String CVX = "http://hl7.org/fhir/sid/cvx";
    public static final String SNOMED = "http://snomed.info/sct";
    public static final String UCUM = "http://unitsofmeasure.org";

    private NamingSystems() {}

    /** Medical record numbers issued by one facility. */
    public static String mrn(String facility) {
        return BASE + "sid/mrn/" + slug(facility);
    }

    /** Identifier system of Organization resources for facilities (value: the facility slug). */
    public static String facility() {
        return BASE + "sid/facility";
    }

    /** Visit (encounter) numbers issued by one facility. */
    public static String visitNumber(String facility) {
        return BASE + "sid/visit/" + slug(facility);
    }

    /** Lab sample (accession) numbers issued by one facility. */
    public static String accession(String facility) {
        return BASE + "sid/accession/" + slug(facility);
    }

    /**
     * Teleconsultation ids issued by one telehealth app: {@link #CONSULTATION_ID} + {@code /} + the
     * app's slug, because two apps may both number their consultations from 1.
     */
    public static String consultationId(String sourceSystem) {
        return CONSULTATION_ID + "/" + slug(sourceSystem);
    }

    /** Code system for codes local to one facility that no shared table covers. */
    public static String localCodes(String facility) {
        return BASE + "CodeSystem/local/" + slug(facility);
    }

    /**
     * A URL-safe, stable form of a name: lower case ASCII letters and digits separated by single
     * hyphens ({@code "Mayo Hospital, Lahore"} -> {@code mayo-hospital-lahore}).
     */
    public static String slug(String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("cannot make a slug of an empty name");
        }
        String ascii = Normalizer.normalize(name, Normalizer.Form.NFKD).replaceAll("\\p{M}", "");
        String slug =
                ascii.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
        if (slug.isEmpty()) {
            // A name in Urdu script only: keep it stable and unique without transliterating.
            slug = "x" + Integer.toHexString(name.strip().hashCode());
        }
        return slug;
    }
}
