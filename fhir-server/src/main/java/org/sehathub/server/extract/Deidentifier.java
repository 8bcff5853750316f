package org.sehathub.server.extract;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.hl7.fhir.r4.model.Address;
import org.hl7.fhir.r4.model.BaseDateTimeType;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.Immunization;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.PositiveIntType;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.Type;

/**
 * Makes the de-identified copy of a resource for an extract: built afresh from the elements a
 * researcher needs (a list kept here, never a copy with identifiers struck out, so an element a
 * sender adds later stays out), with
 *
 * <ul>
 *   <li>ids and references replaced by pseudonyms, stable within one extract and unlinkable across
 *       extracts (an HMAC of the person or resource under the extract's own random key);
 *   <li>no identifier, name, telecom, address line, city or postal code, contact, photo, narrative,
 *       note or free-text value; codes kept as system and code only (a display may carry text);
 *   <li>every date generalized to its month; a patient's birth date to what the k-anonymity check
 *       left ({@link KAnonymity}), 90 and over as the age group {@code 90+} without any date.
 * </ul>
 */
final class Deidentifier {

    static final String AGE_GROUP = "https://fhir.sehathub.pk/StructureDefinition/age-group";

    private final Mac hmac;

    /** @param key the extract's own random key: pseudonyms cannot be linked to another extract's */
    Deidentifier(byte[] key) {
        try {
            hmac = Mac.getInstance("HmacSHA256");
            hmac.init(new SecretKeySpec(key, "HmacSHA256"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The pseudonym of a person or resource: 32 hex digits, a valid FHIR id. */
    synchronized String pseudonym(String kind, String id) {
        byte[] digest = hmac.doFinal((kind + "/" + id).getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(digest, 0, 16);
    }

    /**
     * One person's Patient: her sex, generalized birth date (or age group) and where she lives
     * (province, and district unless the k-anonymity check took it away), deceased as yes or no.
     */
    Patient patient(String person, Patient source, KAnonymity.Released released) {
        Patient patient = new Patient();
        patient.setId(pseudonym("Person", person));
        patient.setGender(source.getGender());
        if (released.birth().equals(KAnonymity.NINETY_PLUS)) {
            patient.addExtension(new Extension(AGE_GROUP, new StringType(KAnonymity.NINETY_PLUS)));
        } else if (released.birth().matches("\\d{4}(-\\d{2})?")) {
            patient.setBirthDateElement(new DateType(released.birth()));
        } else if (!released.birth().isEmpty()) {
            // a band of years (1990-1994): no FHIR date says that
            patient.addExtension(new Extension(AGE_GROUP, new StringType("born " + released.birth())));
        }
        if (released.province() != null) {
            Address address = patient.addAddress().setState(released.province());
            if (released.district() != null) {
                address.setDistrict(released.district());
            }
        }
        if (source.hasDeceased()) {
            boolean deceased =
                    source.getDeceased() instanceof BooleanType yes ? yes.booleanValue() : source.getDeceased() != null;
            patient.setDeceased(new BooleanType(deceased));
        }
        return patient;
    }

    Encounter encounter(Encounter source, String person) {
        Encounter encounter = new Encounter();
        encounter.setId(pseudonym("Encounter", source.getIdElement().getIdPart()));
        encounter.setStatus(source.getStatus());
        if (source.hasClass_()) {
            encounter.setClass_(coding(source.getClass_()));
        }
        source.getType().forEach(t -> encounter.addType(concept(t)));
        source.getReasonCode().forEach(r -> encounter.addReasonCode(concept(r)));
        encounter.setSubject(personReference(person));
        if (source.hasPeriod()) {
            encounter.setPeriod(new Period()
                    .setStartElement(month(source.getPeriod().getStartElement()))
                    .setEndElement(month(source.getPeriod().getEndElement())));
        }
        return encounter;
    }

    Condition condition(Condition source, String person) {
        Condition condition = new Condition();
        condition.setId(pseudonym("Condition", source.getIdElement().getIdPart()));
        condition.setClinicalStatus(concept(source.getClinicalStatus()));
        condition.setVerificationStatus(concept(source.getVerificationStatus()));
        source.getCategory().forEach(c -> condition.addCategory(concept(c)));
        condition.setCode(concept(source.getCode()));
        condition.setSubject(personReference(person));
        encounterOf(source.getEncounter()).ifPresent(condition::setEncounter);
        if (source.getOnset() instanceof DateTimeType onset) {
            condition.setOnset(month(onset));
        }
        condition.setRecordedDateElement(month(source.getRecordedDateElement()));
        return condition;
    }

    Observation observation(Observation source, String person) {
        Observation observation = new Observation();
        observation.setId(pseudonym("Observation", source.getIdElement().getIdPart()));
        observation.setStatus(source.getStatus());
        source.getCategory().forEach(c -> observation.addCategory(concept(c)));
        observation.setCode(concept(source.getCode()));
        observation.setSubject(personReference(person));
        encounterOf(source.getEncounter()).ifPresent(observation::setEncounter);
        if (source.getEffective() instanceof BaseDateTimeType effective) {
            observation.setEffective(month(effective));
        } else if (source.getEffective() instanceof Period period) {
            observation.setEffective(
                    new DateTimeType(month(period.getStartElement()).getValueAsString()));
        }
        observation.setValue(value(source.getValue()));
        source.getInterpretation().forEach(i -> observation.addInterpretation(concept(i)));
        source.getReferenceRange()
                .forEach(range -> observation
                        .addReferenceRange()
                        .setLow(quantity(range.getLow()))
                        .setHigh(quantity(range.getHigh()))
                        .setType(concept(range.getType())));
        return observation;
    }

    Immunization immunization(Immunization source, String person) {
        Immunization immunization = new Immunization();
        immunization.setId(pseudonym("Immunization", source.getIdElement().getIdPart()));
        immunization.setStatus(source.getStatus());
        immunization.setVaccineCode(concept(source.getVaccineCode()));
        immunization.setPatient(personReference(person));
        encounterOf(source.getEncounter()).ifPresent(immunization::setEncounter);
        if (source.getOccurrence() instanceof DateTimeType occurrence) {
            immunization.setOccurrence(month(occurrence));
        }
        source.getProtocolApplied().forEach(protocol -> {
            Immunization.ImmunizationProtocolAppliedComponent applied = immunization.addProtocolApplied();
            if (protocol.getDoseNumber() instanceof PositiveIntType dose) {
                applied.setDoseNumber(new PositiveIntType(dose.getValue()));
            } else {
                applied.setDoseNumber(new StringType("unknown")); // a dose written as text: its text left out
            }
        });
        return immunization;
    }

    private Reference personReference(String person) {
        return new Reference("Patient/" + pseudonym("Person", person));
    }

    private Optional<Reference> encounterOf(Reference reference) {
        String id = reference.getReferenceElement().getIdPart();
        return "Encounter".equals(reference.getReferenceElement().getResourceType()) && id != null
                ? Optional.of(new Reference("Encounter/" + pseudonym("Encounter", id)))
                : Optional.empty();
    }

    /** A date or date-time to its month (a year stays a year); null for none. */
    static DateTimeType month(BaseDateTimeType date) {
        if (date == null || date.getValueAsString() == null) {
            return null;
        }
        String text = date.getValueAsString();
        return new DateTimeType(text.length() >= 7 ? text.substring(0, 7) : text.substring(0, 4));
    }

    private static CodeableConcept concept(CodeableConcept source) {
        if (source == null || source.isEmpty()) {
            return null;
        }
        CodeableConcept concept = new CodeableConcept();
        source.getCoding().stream()
                .filter(c -> c.hasSystem() && c.hasCode())
                .forEach(c -> concept.addCoding(coding(c)));
        return concept.hasCoding() ? concept : null;
    }

    private static Coding coding(Coding source) {
        return new Coding(source.getSystem(), source.getCode(), null);
    }

    private static Quantity quantity(Quantity source) {
        if (source == null || !source.hasValue()) {
            return null;
        }
        return new Quantity()
                .setValue(source.getValue())
                .setUnit(source.getUnit())
                .setSystem(source.getSystem())
                .setCode(source.getCode())
                .setComparator(source.getComparator());
    }

    /** Numbers, codes and yes or no; never a string (free text). */
    private static Type value(Type source) {
        if (source instanceof Quantity q) {
            return quantity(q);
        } else if (source instanceof CodeableConcept c) {
            return concept(c);
        } else if (source instanceof BooleanType b) {
            return new BooleanType(b.getValue());
        } else if (source instanceof IntegerType i) {
            return new IntegerType(i.getValue());
        }
        return null;
    }

    /** The resource types an extract carries, in the order they are written. */
    static final List<String> TYPES = List.of("Patient", "Encounter", "Condition", "Observation", "Immunization");

    /** A resource of one of {@link #TYPES} other than Patient, de-identified, of the person given. */
    Resource event(Resource source, String person) {
        if (source instanceof Encounter e) {
            return encounter(e, person);
        } else if (source instanceof Condition c) {
            return condition(c, person);
        } else if (source instanceof Observation o) {
            return observation(o, person);
        } else if (source instanceof Immunization i) {
            return immunization(i, person);
        }
        throw new IllegalArgumentException("not extracted: " + source.fhirType());
    }
}
