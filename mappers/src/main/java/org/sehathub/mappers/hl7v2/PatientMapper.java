package org.sehathub.mappers.hl7v2;

import ca.uhn.hl7v2.model.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.hl7.fhir.r4.model.Address;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.ContactPoint;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Enumerations.AdministrativeGender;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.StringType;
import org.sehathub.mappers.MappingException;
import org.sehathub.mappers.MappingIssue;
import org.sehathub.mappers.NamingSystems;
import org.sehathub.mappers.normalize.Cnic;
import org.sehathub.mappers.normalize.DateNormalizer;
import org.sehathub.mappers.normalize.GenderNormalizer;
import org.sehathub.mappers.normalize.NormalizationException;

/**
 * PID (+ PD1, NK1) to Patient, after the v2-to-FHIR guide's PID[Patient], PD1[Patient] and
 * NK1[Patient] maps.
 *
 * <p>Identifiers: every PID-3 repetition with a value is kept. It is the CNIC when its type (CX-5)
 * is NI or NNPAK or its assigning authority (CX-4) is NADRA; an MRN when its type is MR, MRT, PI,
 * PT or empty; otherwise an identifier of its type (PK, NH, SS, PPN, ...). MRNs and others are
 * scoped to their assigning authority, or the sending facility when CX-4 is empty. PID-19 (SSN,
 * withdrawn in v2.7 but where many v2.3 systems put the CNIC) is read as a CNIC too. The Patient is
 * matched on the first MRN; without one, on the CNIC; without either, on the first other
 * identifier that names a person (not an account or visit number, AN, VN). ADT messages replace the Patient (conditional update:
 * the registering facility is the authority for its demographics); other messages only create it
 * when the hub does not know it yet, so a lab's sparse PID never overwrites registration data.
 * Among ADT events only those that carry the registration (A01, A04, A05, A08, A28, A31, A40)
 * replace it; A02, A03, A11 and A13 often carry a minimal PID and only create.
 */
final class PatientMapper {

    private static final String RELIGION_EXT = "http://hl7.org/fhir/StructureDefinition/patient-religion";
    private static final String MOTHERS_MAIDEN_NAME_EXT =
            "http://hl7.org/fhir/StructureDefinition/patient-mothersMaidenName";

    /** Not a person's identifier: an account (AN) or a visit (VN) number is never the match key. */
    private static final List<String> NOT_A_PERSON = List.of("AN", "VN");

    private final Hl7Context ctx;
    private Patient patient;
    private Identifier key;

    PatientMapper(Hl7Context ctx) {
        this.ctx = ctx;
    }

    Patient patient() {
        return patient;
    }

    /** The identifier the last PID's patient is matched on (its first MRN, else CNIC, else another). */
    Identifier key() {
        return key;
    }

    /** Maps a PID: the patient the segments after it are about. */
    Subject pid(SegmentRef pid) {
        Patient p = new Patient();
        List<Identifier> mrns = new ArrayList<>();
        List<Identifier> others = new ArrayList<>();
        Cnic cnic = identifiers(pid, p, mrns, others);
        names(pid, p);
        gender(pid, p, cnic);
        birthDate(pid, p);
        for (int i = 0; i < V2.reps(pid.segment(), 11).size(); i++) {
            Address a = ctx.types.address(V2.reps(pid.segment(), 11).get(i), pid.at(11, i + 1));
            if (a != null) {
                p.addAddress(a);
            }
        }
        telecoms(pid, 13, p.getTelecom(), null);
        telecoms(pid, 14, p.getTelecom(), ContactPoint.ContactPointUse.WORK);
        CodeableConcept language = ctx.types.concept(V2.first(pid.segment(), 15), null);
        if (language != null) {
            p.addCommunication().setLanguage(language);
        }
        maritalStatus(pid, p);
        CodeableConcept religion = ctx.types.concept(V2.first(pid.segment(), 17), null);
        if (religion != null) {
            p.addExtension(new Extension(RELIGION_EXT, religion));
        }
        Type mother = V2.first(pid.segment(), 6);
        if (mother != null && ctx.types.name(mother) != null) {
            p.addExtension(new Extension(
                    MOTHERS_MAIDEN_NAME_EXT,
                    new StringType(
                            ctx.types.name(mother).getFamily() != null
                                    ? ctx.types.name(mother).getFamily()
                                    : ctx.types.name(mother).getNameAsSingleString())));
        }
        death(pid, p);
        p.setManagingOrganization(new Reference(ctx.organizationRef));
        p.setActive(true);
        ctx.reportUnmappedFields(pid, List.of(1, 2, 3, 4, 5, 6, 7, 8, 11, 13, 14, 15, 16, 17, 19, 29, 30));

        Identifier key;
        if (!mrns.isEmpty()) {
            key = mrns.get(0);
        } else if (cnic != null) {
            key = new Identifier().setSystem(NamingSystems.CNIC).setValue(cnic.canonical());
        } else if (!others.isEmpty()) {
            key = others.get(0);
        } else {
            throw new MappingException(
                    MappingIssue.Kind.MISSING,
                    pid.at(3),
                    "the patient has no usable identifier (an MRN, a CNIC or another person identifier in PID-3)");
        }
        String query = Hl7Context.identifierQuery(key.getSystem(), key.getValue());
        this.patient = p;
        this.key = key.copy();
        String ref = ctx.patientAuthoritative
                ? ctx.bundle.conditionalUpdate(p, query)
                : ctx.bundle.conditionalCreate(p, query);
        return Subject.of(ref, query);
    }

