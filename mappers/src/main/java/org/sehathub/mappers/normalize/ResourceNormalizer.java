package org.sehathub.mappers.normalize;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hl7.fhir.r4.model.Address;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.ContactPoint;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Immunization;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.Resource;
import org.sehathub.mappers.MappingIssue;
import org.sehathub.mappers.NamingSystems;
import org.sehathub.mappers.terminology.TerminologyMaps;

/**
 * Applies the normalization rules to FHIR resources that arrive directly (not through a mapper),
 * so the record looks the same whatever the route: CNIC identifiers canonical, phones in E.164,
 * names tidied, provinces coded, local lab/diagnosis/vaccine codes enriched with the standard ones.
 *
 * <p>Resources are changed in place. A value that a rule refuses is left as it was and reported
 * (an invalid CNIC as an error, the rest as warnings); deciding whether to refuse the resource is
 * the caller's business. Locations are FHIRPath-like, e.g. {@code Patient.identifier[0].value}.
 */
public final class ResourceNormalizer {

    private static final Pattern CNIC_IN_QUERY = Pattern.compile(
            "(" + Pattern.quote(NamingSystems.CNIC) + "(?:\\||%7C))([0-9 \\-]+)", Pattern.CASE_INSENSITIVE);

    private final TerminologyMaps terminology;
    private final Clock clock;

    public ResourceNormalizer(TerminologyMaps terminology) {
        this(terminology, Clock.systemUTC());
    }

    public ResourceNormalizer(TerminologyMaps terminology, Clock clock) {
        this.terminology = terminology;
        this.clock = clock;
    }

    /**
     * Normalizes every entry's resource (locations are prefixed {@code Bundle.entry[i].resource}),
     * and the CNICs in each entry's match URLs ({@code ifNoneExist}, a conditional {@code url}), so
     * that a resend written with dashes or without matches what the first send stored.
     */
    public List<MappingIssue> normalize(Bundle bundle) {
        List<MappingIssue> issues = new ArrayList<>();
        for (int i = 0; i < bundle.getEntry().size(); i++) {
            Bundle.BundleEntryRequestComponent request =
                    bundle.getEntry().get(i).getRequest();
            if (request.hasIfNoneExist()) {
                request.setIfNoneExist(canonicalCnics(request.getIfNoneExist()));
            }
            if (request.hasUrl()) {
                request.setUrl(canonicalCnics(request.getUrl()));
            }
            Resource resource = bundle.getEntry().get(i).getResource();
            if (resource == null) {
                continue;
            }
            String prefix = "Bundle.entry[" + i + "].resource";
            for (MappingIssue issue : normalize(resource)) {
                issues.add(new MappingIssue(
                        issue.severity(),
                        prefix + issue.location().substring(resource.fhirType().length()),
                        issue.reason()));
            }
        }
        return issues;
    }

