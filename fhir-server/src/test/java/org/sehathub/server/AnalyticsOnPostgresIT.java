package org.sehathub.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
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
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.sehathub.mappers.NamingSystems;
import org.sehathub.mappers.mpi.PersonRecord;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;

/**
 * The analysts' indicators on the real server: a generated population (known truth) written
 * through {@code /fhir}, the views brought up to date, and every shown count equal to the count
 * over what was written, for random breakdowns and filters; small counts hidden with their
 * partners; a woman registered at two facilities counted once; CSV; analysts and operators only.
 */
@PostgresServerTest
// A server of its own on a database of its own: the truth is exactly what this test wrote (other
// tests' data would share the suppression tables' lines and change what is hidden).
@TestPropertySource(properties = "sehat.test.database=analytics")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AnalyticsOnPostgresIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ICD10 = "http://hl7.org/fhir/sid/icd-10";

    @LocalServerPort
    int port;

    FhirTestClient operator;
    FhirTestClient analyst;
    String province;
    final List<Person> people = new ArrayList<>();

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

    @BeforeAll
    void population() throws Exception {
        operator = new FhirTestClient(port);
        analyst = new FhirTestClient(port, TestClients.ANALYST);
        // A province of its own per run: the shared test database holds other tests' data.
        province = "Province" + letters(6);
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
            int serial = 1_000_000 + Math.floorMod(id.hashCode(), 8_999_999);
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
        java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
        for (int i = 0; i < n; i++) {
            word.append((char) ('a' + random.nextInt(26)));
        }
        return word.toString();
    }

    private JsonNode ask(FhirTestClient client, String indicator, String query) throws Exception {
        HttpResponse<byte[]> response = client.get("/analytics/indicators/" + indicator + "?" + query);
        assertThat(response.statusCode())
                .as(new String(response.body(), StandardCharsets.UTF_8))
                .isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private String inProvince() {
        return "province=" + URLEncoder.encode(province, StandardCharsets.UTF_8);
    }

    @Test
    void everyShownCountEqualsTheCountOverWhatWasWrittenForRandomBreakdownsAndFilters() throws Exception {
        Random random = new Random(11);
        List<String> dimensions = List.of("district", "sex", "month", "age_band");
        int refused = 0;
        for (int round = 0; round < 16; round++) {
            List<String> by = new ArrayList<>();
            for (String dimension : dimensions) {
                if (random.nextInt(3) == 0) {
                    by.add(dimension);
                }
            }
            String sexFilter = random.nextBoolean() ? "female" : null;
            String query = "code=D50&" + inProvince() + (by.isEmpty() ? "" : "&by=" + String.join(",", by))
                    + (sexFilter == null ? "" : "&sex=" + sexFilter);
            HttpResponse<byte[]> response = analyst.get("/analytics/indicators/people-with-condition?" + query);
            if (response.statusCode() == 400 && by.size() > 1) {
                // A fine breakdown of 160 people can be too sparse to answer safely: refused, as documented.
                assertThat(new String(response.body(), StandardCharsets.UTF_8)).contains("too sparse");
                refused++;
                continue;
            }
            assertThat(response.statusCode()).as(query).isEqualTo(200);
            JsonNode answer = JSON.readTree(response.body());

            Map<List<String>, Set<String>> truth = new HashMap<>();
            for (Person person : people) {
                if (person.anaemiaMonth() == null || sexFilter != null && !sexFilter.equals(person.sex())) {
                    continue;
                }
                List<String> cell = new ArrayList<>();
                for (String column : answerColumns(answer)) {
                    cell.add(coordinate(column, person));
                }
                truth.computeIfAbsent(cell, k -> new HashSet<>()).add(person.id());
            }
            Map<List<String>, Long> counts = new HashMap<>();
            truth.forEach((cell, ids) -> counts.put(cell, (long) ids.size()));
            assertAgrees(answer, counts, query);
        }
        assertThat(refused).as("answers refused as too sparse").isLessThanOrEqualTo(8);
    }

    /**
     * Every shown cell equals the count over what was written and is never small; every cell that
     * is small in truth is listed as hidden.
     */
    private static void assertAgrees(JsonNode answer, Map<List<String>, Long> truth, String query) {
        Map<List<String>, JsonNode> rows = new HashMap<>();
        for (JsonNode row : answer.get("rows")) {
            List<String> cell = new ArrayList<>();
            for (String column : answerColumns(answer)) {
                cell.add(row.get(column).asText());
            }
            rows.put(cell, row);
            if (row.path("suppressed").asBoolean()) {
                assertThat(row.get("value").isNull()).isTrue();
                continue;
            }
            long expected = truth.getOrDefault(cell, 0L);
            assertThat(row.get("value").asLong()).as("%s %s", query, cell).isEqualTo(expected);
            assertThat(expected).as("a shown count is never small").isGreaterThan(10);
        }
        truth.forEach((cell, count) -> {
            if (count >= 1 && count <= 10) {
                assertThat(rows.get(cell))
                        .as("%s: the small cell %s is listed", query, cell)
                        .isNotNull();
                assertThat(rows.get(cell).path("suppressed").asBoolean())
                        .as("%s: the small cell %s is hidden", query, cell)
                        .isTrue();
            }
        });
    }

    @Test
    void everyShownEncounterCountEqualsTheVisitsWritten() throws Exception {
        Random random = new Random(5);
        List<String> dimensions = List.of("district", "sex", "mode");
        for (int round = 0; round < 8; round++) {
            List<String> by = new ArrayList<>();
            for (String dimension : dimensions) {
                if (random.nextBoolean()) {
                    by.add(dimension);
                }
            }
            String query = inProvince() + (by.isEmpty() ? "" : "&by=" + String.join(",", by));
            HttpResponse<byte[]> response = analyst.get("/analytics/indicators/encounters?" + query);
            if (response.statusCode() == 400 && by.size() > 1) {
                assertThat(new String(response.body(), StandardCharsets.UTF_8)).contains("too sparse");
                continue;
            }
            assertThat(response.statusCode()).as(query).isEqualTo(200);
            JsonNode answer = JSON.readTree(response.body());
            Map<List<String>, Long> truth = new HashMap<>();
            for (Person person : people) {
                List<Boolean> visits = new ArrayList<>(person.virtualVisits());
                visits.addAll(java.util.Collections.nCopies(person.antenatalVisits(), false));
                for (boolean virtual : visits) {
                    List<String> cell = new ArrayList<>();
                    for (String column : answerColumns(answer)) {
                        cell.add(
                                column.equals("mode")
                                        ? (virtual ? "virtual" : "in-person")
                                        : coordinate(column, person));
                    }
                    truth.merge(cell, 1L, Long::sum);
                }
            }
            assertAgrees(answer, truth, "encounters?" + query);
        }
    }

    @Test
    void measlesCoverageOfTheBirthCohortEqualsTheDosesWrittenEachChildOnce() throws Exception {
        for (String query : List.of(
                "dose=1", "dose=1&by=district", "dose=2&by=district", "dose=1&by=sex", "dose=2&by=district,sex")) {
            String asked = "antigen=measles&cohort=2024&" + query + "&" + inProvince();
            HttpResponse<byte[]> response = analyst.get("/analytics/indicators/vaccine-coverage?" + asked);
            if (response.statusCode() == 400 && query.contains(",")) {
                assertThat(new String(response.body(), StandardCharsets.UTF_8)).contains("too sparse");
                continue;
            }
            assertThat(response.statusCode()).as(asked).isEqualTo(200);
            JsonNode answer = JSON.readTree(response.body());
            assertThat(answerColumns(answer)).as("every cell split by status").endsWith("status");
            int dose = query.contains("dose=2") ? 2 : 1;
            Map<List<String>, Long> truth = new HashMap<>();
            Map<List<String>, Long> children = new HashMap<>();
            for (Person person : people) {
                if (person.born().getYear() != 2024) {
                    continue;
                }
                List<String> cell = new ArrayList<>();
                for (String column : answerColumns(answer)) {
                    cell.add(
                            column.equals("status")
                                    ? (person.measlesDoses() >= dose ? "vaccinated" : "unvaccinated")
                                    : coordinate(column, person));
                }
                truth.merge(cell, 1L, Long::sum);
                children.merge(cell.subList(0, cell.size() - 1), 1L, Long::sum);
            }
            assertAgrees(answer, truth, asked);
            int shares = 0;
            for (JsonNode row : answer.get("rows")) {
                if (row.has("denominator")) {
                    List<String> cell = new ArrayList<>();
                    for (String column : answerColumns(answer)) {
                        cell.add(row.get(column).asText());
                    }
                    assertThat(cell.get(cell.size() - 1)).isEqualTo("vaccinated");
                    long denominator = children.get(cell.subList(0, cell.size() - 1));
                    assertThat(row.get("denominator").asLong()).as(asked).isEqualTo(denominator);
                    assertThat(row.get("coverage").asDouble())
                            .isCloseTo(
                                    row.get("value").asDouble() / denominator,
                                    org.assertj.core.data.Offset.offset(1e-4));
                    shares++;
                }
            }
            if (!query.contains("by=")) {
                long cohort =
                        people.stream().filter(p -> p.born().getYear() == 2024).count();
                long vaccinated = people.stream()
                        .filter(p -> p.born().getYear() == 2024 && p.measlesDoses() >= dose)
                        .count();
                assertThat(answer.get("total").get("value").asLong())
                        .as("each child once")
                        .isEqualTo(cohort);
                assertThat(answer.get("coverage").get("value").asLong()).isEqualTo(vaccinated);
                assertThat(answer.get("coverage").get("denominator").asLong()).isEqualTo(cohort);
                assertThat(shares).isEqualTo(1);
            }
        }
        HttpResponse<byte[]> csv = analyst.get(
                "/analytics/indicators/vaccine-coverage?antigen=measles&cohort=2024&format=csv&" + inProvince());
        assertThat(new String(csv.body(), StandardCharsets.UTF_8).split("\r\n")[0])
                .isEqualTo("status,value,at_least,suppressed,denominator,coverage");
        for (String bad : List.of(
                "antigen=smallpox&cohort=2024",
                "antigen=measles",
                "antigen=measles&cvx=04&cohort=2024",
                "antigen=measles&cohort=24",
                "antigen=measles&cohort=2024&dose=0")) {
            HttpResponse<byte[]> refused = analyst.get("/analytics/indicators/vaccine-coverage?" + bad);
            assertThat(refused.statusCode()).as(bad).isEqualTo(400);
        }
    }

    @Test
    void antenatalVisitsEqualTheVisitsWritten() throws Exception {
        for (String by : List.of("", "&by=district", "&by=month")) {
            JsonNode answer = ask(analyst, "antenatal-visits", inProvince() + by);
            Map<List<String>, Long> truth = new HashMap<>();
            for (Person person : people) {
                for (int v = 0; v < person.antenatalVisits(); v++) {
                    List<String> cell = new ArrayList<>();
                    for (String column : answerColumns(answer)) {
                        cell.add(column.equals("month") ? "2026-0" + (1 + v) : coordinate(column, person));
                    }
                    truth.merge(cell, 1L, Long::sum);
                }
            }
            assertAgrees(answer, truth, "antenatal-visits" + by);
            if (by.isEmpty()) {
                assertThat(answer.get("total").get("value").asLong())
                        .isEqualTo(people.stream()
                                .mapToInt(Person::antenatalVisits)
                                .sum());
            }
        }
    }

    private static List<String> answerColumns(JsonNode answer) {
        List<String> columns = new ArrayList<>();
        answer.get("breakdown").forEach(c -> columns.add(c.asText()));
        return columns;
    }

    private String coordinate(String column, Person person) {
        return switch (column) {
            case "province" -> province;
            case "district" -> person.district();
            case "sex" -> person.sex();
            case "month" -> person.anaemiaMonth();
            case "age_band" -> {
                int age = java.time.Period.between(person.born(), LocalDate.parse(person.anaemiaMonth() + "-15"))
                        .getYears();
                yield age >= 85 ? "85+" : (age / 5 * 5) + "-" + (age / 5 * 5 + 4);
            }
            default -> throw new IllegalArgumentException(column);
        };
    }

    @Test
    void aWomanRegisteredAtTwoFacilitiesIsOnePersonAndTheVirtualShareIsThere() throws Exception {
        long women = people.stream()
                .filter(p -> p.anaemiaMonth() != null && p.sex().equals("female"))
                .count();
        JsonNode answer = ask(analyst, "people-with-condition", "code=D50-D53&sex=female&" + inProvince());
        assertThat(answer.get("total").get("value").asLong())
                .as("people, not records (12 have two)")
                .isEqualTo(women);

        JsonNode visits = ask(analyst, "encounters", inProvince() + "&by=mode");
        Map<String, Long> byMode = new HashMap<>();
        visits.get("rows")
                .forEach(r -> byMode.put(r.get("mode").asText(), r.get("value").asLong()));
        long virtual = people.stream()
                .flatMap(p -> p.virtualVisits().stream())
                .filter(v -> v)
                .count();
        long inPerson = people.stream()
                        .flatMap(p -> p.virtualVisits().stream())
                        .filter(v -> !v)
                        .count()
                + people.stream().mapToInt(Person::antenatalVisits).sum();
        assertThat(byMode).containsEntry("virtual", virtual).containsEntry("in-person", inPerson);
    }

    @Test
    void csvForSpreadsheetsAndClearErrors() throws Exception {
        HttpResponse<byte[]> csv = analyst.get(
                "/analytics/indicators/people-with-condition?code=D50&format=csv&by=district&" + inProvince());
        assertThat(csv.statusCode()).isEqualTo(200);
        String[] lines = new String(csv.body(), StandardCharsets.UTF_8).split("\r\n");
        assertThat(lines[0]).isEqualTo("province,district,value,at_least,suppressed");
        assertThat(lines).anyMatch(l -> l.contains(",Tharparkar,"));

        HttpResponse<byte[]> report = analyst.get("/analytics/indicators/people-with-condition?code=D50"
                + "&format=measurereport&by=district&" + inProvince());
        assertThat(report.statusCode()).isEqualTo(200);
        org.hl7.fhir.r4.model.MeasureReport measureReport = FhirTestClient.FHIR
                .newJsonParser()
                .parseResource(
                        org.hl7.fhir.r4.model.MeasureReport.class, new String(report.body(), StandardCharsets.UTF_8));
        JsonNode same = ask(analyst, "people-with-condition", "code=D50&by=district&" + inProvince());
        assertThat(measureReport.getGroupFirstRep().getPopulationFirstRep().getCount())
                .isEqualTo(same.get("total").get("value").asInt());
        var strata = measureReport.getGroupFirstRep().getStratifierFirstRep().getStratum();
        assertThat(strata).hasSize(same.get("rows").size());
        for (int i = 0; i < strata.size(); i++) {
            JsonNode row = same.get("rows").get(i);
            var population = strata.get(i).getPopulationFirstRep();
            if (row.path("suppressed").asBoolean()) {
                assertThat(population.hasCount()).isFalse();
                assertThat(population.getExtensionString("http://hl7.org/fhir/StructureDefinition/data-absent-reason"))
                        .isEqualTo("masked");
            } else {
                assertThat(population.getCount()).isEqualTo(row.get("value").asInt());
            }
            assertThat(strata.get(i).getComponent().get(1).getValue().getText())
                    .isEqualTo(row.get("district").asText());
        }

        HttpResponse<byte[]> unknown = analyst.get("/analytics/indicators/people-with-condition?code=D50&by=colour");
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(unknown.body()).get("detail").asText()).contains("colour");
        assertThat(analyst.get("/analytics/indicators/people-with-condition").statusCode())
                .as("code is required")
                .isEqualTo(400);
        assertThat(analyst.get("/analytics/indicators/nothing").statusCode()).isEqualTo(404);

        // Each question audited, with the query as asked (written by the audit queue shortly after).
        String asked = java.util.Base64.getEncoder()
                .encodeToString("people-with-condition?code=D50&by=colour".getBytes(StandardCharsets.UTF_8));
        org.awaitility.Awaitility.await()
                .atMost(java.time.Duration.ofSeconds(20))
                .untilAsserted(() -> assertThat(new String(
                                operator.get("/fhir/AuditEvent?subtype=analytics-query&_count=500")
                                        .body(),
                                StandardCharsets.UTF_8))
                        .contains(asked));

        JsonNode catalogue = JSON.readTree(analyst.get("/analytics/indicators").body());
        assertThat(catalogue.findValuesAsText("id")).contains("people-with-condition", "encounters", "vaccine-doses");
    }

    @Test
    void onlyAnalystsAndOperatorsAsk() {
        String path = "/analytics/indicators/encounters?" + inProvince();
        assertThat(new FhirTestClient(port, TestClients.HOSPITAL).get(path).statusCode())
                .isEqualTo(403);
        assertThat(new FhirTestClient(port, TestClients.APP).get(path).statusCode())
                .isEqualTo(403);
        assertThat(new FhirTestClient(port, null, null).get(path).statusCode()).isEqualTo(401);
        assertThat(operator.get(path).statusCode()).isEqualTo(200);
        assertThat(analyst.send(
                                HttpRequest.newBuilder().POST(HttpRequest.BodyPublishers.noBody()),
                                "/admin/analytics/refresh")
                        .statusCode())
                .as("refreshing is the operators'")
                .isEqualTo(403);
    }
}