    private Cnic identifiers(SegmentRef pid, Patient p, List<Identifier> mrns, List<Identifier> others) {
        Cnic cnic = null;
        List<String> cnicErrors = new ArrayList<>();
        // PID-3; when it holds no usable identifier, PID-2 (external id) and PID-4 (alternate id),
        // which versions before 2.7 have and some senders fill instead.
        for (int field : List.of(3, 2, 4)) {
            if (field != 3 && (!mrns.isEmpty() || cnic != null || !others.isEmpty())) {
                break;
            }
            List<Type> reps = V2.reps(pid.segment(), field);
            for (int i = 0; i < reps.size(); i++) {
                Type cx = reps.get(i);
                String location = pid.at(field, i + 1);
                String value = V2.component(cx, 1);
                if (value == null || value.isBlank()) {
                    if (field == 3) {
                        ctx.missing(location, "identifier without a value (CX-1); left out");
                    }
                    continue;
                }
                value = value.strip();
                String authority = Datatypes.authority(cx);
                String type = upper(V2.component(cx, 5));
                boolean isCnic = "NI".equals(type) || "NNPAK".equals(type) || "NADRA".equalsIgnoreCase(authority);
                if (isCnic) {
                    try {
                        Cnic parsed = Cnic.parse(value);
                        if (cnic == null) {
                            cnic = parsed;
                            p.addIdentifier(parsed.toIdentifier());
                        } else if (!cnic.canonical().equals(parsed.canonical())) {
                            ctx.warning(location, "a second, different CNIC; left out");
                        }
                    } catch (NormalizationException e) {
                        cnicErrors.add(location + ": CNIC " + value + " is invalid: " + e.getReason());
                        ctx.warning(location, "CNIC " + value + " is invalid and left out: " + e.getReason());
                    }
                } else if (type == null
                        || type.equals("MR")
                        || type.equals("MRN")
                        || type.equals("PI")
                        || type.equals("PT")
                        || type.equals("MRT")) {
                    Identifier mrn = Datatypes.typedIdentifier(
                            NamingSystems.mrn(authority != null ? authority : ctx.facility),
                            value,
                            "MR",
                            "Medical record number");
                    mrn.setUse(Identifier.IdentifierUse.USUAL);
                    if (authority != null) {
                        mrn.getAssigner().setDisplay(authority);
                    }
                    mrns.add(mrn);
                    p.addIdentifier(mrn);
                } else {
                    Identifier other = Datatypes.typedIdentifier(
                            Hl7v2Systems.otherPatientIdentifier(type, authority != null ? authority : ctx.facility),
                            value,
                            type,
                            null);
                    p.addIdentifier(other);
                    if (!NOT_A_PERSON.contains(type)) {
                        others.add(other);
                    }
                }
            }
        }
        String ssn = ctx.raw.component(pid, 19, 1);
        if (ssn != null) {
            try {
                Cnic parsed = Cnic.parse(ssn);
                if (cnic == null) {
                    cnic = parsed;
                    p.addIdentifier(parsed.toIdentifier());
                } else if (!cnic.canonical().equals(parsed.canonical())) {
                    ctx.warning(pid.at(19), "CNIC differs from the one in PID-3; left out");
                }
            } catch (NormalizationException e) {
                cnicErrors.add(pid.at(19) + ": CNIC " + ssn + " is invalid: " + e.getReason());
                ctx.warning(pid.at(19), "PID-19 is not a valid CNIC and is left out: " + e.getReason());
            }
        }
        if (mrns.isEmpty() && cnic == null && others.isEmpty() && !cnicErrors.isEmpty()) {
            // The only identifier the message has is a broken CNIC: storing the patient would create
            // an unreachable record, so the sender must correct it.
            String first = cnicErrors.get(0);
            int colon = first.indexOf(": ");
            throw new MappingException(first.substring(0, colon), first.substring(colon + 2));
        }
        return cnic;
    }

