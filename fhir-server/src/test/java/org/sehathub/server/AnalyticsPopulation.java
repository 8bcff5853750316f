package org.sehathub.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Enumerations.AdministrativeGender;
import org.hl7.fhir.r4.model.Immunization;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.PositiveIntType;
import org.hl7.fhir.r4.model.Reference;
import org.sehathub.mappers.NamingSystems;
import org.sehathub.mappers.mpi.PersonRecord;

/**
 * A generated population whose truth is known, written once per test server through {@code /fhir}
 * and the analytics views brought up to date: 160 adults of one province (Sindh) in three districts,
 * some with anaemia (D50) in the first months of 2026, consultations in person and virtual,
 * antenatal visits; 110 children born in 2023 and 2024 with 0 to 2 measles doses; 240 young women
 * of Tharparkar with anaemia. Twelve women and
 * six children have a second facility's record too (same CNIC or B-form): one person each. Shared
 * by the analytics tests of one server ({@code AnalyticsOnPostgresIT}, {@code DashboardInBrowserIT}),
 * on a database of their own (other tests' data would share the suppression tables' lines and
 * change what is hidden).
 */
final class AnalyticsPopulation {

    static final String PROVINCE = "Sindh";
    private static final String ICD10 = "http://hl7.org/fhir/sid/icd-10";
    private static final Map<Integer, AnalyticsPopulation> WRITTEN = new ConcurrentHashMap<>();

    private final FhirTestClient operator;
    private final String province = PROVINCE;
    private final List<Person> people = new ArrayList<>();
    /**
     * Identity numbers are handed out in turn from a random start: drawn at random, two of the ~510
     * would share one about once in 70 runs, and the linker would rightly make them one person.
     */
    private int nextSerial = 1_000_000 + ThreadLocalRandom.current().nextInt(8_000_000);

    /** The population of the server on this port, written the first time it is asked for. */
    static AnalyticsPopulation on(int port) {
        return WRITTEN.computeIfAbsent(port, AnalyticsPopulation::new);
    }

    String province() {
        return province;
    }

    List<Person> people() {
        return List.copyOf(people);
    }

    /**
     * One generated person: what the indicators read of her, whether she had anaemia (D50) and when,
     * her consultations (virtual or not), her antenatal visits (in person) and measles doses.
     */
    record Person(
            String id,
            String sex,
            String district,
            LocalDate born,
            String anaemiaMonth,
            List<Boolean> virtualVisits,
            int antenatalVisits,
            int measlesDoses) {}

