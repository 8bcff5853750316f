package org.sehathub.mappers.csv;

import java.util.Optional;
import org.hl7.fhir.r4.model.Address;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.ContactPoint;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.Enumerations.AdministrativeGender;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.sehathub.mappers.normalize.AddressNormalizer;
import org.sehathub.mappers.normalize.Cnic;
import org.sehathub.mappers.normalize.NameNormalizer;
import org.sehathub.mappers.normalize.NormalizationException;
import org.sehathub.mappers.normalize.PhoneNormalizer;
import org.sehathub.mappers.normalize.Province;

/**
 * A row of the {@code patients} layout to a Patient. The clinic's register is authoritative for
 * the demographics it sends, so the Patient is a conditional update matched on the clinic's MRN.
 */
final class PatientRowMapper implements CsvRowMapper {

    /** Core extension marking the language of an element; here the Urdu name. */
    static final String LANGUAGE_EXTENSION = "http://hl7.org/fhir/StructureDefinition/language";

    @Override
    public boolean map(CsvRowReader row, ClinicContext context) {
        String mrn = row.text("mrn");
        Optional<Cnic> cnic = row.cnic("cnic");
        Optional<AdministrativeGender> sex = row.sex("sex");
        Optional<DateType> birthDate = row.birthDate("date_of_birth", context.clock);
        if (!row.has("name") && !row.has("given_name") && !row.has("family_name") && !row.has("name_urdu")) {
            row.rowError("a patient needs name, given_name, family_name or name_urdu");
        }
        if (row.hasErrors()) {
            return false;
        }
        String query = context.patientQuery(mrn);
        Optional<Integer> earlier = context.firstLine("Patient?" + query, row.line());
        if (earlier.isPresent()) {
            row.rowError("the same patient is already on line " + earlier.get() + "; only that row is mapped");
            return false;
        }

        cnic.flatMap(c -> context.firstLine("cnic|" + c.canonical(), row.line()))
                .ifPresent(line -> row.warning("cnic", "the same CNIC is on line " + line + " with another mrn"));

        Patient patient = new Patient();
        cnic.ifPresent(c -> {
            patient.addIdentifier(c.toIdentifier());
            sex.flatMap(c::sexMismatch).ifPresent(text -> row.warning("cnic", text));
        });
        patient.addIdentifier(context.mrnIdentifier(mrn));
        patient.setActive(true);
        if (row.has("given_name") || row.has("family_name")) {
            HumanName latin = new HumanName().setUse(HumanName.NameUse.OFFICIAL);
            row.optionalText("family_name").ifPresent(latin::setFamily);
            row.optionalText("given_name").ifPresent(latin::addGiven);
            row.optionalText("name").ifPresent(latin::setText);
            patient.addName(NameNormalizer.normalize(latin));
        } else {
            // One full-name column, the most common register: kept whole, not guessed into given and
            // family (which word is the family name differs from family to family).
            row.optionalText("name")
                    .ifPresent(full -> patient.addName(new HumanName()
                            .setUse(HumanName.NameUse.OFFICIAL)
                            .setText(full.strip().replaceAll("\\s+", " "))));
        }
        relative(row, "father_name", "FTH", "father").ifPresent(patient::addContact);
        relative(row, "husband_name", "HUSB", "husband").ifPresent(patient::addContact);
        relative(row, "father_husband_name", null, "father or husband").ifPresent(patient::addContact);
        row.optionalText("name_urdu").ifPresent(urdu -> patient.addName(urduName(urdu)));
        sex.ifPresent(patient::setGender);
        birthDate.ifPresent(patient::setBirthDateElement);
        row.optionalText("phone").ifPresent(phone -> addPhone(patient, phone, row));
        address(row).ifPresent(patient::addAddress);
        patient.setManagingOrganization(new Reference(context.organization()));

        context.builder.conditionalUpdate(patient, query);
        return true;
    }

    /**
     * The father or husband Pakistani registers record beside a patient's name (S/O, D/O, W/O), as a
     * contact with the v3 RoleCode relationship when the column says which ({@code FTH}, {@code
     * HUSB}), else with the text only.
     */
    private static Optional<Patient.ContactComponent> relative(
            CsvRowReader row, String column, String code, String text) {
        return row.optionalText(column).map(name -> {
            Patient.ContactComponent contact = new Patient.ContactComponent();
            CodeableConcept relationship = new CodeableConcept().setText(text);
            if (code != null) {
                relationship.addCoding(new Coding("http://terminology.hl7.org/CodeSystem/v3-RoleCode", code, text));
            }
            contact.addRelationship(relationship);
            contact.setName(new HumanName().setText(name.strip().replaceAll("\\s+", " ")));
            return contact;
        });
    }

    /** An Urdu-script name, kept exactly as written, marked as Urdu. */
    static HumanName urduName(String urdu) {
        HumanName name = new HumanName().setUse(HumanName.NameUse.OFFICIAL).setText(urdu);
        name.addExtension(new Extension(LANGUAGE_EXTENSION, new org.hl7.fhir.r4.model.CodeType("ur")));
        return name;
    }

    private static void addPhone(Patient patient, String raw, CsvRowReader row) {
        try {
            ContactPoint phone = PhoneNormalizer.toContactPoint(raw);
            patient.addTelecom(phone);
        } catch (NormalizationException e) {
            row.warning("phone", e.getReason() + "; the phone number is not stored");
        }
    }

    private static Optional<Address> address(CsvRowReader row) {
        if (!row.has("address") && !row.has("city") && !row.has("district") && !row.has("province")) {
            return Optional.empty();
        }
        Address written = new Address().setUse(Address.AddressUse.HOME);
        // A line break inside a quoted address cell separates address lines.
        row.optionalText("address")
                .ifPresent(text -> text.lines()
                        .map(String::strip)
                        .filter(l -> !l.isEmpty())
                        .forEach(written::addLine));
        row.optionalText("city").ifPresent(written::setCity);
        row.optionalText("district").ifPresent(written::setDistrict);
        Address address = AddressNormalizer.normalize(written);
        if (row.has("province")) {
            Optional<Province> province = AddressNormalizer.province(row.text("province"));
            if (province.isPresent()) {
                AddressNormalizer.setProvince(address, province.get());
            } else {
                address.setState(row.text("province"));
                row.warning("province", "not a province of Pakistan; kept as written");
            }
        } else {
            address.setCountry("PK");
        }
        return Optional.of(address);
    }
}