    private void names(SegmentRef pid, Patient p) {
        List<Type> reps = V2.reps(pid.segment(), 5);
        for (Type xpn : reps) {
            HumanName name = ctx.types.name(xpn);
            if (name != null) {
                p.addName(name);
            }
        }
        if (!p.hasName()) {
            ctx.missing(pid.at(5), "patient has no name");
        }
    }

    private void gender(SegmentRef pid, Patient p, Cnic cnic) {
        String sex = pid.field(8);
        if (sex == null) {
            return;
        }
        try {
            AdministrativeGender gender = GenderNormalizer.parse(sex);
            p.setGender(gender);
            if (cnic != null) {
                cnic.sexMismatch(gender).ifPresent(w -> ctx.warning(pid.at(8), w));
            }
        } catch (NormalizationException e) {
            ctx.warning(pid.at(8), "sex '" + sex + "' left out: " + e.getReason());
        }
    }

    private void birthDate(SegmentRef pid, Patient p) {
        String raw = pid.field(7);
        if (raw == null) {
            return;
        }
        String date = raw.length() > 8 && raw.chars().limit(8).allMatch(Character::isDigit) ? raw.substring(0, 8) : raw;
        try {
            p.setBirthDateElement(DateNormalizer.toBirthDateType(date, ctx.clock));
        } catch (NormalizationException e) {
            if (raw.chars().anyMatch(Character::isLetter)) {
                // Not a date in any form we read ("Aug 15, 1942"): the record is correct without it.
                ctx.warning(pid.at(7), "birth date " + raw + " is not in an HL7 date format and is left out");
                return;
            }
            // A date we read that cannot be (30 February, in the future): the record would be wrong.
            throw new MappingException(pid.at(7), "birth date " + raw + " is not accepted: " + e.getReason());
        }
        if (date.length() < raw.length()) {
            ctx.information(pid.at(7), "time of birth not kept (Patient.birthDate is a date)");
        }
    }

    private void telecoms(SegmentRef ref, int field, List<ContactPoint> into, ContactPoint.ContactPointUse defaultUse) {
        List<Type> reps = V2.reps(ref.segment(), field);
        for (int i = 0; i < reps.size(); i++) {
            ContactPoint cp = ctx.types.telecom(reps.get(i), ref.at(field, i + 1));
            if (cp != null) {
                if (defaultUse != null && !cp.hasUse()) {
                    cp.setUse(defaultUse);
                }
                into.add(cp);
            }
        }
    }

    private void maritalStatus(SegmentRef pid, Patient p) {
        String code = upper(pid.field(16));
        if (code == null) {
            return;
        }
        String[] v3 = switch (code) {
            case "M" -> new String[] {"M", "Married"};
            case "S" -> new String[] {"S", "Never Married"};
            case "D" -> new String[] {"D", "Divorced"};
            case "W" -> new String[] {"W", "Widowed"};
            case "A", "E" -> new String[] {"L", "Legally Separated"};
            case "N" -> new String[] {"A", "Annulled"};
            case "I" -> new String[] {"I", "Interlocutory"};
            case "C", "G", "P", "R" -> new String[] {"T", "Domestic partner"};
            case "B" -> new String[] {"U", "unmarried"};
            default -> null;
        };
        if (v3 == null) {
            ctx.unknownCode(pid.at(16), "marital status '" + code + "' is not in HL7 table 0002; left out");
            return;
        }
        p.setMaritalStatus(new CodeableConcept(
                new Coding("http://terminology.hl7.org/CodeSystem/v3-MaritalStatus", v3[0], v3[1])));
    }

