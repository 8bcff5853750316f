package org.sehathub.server;

import java.util.concurrent.ThreadLocalRandom;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.ContactPoint;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.Enumerations.AdministrativeGender;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Resource;
import org.sehathub.mappers.NamingSystems;

/** Patients as facilities send them, for the patient-linking tests. */
final class TestPatients {

    private TestPatients() {}

    /**
     * {@code name} with {@code letters} random lowercase letters appended: a name rare enough per
     * run that earlier runs on the same database do not interfere.
     */
    static String rare(String name, int letters) {
        StringBuilder rare = new StringBuilder(name);
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int i = 0; i < letters; i++) {
            rare.append((char) ('a' + random.nextInt(26)));
        }
        return rare.toString();
    }

    /**
     * A woman's record at a facility; {@code urdu}, {@code born}, {@code cnic} and {@code phone} may
     * be null.
     */
    static Patient woman(String latin, String urdu, String born, String cnic, String phone, String facility) {
        Patient patient = new Patient().setGender(AdministrativeGender.FEMALE);
        if (born != null) {
            patient.setBirthDateElement(new DateType(born));
        }
        if (latin != null) {
            patient.addName().setText(latin);
        }
        if (urdu != null) {
            patient.addName()
                    .setText(urdu)
                    .addExtension(
                            new Extension("http://hl7.org/fhir/StructureDefinition/language", new CodeType("ur")));
        }
        if (cnic != null) {
            patient.addIdentifier().setSystem(NamingSystems.CNIC).setValue(cnic);
        }
        if (phone != null) {
            patient.addTelecom()
                    .setSystem(ContactPoint.ContactPointSystem.PHONE)
                    .setValue(phone);
        }
        return atFacility(patient, facility);
    }

    /** Tags a resource with the facility it belongs to, as ingest does. */
    static <T extends Resource> T atFacility(T resource, String facility) {
        resource.getMeta()
                .addTag(NamingSystems.FACILITY_TAG, facility.toLowerCase().replace(' ', '-'), facility);
        return resource;
    }
}
