package org.sehathub.mappers.csv;

import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.sehathub.mappers.NamingSystems;
import org.sehathub.mappers.SourceInfo;
import org.sehathub.mappers.TransactionBundleBuilder;
import org.sehathub.mappers.normalize.Cnic;
import org.sehathub.mappers.terminology.TerminologyMaps;

/**
 * What the rows of one file share: the clinic, the Bundle being built, and which line first
 * produced each entry (to report duplicates).
 */
final class ClinicContext {

    final SourceInfo source;
    final TerminologyMaps terminology;
    final Clock clock;
    final TransactionBundleBuilder builder = new TransactionBundleBuilder();
    private final Map<String, Integer> firstLineByKey = new HashMap<>();
    private String organizationUrl;

    ClinicContext(SourceInfo source, TerminologyMaps terminology, Clock clock) {
        this.source = source;
        this.terminology = terminology;
        this.clock = clock;
    }

    String facility() {
        return source.facility();
    }

    String facilitySlug() {
        return NamingSystems.slug(source.facility());
    }

    /**
     * The clinic's Organization, added on first use. A conditional create: the hub's registry of
     * facilities may hold more about it than a CSV upload knows, so an upload never overwrites it.
     */
    String organization() {
        if (organizationUrl == null) {
            Organization organization = new Organization();
            organization.addIdentifier().setSystem(NamingSystems.facility()).setValue(facilitySlug());
            organization.setActive(true).setName(source.facility());
            organization.addType(new CodeableConcept(new Coding(
                    "http://terminology.hl7.org/CodeSystem/organization-type", "prov", "Healthcare Provider")));
            organizationUrl = builder.conditionalCreate(
                    organization, TransactionBundleBuilder.identifierQuery(NamingSystems.facility(), facilitySlug()));
        }
        return organizationUrl;
    }

    /** The clinic's MRN identifier (type MR, system scoped to the clinic). */
    Identifier mrnIdentifier(String mrn) {
        return new Identifier()
                .setUse(Identifier.IdentifierUse.USUAL)
                .setType(new CodeableConcept(
                        new Coding("http://terminology.hl7.org/CodeSystem/v2-0203", "MR", "Medical record number")))
                .setSystem(NamingSystems.mrn(source.facility()))
                .setValue(mrn);
    }

    /**
     * How a patient is matched: by the clinic's own MRN, always present in a clinic CSV. A clinic's
     * upload thereby only ever creates or replaces the Patient that holds its own record; the same
     * person's records at other facilities carry the same CNIC identifier and are found by it (the
     * HL7 v2 mapper matches on the facility MRN the same way).
     */
    String patientQuery(String mrn) {
        return TransactionBundleBuilder.identifierQuery(NamingSystems.mrn(source.facility()), mrn);
    }

    /**
     * The patient a visit, result or immunization row belongs to: a conditional create of a Patient
     * holding just the identifiers, so that these rows never overwrite demographics that the
     * patients layout or another source recorded.
     */
    String patientReference(String mrn, Optional<Cnic> cnic) {
        Patient patient = new Patient();
        cnic.ifPresent(c -> patient.addIdentifier(c.toIdentifier()));
        patient.addIdentifier(mrnIdentifier(mrn));
        patient.setManagingOrganization(new Reference(organization()));
        return builder.conditionalCreate(patient, patientQuery(mrn));
    }

    /**
     * Remembers that {@code key} was produced by {@code line}; returns the earlier line when the key
     * was already seen.
     */
    Optional<Integer> firstLine(String key, int line) {
        Integer previous = firstLineByKey.putIfAbsent(key, line);
        return Optional.ofNullable(previous);
    }
}
