package org.sehathub.mappers.mpi;

import ca.uhn.fhir.model.api.TemporalPrecisionEnum;
import java.time.LocalDate;
import java.time.Period;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.hl7.fhir.r4.model.Address;
import org.hl7.fhir.r4.model.ContactPoint;
import org.hl7.fhir.r4.model.Enumerations.AdministrativeGender;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.StringType;
import org.sehathub.mappers.NamingSystems;
import org.sehathub.mappers.normalize.Cnic;
import org.sehathub.mappers.normalize.NormalizationException;

/**
 * What the matcher compares of one patient record: identities that can be trusted, names as keys
 * in both scripts, the father or husband and the mother, birth date with its precision, sex,
 * phones, district. Built from a FHIR Patient as the mappers store it ({@link #of}).
 *
 * @param id the record (e.g. {@code Patient/123}); opaque here
 * @param facility the facility the record belongs to, or null
 * @param cnic a CNIC that is this person's own: valid, not a placeholder, consistent with the
 *     record's sex and age (a CNIC on a child's record is a parent's); null otherwise
 * @param bForm a child registration (B-form, CRC) number, the child's own
 * @param guardianCnic a CNIC sent on this record that is not the person's own (a child's mother's,
 *     a wife's husband's): kept as evidence of the family, never as identity
 * @param names the keys of each of the record's names (Latin and Urdu), one list of word skeletons
 *     per name; empty when only a placeholder ("Baby of Ayesha") was given
 * @param relative the father's or husband's name, as word skeletons (empty when not sent)
 * @param mother the mother's (maiden) name, as word skeletons
 * @param birthDate null when unknown
 * @param birthPrecision day, month or year
 * @param sex {@code male}, {@code female}, or null
 * @param phones E.164 numbers
 * @param district the district as coded or written, lower case, or null
 */