    private void death(SegmentRef pid, Patient p) {
        DateTimeType died = ctx.types.dateTime(pid.field(29), pid.at(29));
        String indicator = upper(pid.field(30));
        if (died != null) {
            p.setDeceased(died);
        } else if ("Y".equals(indicator)) {
            p.setDeceased(new BooleanType(true));
        } else if ("N".equals(indicator)) {
            p.setDeceased(new BooleanType(false));
        }
    }

    /** PD1-3 primary facility and PD1-4 primary care provider to Patient.generalPractitioner. */
    void pd1(SegmentRef pd1) {
        if (patient == null) {
            ctx.warning(pd1.label(), "PD1 without a PID; not mapped");
            return;
        }
        Type facility = V2.first(pd1.segment(), 3);
        if (facility != null && V2.component(facility, 1) != null) {
            patient.addGeneralPractitioner(new Reference().setDisplay(V2.component(facility, 1)));
        }
        for (int i = 0; i < V2.reps(pd1.segment(), 4).size(); i++) {
            Reference gp = ctx.practitioners.reference(V2.reps(pd1.segment(), 4).get(i), pd1.at(4, i + 1));
            if (gp != null) {
                patient.addGeneralPractitioner(gp);
            }
        }
        ctx.reportUnmappedFields(pd1, List.of(3, 4));
    }

    /**
     * NK1 to Patient.contact: .2 name, .3 relationship (table 0063), .4 address, .5/.6 phones,
     * .7 contact role (table 0131), .8/.9 period, .15 sex. Contacts stay inside the Patient (not
     * RelatedPerson): next of kin in our traffic are phone numbers to call, with no identifiers
     * of their own to deduplicate them by, and the Patient's conditional update replaces them
     * together with the rest of the demographics.
     */
    void nk1(SegmentRef nk1) {
        if (patient == null) {
            ctx.warning(nk1.label(), "NK1 without a PID; not mapped");
            return;
        }
        Patient.ContactComponent contact = new Patient.ContactComponent();
        Type xpn = V2.first(nk1.segment(), 2);
        if (xpn != null) {
            contact.setName(ctx.types.name(xpn));
        }
        CodeableConcept relationship = relationship(V2.first(nk1.segment(), 3), V2Tables.RELATIONSHIP);
        if (relationship != null) {
            contact.addRelationship(relationship);
        }
        CodeableConcept role = relationship(V2.first(nk1.segment(), 7), V2Tables.CONTACT_ROLE);
        if (role != null) {
            contact.addRelationship(role);
        }
        Type xad = V2.first(nk1.segment(), 4);
        if (xad != null) {
            contact.setAddress(ctx.types.address(xad, nk1.at(4)));
        }
        telecoms(nk1, 5, contact.getTelecom(), null);
        telecoms(nk1, 6, contact.getTelecom(), ContactPoint.ContactPointUse.WORK);
        DateTimeType start = ctx.types.dateTime(nk1.field(8), nk1.at(8));
        DateTimeType end = ctx.types.dateTime(nk1.field(9), nk1.at(9));
        if (start != null || end != null) {
            contact.setPeriod(new Period().setStartElement(start).setEndElement(end));
        }
        String sex = nk1.field(15);
        if (sex != null) {
            try {
                contact.setGender(GenderNormalizer.parse(sex));
            } catch (NormalizationException e) {
                ctx.warning(nk1.at(15), "sex '" + sex + "' left out: " + e.getReason());
            }
        }
        if (contact.isEmpty()) {
            ctx.warning(nk1.label(), "next of kin has no name, relationship, address or phone; not mapped");
            return;
        }
        patient.addContact(contact);
        ctx.reportUnmappedFields(nk1, List.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 15));
    }

    /** A relationship code: HL7 table codes keep their table's system even when CWE-3 is empty. */
    private CodeableConcept relationship(Type cwe, String tableSystem) {
        CodeableConcept cc = ctx.types.concept(cwe, null);
        if (cc == null) {
            return null;
        }
        String local = NamingSystems.localCodes(ctx.facility);
        for (Coding c : cc.getCoding()) {
            // Without CWE-3 a code is the table's only if the table defines it ("Spouse" is not SPO).
            String code = V2Tables.canonical(c.getCode());
            if (local.equals(c.getSystem()) && V2.component(cwe, 3) == null && V2Tables.defines(tableSystem, code)) {
                c.setSystem(tableSystem).setCode(code);
            }
        }
        return cc;
    }

    private static String upper(String s) {
        return s == null ? null : s.toUpperCase(Locale.ROOT);
    }
}