    private AnalyticsPopulation(int port) {
        operator = new FhirTestClient(port);
        Random random = new Random(7);
        String[] districts = {"Tharparkar", "Umerkot", "Sanghar"};
        for (int i = 0; i < 160; i++) {
            String sex = random.nextInt(10) < 6 ? "female" : "male";
            // Tharparkar holds most, so that some cells pass the threshold and others do not.
            String district = districts[random.nextInt(10) < 7 ? 0 : 1 + random.nextInt(2)];
            LocalDate born = LocalDate.of(1950 + random.nextInt(70), 1 + random.nextInt(12), 1 + random.nextInt(28));
            String month = random.nextInt(10) < 6 ? "2026-0" + (1 + random.nextInt(3)) : null;
            List<Boolean> visits = new ArrayList<>();
            for (int v = random.nextInt(3); v > 0; v--) {
                visits.add(random.nextInt(10) < 3);
            }
            int age = 2026 - born.getYear();
            int antenatal = sex.equals("female") && age >= 18 && age <= 45 ? random.nextInt(4) : 0;
            people.add(write(
                    new Person(null, sex, district, born, month, visits, antenatal, 0), "Mayo Hospital Lahore", null));
        }
        // Children of the 2024 birth cohort (and some of 2023's, who are not in it), with 0 to 2 measles
        // doses; six whose only dose was given at a second facility, on a record of their own (same B-form).
        int movedOn = 0;
        for (int i = 0; i < 110; i++) {
            String sex = random.nextBoolean() ? "female" : "male";
            String district = districts[random.nextInt(10) < 7 ? 0 : 1 + random.nextInt(2)];
            LocalDate born = LocalDate.of(i < 95 ? 2024 : 2023, 1 + random.nextInt(12), 1 + random.nextInt(28));
            int draw = random.nextInt(10);
            int doses = draw < 2 ? 0 : draw < 6 ? 1 : 2;
            if (doses == 1 && movedOn < 6) {
                movedOn++;
                Person child = write(
                        new Person(null, sex, district, born, null, List.of(), 0, 0), "Mayo Hospital Lahore", null);
                write(
                        new Person(child.id(), sex, district, born, null, List.of(), 0, 1),
                        "Civil Hospital Mithi",
                        child);
                people.add(new Person(child.id(), sex, district, born, null, List.of(), 0, 1));
            } else {
                people.add(write(
                        new Person(null, sex, district, born, null, List.of(), 0, doses),
                        "Mayo Hospital Lahore",
                        null));
            }
        }
        // Twelve women registered at a second facility too (same CNIC): each one person.
        for (int i = 0; i < 12; i++) {
            Person first = people.stream()
                    .filter(p -> p.sex().equals("female") && p.anaemiaMonth() != null)
                    .toList()
                    .get(i);
            write(
                    new Person(
                            first.id(),
                            first.sex(),
                            first.district(),
                            first.born(),
                            first.anaemiaMonth(),
                            List.of(),
                            0,
                            0),
                    "Civil Hospital Mithi",
                    first);
        }
        // Anaemia is common among young women: 240 more in Tharparkar aged 15 to 34, seen at Mithi, so
        // that a month by age band has cells above the threshold as well as hidden ones.
        for (int i = 0; i < 240; i++) {
            String month = "2026-0" + (1 + random.nextInt(3));
            LocalDate born = LocalDate.parse(month + "-15")
                    .minusYears(15 + random.nextInt(20))
                    .minusDays(1 + random.nextInt(300));
            people.add(write(
                    new Person(null, "female", "Tharparkar", born, month, List.of(), 0, 0),
                    "Civil Hospital Mithi",
                    null));
        }
        HttpResponse<byte[]> refreshed = operator.send(
                HttpRequest.newBuilder().POST(HttpRequest.BodyPublishers.noBody()), "/admin/analytics/refresh");
        assertThat(refreshed.statusCode()).isEqualTo(200);
    }