public record PersonRecord(
        String id,
        String facility,
        String cnic,
        String bForm,
        String guardianCnic,
        List<List<String>> names,
        List<String> relative,
        List<String> mother,
        LocalDate birthDate,
        TemporalPrecisionEnum birthPrecision,
        String sex,
        Set<String> phones,
        String district) {

    /** Identifier system of child registration (B-form / CRC) numbers issued by NADRA. */
    public static final String B_FORM = "https://fhir.sehathub.pk/sid/bform";

    /** The core extension holding PID-6, the mother's maiden name. */
    static final String MOTHERS_MAIDEN_NAME = "http://hl7.org/fhir/StructureDefinition/patient-mothersMaidenName";

    /** CNICs used as placeholders by registration desks: never anyone's identity. */
    private static final Pattern PLACEHOLDER = Pattern.compile("(\\d)\\1{4}-\\1{7}-\\1|12345-1234567-\\d|.*0000000.*");

    /** NADRA issues CNICs from 18; a CNIC on a younger person's record is a parent's. */
    private static final int CNIC_AGE = 18;

    public PersonRecord {
        names = names.stream().map(List::copyOf).toList();
        relative = List.copyOf(relative);
        mother = List.copyOf(mother);
        phones = Set.copyOf(phones);
    }

    /** True when a CNIC is no-one's: all one digit, {@code 12345-1234567-x}, seven zeros. */
    public static boolean isPlaceholder(String canonicalCnic) {
        return PLACEHOLDER.matcher(canonicalCnic).matches();
    }

    /**
     * Reads a Patient. {@code today} decides whether the person is old enough for a CNIC of her own.
     */
    public static PersonRecord of(String id, String facility, Patient patient, LocalDate today) {
        LocalDate birthDate = patient.hasBirthDate()
                ? LocalDate.parse(
                        patient.getBirthDateElement().getValueAsString().length() >= 10
                                ? patient.getBirthDateElement()
                                        .getValueAsString()
                                        .substring(0, 10)
                                : padded(patient.getBirthDateElement().getValueAsString()))
                : null;
        TemporalPrecisionEnum precision =
                patient.hasBirthDate() ? patient.getBirthDateElement().getPrecision() : null;
        String sex = patient.getGender() == AdministrativeGender.MALE
                ? "male"
                : patient.getGender() == AdministrativeGender.FEMALE ? "female" : null;
        String cnic = null;
        String guardian = null;
        String bForm = null;
        for (Identifier identifier : patient.getIdentifier()) {
            if (!identifier.hasValue() || identifier.getValue().isBlank()) {
                continue;
            }
            if (B_FORM.equals(identifier.getSystem())) {
                bForm = identifier.getValue().replaceAll("\\D", "");
            } else if (NamingSystems.CNIC.equals(identifier.getSystem())) {
                Cnic parsed = parse(identifier.getValue());
                if (parsed == null || isPlaceholder(parsed.canonical())) {
                    continue;
                }
                if (ownCnic(parsed, birthDate, sex, today)) {
                    cnic = cnic == null ? parsed.canonical() : cnic;
                } else {
                    guardian = parsed.canonical();
                }
            }
        }
        List<List<String>> names = new ArrayList<>();
        for (HumanName name : patient.getName()) {
            String text = text(name);
            if (!NameKeys.isPlaceholder(text)) {
                List<String> words = NameKeys.words(text);
                if (!words.isEmpty()) {
                    names.add(words);
                }
            }
        }
        List<String> relative = patient.getContact().stream()
                .filter(contact -> contact.hasName() && fatherOrHusband(contact, sex))
                .findFirst()
                .map(contact -> NameKeys.words(text(contact.getName())))
                .orElse(List.of());
        List<String> mother = List.of();
        Extension maiden = patient.getExtensionByUrl(MOTHERS_MAIDEN_NAME);
        if (maiden != null && maiden.getValue() instanceof StringType value) {
            mother = NameKeys.words(value.getValue());
        }
        Set<String> phones = new LinkedHashSet<>();
        for (ContactPoint telecom : patient.getTelecom()) {
            if (telecom.getSystem() == ContactPoint.ContactPointSystem.PHONE && telecom.hasValue()) {
                phones.add(telecom.getValue().replaceAll("[^+\\d]", ""));
            }
        }
        String district = null;
        for (Address address : patient.getAddress()) {
            if (address.hasDistrict()) {
                district = address.getDistrict().strip().toLowerCase();
                break;
            }
        }
        return new PersonRecord(
                id, facility, cnic, bForm, guardian, names, relative, mother, birthDate, precision, sex, phones,
                district);
    }

    /** A CNIC is the person's own when she is 18 or older (or of unknown age) and its sex digit agrees. */
    private static boolean ownCnic(Cnic cnic, LocalDate birthDate, String sex, LocalDate today) {
        if (birthDate != null && Period.between(birthDate, today).getYears() < CNIC_AGE) {
            return false;
        }
        if (sex != null
                && cnic.impliedSex() != null
                && !cnic.impliedSex().toCode().equals(sex)) {
            return false;
        }
        return true;
    }

    /**
     * A contact coded FTH or HUSB (v3 RoleCode, v2 table 0063), SPO (spouse, v2 table 0063) on a
     * woman's record, or whose relationship text says father or husband.
     */
    private static boolean fatherOrHusband(Patient.ContactComponent contact, String sex) {
        return contact.getRelationship().stream()
                .anyMatch(r -> r.getCoding().stream()
                                .anyMatch(c -> "FTH".equals(c.getCode())
                                        || "HUSB".equals(c.getCode())
                                        || "SPO".equalsIgnoreCase(c.getCode()) && "female".equals(sex))
                        || r.hasText()
                                && (r.getText().toLowerCase().contains("father")
                                        || r.getText().toLowerCase().contains("husband")));
    }

    private static Cnic parse(String value) {
        try {
            return Cnic.parse(value);
        } catch (NormalizationException e) {
            return null;
        }
    }

    private static String text(HumanName name) {
        if (name.hasText()) {
            return name.getText();
        }
        return (name.getGivenAsSingleString() + " " + (name.hasFamily() ? name.getFamily() : "")).strip();
    }

    private static String padded(String partial) {
        return partial.length() == 4 ? partial + "-01-01" : partial + "-01";
    }
}