    /** A search query with each CNIC value canonical; an invalid one is left as sent (it matches nothing). */
    static String canonicalCnics(String query) {
        Matcher matcher = CNIC_IN_QUERY.matcher(query);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            String value = matcher.group(2);
            try {
                value = Cnic.parse(value).canonical();
            } catch (NormalizationException e) {
                // The resource check reports the CNIC itself.
            }
            matcher.appendReplacement(out, Matcher.quoteReplacement(matcher.group(1) + value));
        }
        matcher.appendTail(out);
        return out.toString();
    }

    /** Normalizes one resource in place and returns what could not be normalized. */
    public List<MappingIssue> normalize(Resource resource) {
        List<MappingIssue> issues = new ArrayList<>();
        if (resource instanceof Patient patient) {
            normalizePatient(patient, issues);
        } else if (resource instanceof Practitioner practitioner) {
            normalizePractitioner(practitioner, issues);
        } else if (resource instanceof Observation observation && observation.hasCode()) {
            terminology.enrich(observation.getCode(), TerminologyMaps.LAB_TO_LOINC);
        } else if (resource instanceof Condition condition && condition.hasCode()) {
            terminology.enrich(condition.getCode(), TerminologyMaps.DIAGNOSIS_TO_ICD10);
        } else if (resource instanceof Immunization immunization && immunization.hasVaccineCode()) {
            terminology.enrich(immunization.getVaccineCode(), TerminologyMaps.VACCINE_TO_CVX);
        }
        return issues;
    }

    private void normalizePatient(Patient patient, List<MappingIssue> issues) {
        for (int i = 0; i < patient.getIdentifier().size(); i++) {
            Identifier identifier = patient.getIdentifier().get(i);
            if (NamingSystems.CNIC.equals(identifier.getSystem())) {
                String location = "Patient.identifier[" + i + "].value";
                try {
                    Cnic cnic = Cnic.parse(identifier.getValue());
                    identifier.setValue(cnic.canonical());
                    if (patient.hasGender()) {
                        cnic.sexMismatch(patient.getGender())
                                .ifPresent(text -> issues.add(MappingIssue.warning(location, text)));
                    }
                } catch (NormalizationException e) {
                    issues.add(MappingIssue.error(location, e.getReason()));
                }
            }
        }
        normalizeNames(patient.getName());
        normalizeTelecom(patient.getTelecom(), "Patient", issues);
        normalizeAddresses(patient.getAddress(), "Patient", issues);
        if (patient.hasBirthDate() && patient.getBirthDate().toInstant().isAfter(clock.instant())) {
            issues.add(MappingIssue.error("Patient.birthDate", "birth date is in the future"));
        }
    }

    private void normalizePractitioner(Practitioner practitioner, List<MappingIssue> issues) {
        for (int i = 0; i < practitioner.getIdentifier().size(); i++) {
            Identifier identifier = practitioner.getIdentifier().get(i);
            if (NamingSystems.PMDC.equals(identifier.getSystem()) && identifier.hasValue()) {
                try {
                    identifier.setValue(PmdcNormalizer.normalize(identifier.getValue()));
                } catch (NormalizationException e) {
                    issues.add(MappingIssue.warning(
                            "Practitioner.identifier[" + i + "].value", e.getReason() + "; kept as sent"));
                }
            }
        }
        normalizeNames(practitioner.getName());
        normalizeTelecom(practitioner.getTelecom(), "Practitioner", issues);
        normalizeAddresses(practitioner.getAddress(), "Practitioner", issues);
    }

    private static void normalizeNames(List<HumanName> names) {
        for (int i = 0; i < names.size(); i++) {
            names.set(i, NameNormalizer.normalize(names.get(i)));
        }
    }

    private static void normalizeTelecom(List<ContactPoint> telecom, String type, List<MappingIssue> issues) {
        for (int i = 0; i < telecom.size(); i++) {
            ContactPoint contactPoint = telecom.get(i);
            boolean phone = contactPoint.getSystem() == ContactPoint.ContactPointSystem.PHONE
                    || contactPoint.getSystem() == ContactPoint.ContactPointSystem.SMS;
            if (!phone || !contactPoint.hasValue()) {
                continue;
            }
            try {
                contactPoint.setValue(PhoneNormalizer.toE164(contactPoint.getValue()));
            } catch (NormalizationException e) {
                issues.add(MappingIssue.warning(type + ".telecom[" + i + "].value", e.getReason() + "; kept as sent"));
            }
        }
    }

    private static void normalizeAddresses(List<Address> addresses, String type, List<MappingIssue> issues) {
        for (int i = 0; i < addresses.size(); i++) {
            Address address = addresses.get(i);
            if (address.hasState()) {
                Optional<Province> province = AddressNormalizer.province(address.getState());
                if (province.isEmpty()) {
                    issues.add(MappingIssue.warning(
                            type + ".address[" + i + "].state",
                            "'" + address.getState() + "' is not a province of Pakistan; kept as sent"));
                }
            }
            addresses.set(i, AddressNormalizer.normalize(address));
        }
    }
}