    /**
     * Writes one person's record (with her CNIC, or a child's B-form, so that her records link) and
     * her events in one transaction; returns her as stored (the id of the record).
     */
    private Person write(Person person, String facility, Person sameAs) {
        String sex = person.sex();
        boolean child = person.born().getYear() >= 2020;
        Patient patient = new Patient()
                .setGender(AdministrativeGender.fromCode(sex))
                .setBirthDateElement(new DateType(person.born().toString()));
        String id = UUID.randomUUID().toString();
        if (sameAs != null) {
            // The same woman at another facility: her name and CNIC as the first one recorded them.
            Patient first = operator.fhir()
                    .read()
                    .resource(Patient.class)
                    .withId(sameAs.id())
                    .execute();
            patient.setName(first.getName()).setIdentifier(first.getIdentifier());
        } else {
            patient.addName().setFamily("Zarqa" + letters(6)).addGiven(child ? "Gul" + letters(4) : "Noor");
            int serial = nextSerial++;
            patient.addIdentifier()
                    .setSystem(child ? PersonRecord.B_FORM : NamingSystems.CNIC)
                    .setValue("35202-" + serial + "-" + (1 + serial % 9));
        }
        patient.addAddress().setState(province).setDistrict(person.district());
        Bundle bundle = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        bundle.addEntry()
                .setFullUrl("urn:uuid:" + id)
                .setResource(TestPatients.atFacility(patient, facility))
                .getRequest()
                .setMethod(Bundle.HTTPVerb.POST)
                .setUrl("Patient");
        String anaemiaMonth = person.anaemiaMonth();
        if (anaemiaMonth != null) {
            Condition anaemia = new Condition()
                    .setSubject(new Reference("urn:uuid:" + id))
                    .setCode(new CodeableConcept(new Coding(ICD10, "D50.9", "Iron deficiency anaemia")))
                    .setOnset(new DateTimeType(anaemiaMonth + "-15"));
            bundle.addEntry()
                    .setResource(TestPatients.atFacility(anaemia, facility))
                    .getRequest()
                    .setMethod(Bundle.HTTPVerb.POST)
                    .setUrl("Condition");
        }
        for (boolean virtual : person.virtualVisits()) {
            Encounter visit = new Encounter()
                    .setStatus(Encounter.EncounterStatus.FINISHED)
                    .setClass_(new Coding(
                            "http://terminology.hl7.org/CodeSystem/v3-ActCode", virtual ? "VR" : "AMB", null))
                    .setSubject(new Reference("urn:uuid:" + id))
                    .setPeriod(new Period().setStartElement(new DateTimeType("2026-02-10T09:00:00+05:00")));
            bundle.addEntry()
                    .setResource(TestPatients.atFacility(visit, facility))
                    .getRequest()
                    .setMethod(Bundle.HTTPVerb.POST)
                    .setUrl("Encounter");
        }
        for (int v = 0; v < person.antenatalVisits(); v++) {
            Encounter visit = new Encounter()
                    .setStatus(Encounter.EncounterStatus.FINISHED)
                    .setClass_(new Coding("http://terminology.hl7.org/CodeSystem/v3-ActCode", "AMB", null))
                    .addType(new CodeableConcept(new Coding("http://snomed.info/sct", "424619006", "Prenatal visit")))
                    .setSubject(new Reference("urn:uuid:" + id))
                    .setPeriod(
                            new Period().setStartElement(new DateTimeType("2026-0" + (1 + v) + "-05T10:00:00+05:00")));
            bundle.addEntry()
                    .setResource(TestPatients.atFacility(visit, facility))
                    .getRequest()
                    .setMethod(Bundle.HTTPVerb.POST)
                    .setUrl("Encounter");
        }
        for (int dose = 1; dose <= person.measlesDoses(); dose++) {
            Immunization given = new Immunization()
                    .setStatus(Immunization.ImmunizationStatus.COMPLETED)
                    .setVaccineCode(new CodeableConcept(new Coding("http://hl7.org/fhir/sid/cvx", "04", "MR")))
                    .setPatient(new Reference("urn:uuid:" + id))
                    .setOccurrence(new DateTimeType(
                            person.born().plusMonths(dose == 1 ? 9 : 15).toString()));
            if (dose == 2) {
                // Dose 1 without a number (counted by its day), dose 2 numbered.
                given.addProtocolApplied().setDoseNumber(new PositiveIntType(2));
            }
            bundle.addEntry()
                    .setResource(TestPatients.atFacility(given, facility))
                    .getRequest()
                    .setMethod(Bundle.HTTPVerb.POST)
                    .setUrl("Immunization");
        }
        Bundle response = operator.fhir().transaction().withBundle(bundle).execute();
        String stored = response.getEntryFirstRep().getResponse().getLocation().split("/")[1];
        return new Person(
                stored,
                sex,
                person.district(),
                person.born(),
                anaemiaMonth,
                person.virtualVisits(),
                person.antenatalVisits(),
                person.measlesDoses());
    }

    /** Random lower-case letters: names no other test's data holds. */
    private static String letters(int n) {
        StringBuilder word = new StringBuilder();
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int i = 0; i < n; i++) {
            word.append((char) ('a' + random.nextInt(26)));
        }
        return word.toString();
    }
}
