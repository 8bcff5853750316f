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
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Enumerations;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.sehathub.server.AnalyticsPopulation.Person;
import org.sehathub.server.config.SehatProperties;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
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

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    SehatProperties sehat;

    FhirTestClient operator;
    FhirTestClient analyst;
    String province;
    List<Person> people;

    @BeforeAll
    void population() {
        operator = new FhirTestClient(port);
        analyst = new FhirTestClient(port, TestClients.ANALYST);
        AnalyticsPopulation population = AnalyticsPopulation.on(port);
        province = population.province();
        people = population.people();
    }

    private JsonNode ask(FhirTestClient client, String indicator, String query) throws Exception {
        HttpResponse<byte[]> response = client.get("/analytics/indicators/" + indicator + "?" + query);
        assertThat(response.statusCode())
                .as(new String(response.body(), StandardCharsets.UTF_8))
                .isEqualTo(200);
        return JSON.readTree(response.body());
    }

    /** Brings what was written into the analytical store now, rather than at the next refresh. */
    private void refreshAnalytics() throws Exception {
        assertThat(operator.send(
                                HttpRequest.newBuilder().POST(HttpRequest.BodyPublishers.noBody()),
                                "/admin/analytics/refresh")
                        .statusCode())
                .isEqualTo(200);
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
            int shares = assertRatios(answer, children, "vaccinated", "coverage", asked);
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
    void measlesDropOutFromTheFirstToTheSecondDoseEqualsTheDosesWrittenEachChildOnce() throws Exception {
        List<Person> started = people.stream()
                .filter(p -> p.born().getYear() == 2024 && p.measlesDoses() >= 1)
                .toList();
        long droppedOut = started.stream().filter(p -> p.measlesDoses() < 2).count();
        for (String by : List.of("", "&by=district", "&by=sex")) {
            String asked = "from=measles:1&to=measles:2&cohort=2024&" + inProvince() + by;
            HttpResponse<byte[]> response = analyst.get("/analytics/indicators/vaccine-drop-out?" + asked);
            assertThat(response.statusCode()).as(asked).isEqualTo(200);
            JsonNode answer = JSON.readTree(response.body());
            assertThat(answerColumns(answer)).as("every cell split by status").endsWith("status");
            Map<List<String>, Long> truth = new HashMap<>();
            Map<List<String>, Long> children = new HashMap<>();
            for (Person person : started) {
                List<String> cell = new ArrayList<>();
                for (String column : answerColumns(answer)) {
                    cell.add(
                            column.equals("status")
                                    ? (person.measlesDoses() >= 2 ? "completed" : "dropped-out")
                                    : coordinate(column, person));
                }
                truth.merge(cell, 1L, Long::sum);
                children.merge(cell.subList(0, cell.size() - 1), 1L, Long::sum);
            }
            assertAgrees(answer, truth, asked);
            assertRatios(answer, children, "dropped-out", "dropOutRate", asked);
            if (by.isEmpty()) {
                assertThat(answer.get("total").get("value").asLong())
                        .as("the children who started, each once")
                        .isEqualTo(started.size());
                assertThat(answer.get("dropOutRate").get("value").asLong()).isEqualTo(droppedOut);
                assertThat(answer.get("dropOutRate").get("denominator").asLong())
                        .isEqualTo(started.size());
            }
        }
        for (String bad : List.of(
                "from=measles:1&to=measles:2",
                "from=measles:2&to=measles:1&cohort=2024",
                "from=measles&to=measles:2&cohort=2024",
                "from=smallpox:1&to=measles:2&cohort=2024",
                "from=measles:0&to=measles:2&cohort=2024")) {
            HttpResponse<byte[]> refused = analyst.get("/analytics/indicators/vaccine-drop-out?" + bad);
            assertThat(refused.statusCode()).as(bad).isEqualTo(400);
        }
    }

    /** The population's first measles dose is given at 9 months, the second at 15. */
    @Test
    void timelyCoverageCountsOnlyTheDosesGivenBeforeTheAgeAsked() throws Exception {
        long cohort = people.stream().filter(p -> p.born().getYear() == 2024).count();
        Map<String, Long> vaccinated = Map.of(
                "dose=1&within-months=10",
                people.stream()
                        .filter(p -> p.born().getYear() == 2024 && p.measlesDoses() >= 1)
                        .count(),
                "dose=1&within-months=8",
                0L,
                "dose=2&within-months=12",
                0L,
                "dose=2&within-months=16",
                people.stream()
                        .filter(p -> p.born().getYear() == 2024 && p.measlesDoses() >= 2)
                        .count());
        for (Map.Entry<String, Long> expected : vaccinated.entrySet()) {
            JsonNode answer = ask(
                    analyst,
                    "vaccine-coverage",
                    "antigen=measles&cohort=2024&" + expected.getKey() + "&" + inProvince());
            assertThat(answer.get("total").get("value").asLong())
                    .as(expected.getKey())
                    .isEqualTo(cohort);
            assertThat(answer.get("coverage").get("value").asLong())
                    .as(expected.getKey())
                    .isEqualTo(expected.getValue());
        }
        assertThat(analyst.get("/analytics/indicators/vaccine-coverage?antigen=measles&cohort=2024&within-months=0&"
                                + inProvince())
                        .statusCode())
                .isEqualTo(400);
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

    /**
     * Every cell of a proportion that carries its denominator is the numerator's ({@code numerator}
     * status), with the true denominator (the cell without its status) and the ratio named {@code
     * label}; returns how many there were.
     */
    private static int assertRatios(
            JsonNode answer, Map<List<String>, Long> denominators, String numerator, String label, String asked) {
        int ratios = 0;
        for (JsonNode row : answer.get("rows")) {
            if (row.has("denominator")) {
                List<String> cell = new ArrayList<>();
                for (String column : answerColumns(answer)) {
                    cell.add(row.get(column).asText());
                }
                assertThat(cell.get(cell.size() - 1)).isEqualTo(numerator);
                long denominator = denominators.get(cell.subList(0, cell.size() - 1));
                assertThat(row.get("denominator").asLong()).as(asked).isEqualTo(denominator);
                assertThat(row.get(label).asDouble())
                        .isCloseTo(
                                row.get("value").asDouble() / denominator, org.assertj.core.data.Offset.offset(1e-4));
                ratios++;
            }
        }
        return ratios;
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

        // The catalogue as FHIR Measures, each at the url its MeasureReports name.
        HttpResponse<byte[]> measures = analyst.get("/analytics/measures");
        assertThat(measures.statusCode()).isEqualTo(200);
        org.hl7.fhir.r4.model.Bundle published = FhirTestClient.FHIR
                .newJsonParser()
                .parseResource(org.hl7.fhir.r4.model.Bundle.class, new String(measures.body(), StandardCharsets.UTF_8));
        assertThat(published.getEntry())
                .extracting(e -> e.getResource().fhirType())
                .containsOnly("Measure", "CodeSystem")
                .filteredOn("Measure"::equals)
                .hasSize(catalogue.size());
        assertThat(published.getEntry()).extracting(e -> e.getFullUrl()).contains(measureReport.getMeasure());
        assertThat(analyst.get("/analytics/measures/nothing").statusCode()).isEqualTo(404);
    }

    @Test
    void theStoreReadsFhirDatesInlineAndIndexesWhatIndicatorsSelectBy() {
        assertThat(jdbc.queryForList(
                        "SELECT sehat_analytics.fhir_date(v)::text FROM (VALUES ('2026'), ('2026-03'), ('2026-03-14'),"
                                + " ('2026-03-14T23:30:00+05:00'), (NULL)) t(v)",
                        String.class))
                .containsExactly("2026-01-01", "2026-03-01", "2026-03-14", "2026-03-14", null);
        // Inlined into the query (its body immutable), not called once per row.
        String plan = String.join(
                "\n",
                jdbc.queryForList(
                        "EXPLAIN (VERBOSE) SELECT sehat_analytics.fhir_date(effective) FROM sehat_analytics.observation",
                        String.class));
        assertThat(plan).contains("make_date").doesNotContain("fhir_date");

        Map<String, String> indexes = new HashMap<>();
        jdbc.query("SELECT tablename, indexdef FROM pg_indexes WHERE schemaname = 'sehat_analytics'", rs -> {
            indexes.merge(rs.getString(1), rs.getString(2), (a, b) -> a + "\n" + b);
        });
        assertThat(indexes.get("observation")).contains("(loinc)").contains("(sehat_key)");
        assertThat(indexes.get("observation").split("\n")).as("each index once").hasSize(2);
        assertThat(indexes.get("condition")).contains("substr(icd10, 1, 3)");
        assertThat(indexes.get("immunization")).contains("(cvx)");
    }

    @Test
    void keepingTheViewsUpToDateIsMetered() {
        Map<String, Double> before = meters();
        assertThat(before.get("sehat_analytics_refresh_resources_total"))
                .as("the population's resources were brought in")
                .isGreaterThanOrEqualTo(people.size());
        assertThat(before.get("sehat_analytics_refresh_seconds_count")).isGreaterThanOrEqualTo(1);
        assertThat(before.get("sehat_analytics_refresh_cpu_seconds_total")).isPositive();

        HttpResponse<byte[]> refreshed = operator.send(
                HttpRequest.newBuilder().POST(HttpRequest.BodyPublishers.noBody()), "/admin/analytics/refresh");
        assertThat(new String(refreshed.body(), StandardCharsets.UTF_8)).isEqualTo("{\"resources\":0}");
        Map<String, Double> after = meters();
        assertThat(after.get("sehat_analytics_refresh_resources_total"))
                .isEqualTo(before.get("sehat_analytics_refresh_resources_total"));
        assertThat(after.get("sehat_analytics_refresh_seconds_count"))
                .as("a refresh that brought nothing in is not timed")
                .isEqualTo(before.get("sehat_analytics_refresh_seconds_count"));
        assertThat(after.get("sehat_analytics_refresh_cpu_seconds_total"))
                .isGreaterThanOrEqualTo(before.get("sehat_analytics_refresh_cpu_seconds_total"));
    }

    /** The server's {@code sehat_analytics_refresh*} series, read as an operator. */
    private Map<String, Double> meters() {
        HttpResponse<byte[]> response = operator.get("/actuator/prometheus");
        assertThat(response.statusCode()).isEqualTo(200);
        Map<String, Double> values = new HashMap<>();
        for (String line : new String(response.body(), StandardCharsets.UTF_8).split("\n")) {
            if (line.startsWith("sehat_analytics_refresh")) {
                int nameEnd = line.indexOf('{') >= 0 ? line.indexOf('{') : line.indexOf(' ');
                values.merge(
                        line.substring(0, nameEnd),
                        Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)),
                        Double::sum);
            }
        }
        return values;
    }

    @Test
    void eventsBeforeTheYearsShownAreCountedTogetherAndCannotBeAskedForOneByOne() throws Exception {
        // A woman of a province of her own, with a visit in each of twelve old years (2003-2014:
        // each year's count of 1 would be a small cell of its own) and twelve on 10 March 2025 (a
        // count above the threshold in every time dimension).
        String old = "Earlierland"; // a name the normalizer keeps as written
        Patient patient = new Patient()
                .setGender(Enumerations.AdministrativeGender.FEMALE)
                .setBirthDateElement(new DateType("1970-05-02"));
        patient.addName().setFamily("Qureshi").addGiven("Rukhsana");
        patient.addAddress().setState(old).setDistrict("Chagai");
        Bundle bundle = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        bundle.addEntry()
                .setFullUrl("urn:uuid:earlier-patient")
                .setResource(TestPatients.atFacility(patient, "Chagai Clinic"))
                .getRequest()
                .setMethod(Bundle.HTTPVerb.POST)
                .setUrl("Patient");
        for (int i = 0; i < 24; i++) {
            String start =
                    i < 12 ? (2003 + i) + "-06-01T09:00:00+05:00" : String.format("2025-03-10T%02d:00:00+05:00", i - 4);
            bundle.addEntry()
                    .setResource(TestPatients.atFacility(
                            new Encounter()
                                    .setStatus(Encounter.EncounterStatus.FINISHED)
                                    .setClass_(
                                            new Coding("http://terminology.hl7.org/CodeSystem/v3-ActCode", "AMB", null))
                                    .setSubject(new Reference("urn:uuid:earlier-patient"))
                                    .setPeriod(new Period().setStartElement(new DateTimeType(start))),
                            "Chagai Clinic"))
                    .getRequest()
                    .setMethod(Bundle.HTTPVerb.POST)
                    .setUrl("Encounter");
        }
        operator.fhir().transaction().withBundle(bundle).execute();
        refreshAnalytics();
        String inOld = "province=" + URLEncoder.encode(old, StandardCharsets.UTF_8);
        // Ten years shown one by one (the default): before that, one value.
        int firstYear = LocalDate.now(java.time.ZoneId.of("Asia/Karachi")).getYear() - 9;
        String earlier = "before-" + firstYear;

        for (String by : List.of("year", "quarter", "month", "week", "day")) {
            Map<String, Long> truth = new HashMap<>();
            truth.put(earlier, 12L);
            truth.put(
                    switch (by) {
                        case "year" -> "2025";
                        case "quarter" -> "2025-Q1";
                        case "month" -> "2025-03";
                        case "week" -> "2025-W11";
                        default -> "2025-03-10";
                    },
                    12L);
            HttpResponse<byte[]> response = analyst.get("/analytics/indicators/encounters?" + inOld + "&by=" + by);
            String body = new String(response.body(), StandardCharsets.UTF_8);
            if (by.equals("day") && response.statusCode() == 400) {
                // The rest of the population's days (every province is in the table, suppressed whole)
                // are single visits, hidden within their months and ISO weeks: refusing is safe.
                assertThat(body).contains("too sparse to answer safely");
                continue;
            }
            assertThat(response.statusCode()).as(body).isEqualTo(200);
            JsonNode answer = JSON.readTree(body);
            Map<String, JsonNode> rows = new HashMap<>();
            answer.get("rows").forEach(row -> rows.put(row.get(by).asText(), row));
            assertThat(rows).as("%s: %s", by, answer).containsKey(earlier);
            rows.forEach((value, row) -> {
                assertThat(value.equals(earlier) || value.compareTo(String.valueOf(firstYear)) >= 0)
                        .as("%s: %s is no value of an earlier year", by, value)
                        .isTrue();
                if (!row.path("suppressed").asBoolean()) {
                    assertThat(row.get("value").asLong())
                            .as("%s %s", by, value)
                            .isEqualTo(truth.getOrDefault(value, 0L));
                }
            });
        }
        // By year, the old years' twelve visits are one count shown, not twelve hidden ones.
        JsonNode byYear = ask(analyst, "encounters", inOld + "&by=year");
        assertThat(byYear.get("rows").toString())
                .contains("{\"year\":\"" + earlier + "\",\"value\":12}")
                .contains("{\"year\":\"2025\",\"value\":12}");
        assertThat(ask(analyst, "encounters", inOld + "&by=month&year=2025")
                        .get("total")
                        .get("value")
                        .asLong())
                .isEqualTo(12);
        assertThat(ask(analyst, "encounters", inOld + "&year=" + earlier)
                        .get("total")
                        .get("value")
                        .asLong())
                .isEqualTo(12);
        for (String filter : List.of("year=2005", "month=2005-06", "quarter=2005-Q2", "day=2005-06-01")) {
            HttpResponse<byte[]> refused = analyst.get("/analytics/indicators/encounters?" + inOld + "&" + filter);
            assertThat(refused.statusCode()).as(filter).isEqualTo(400);
            assertThat(new String(refused.body(), StandardCharsets.UTF_8))
                    .as(filter)
                    .contains("is before " + firstYear)
                    .contains(earlier);
        }
    }

    /**
     * Twenty-two women of a province of their own, each with two pregnancies: the first booked on 10
     * January 2024, with visits on 10 March and on 10 May (twice, at two facilities: one day), and
     * for eleven of them on 6 October (270 days after booking: the same pregnancy), so four days or
     * three; the second booked on 20 October 2024 (284 days after the first booking: a new
     * pregnancy) with one more visit.
     */
    @Test
    void antenatalCareFourVisitsCountsEachPregnancyByItsVisitDays() throws Exception {
        String own = "Ancland"; // a name the normalizer keeps as written
        for (int w = 0; w < 22; w++) {
            // Different women: names and birth dates that patient linking keeps apart.
            String[] given = {
                "Zainab", "Fatima", "Ayesha", "Maryam", "Sana", "Hina", "Rabia", "Saima", "Nadia", "Shazia", "Kiran",
                "Uzma"
            };
            String[] family = {
                "Soomro", "Memon", "Baloch", "Shaikh", "Jatoi", "Chandio", "Abro", "Bhutto", "Mahar", "Kalhoro",
                "Talpur", "Junejo"
            };
            Patient woman = new Patient()
                    .setGender(Enumerations.AdministrativeGender.FEMALE)
                    .setBirthDateElement(new DateType((1978 + w) + "-0" + (1 + w % 9) + "-1" + (w % 10)));
            woman.addName().setFamily(family[(w + w / 12 * 5) % 12]).addGiven(given[w % 12]);
            woman.addAddress().setState(own).setDistrict("Ancdistrict");
            Bundle bundle = new Bundle().setType(Bundle.BundleType.TRANSACTION);
            bundle.addEntry()
                    .setFullUrl("urn:uuid:anc-" + w)
                    .setResource(TestPatients.atFacility(woman, "Ancdistrict Clinic"))
                    .getRequest()
                    .setMethod(Bundle.HTTPVerb.POST)
                    .setUrl("Patient");
            String[][] visits = {
                {"2024-01-10T09:00:00+05:00", "Ancdistrict Clinic"},
                {"2024-03-10T09:00:00+05:00", "Ancdistrict Clinic"},
                {"2024-05-10T09:00:00+05:00", "Ancdistrict Clinic"},
                {"2024-05-10T15:00:00+05:00", "Mayo Hospital Lahore"},
                {"2024-10-06T09:00:00+05:00", "Ancdistrict Clinic"},
                {"2024-10-20T09:00:00+05:00", "Ancdistrict Clinic"},
                {"2025-02-01T09:00:00+05:00", "Ancdistrict Clinic"}
            };
            for (String[] visit : visits) {
                if (w % 2 == 1 && visit[0].startsWith("2024-10-06")) {
                    continue; // three visit days in her first pregnancy: fewer than four
                }
                bundle.addEntry()
                        .setResource(TestPatients.atFacility(
                                new Encounter()
                                        .setStatus(Encounter.EncounterStatus.FINISHED)
                                        .setClass_(new Coding(
                                                "http://terminology.hl7.org/CodeSystem/v3-ActCode", "AMB", null))
                                        .addType(new CodeableConcept(
                                                new Coding("http://snomed.info/sct", "424619006", "Prenatal visit")))
                                        .setSubject(new Reference("urn:uuid:anc-" + w))
                                        .setPeriod(new Period().setStartElement(new DateTimeType(visit[0]))),
                                visit[1]))
                        .getRequest()
                        .setMethod(Bundle.HTTPVerb.POST)
                        .setUrl("Encounter");
            }
            operator.fhir().transaction().withBundle(bundle).execute();
        }
        refreshAnalytics();
        String inOwn = "province=" + own;

        JsonNode byQuarter = ask(analyst, "antenatal-care-four-visits", inOwn + "&by=quarter");
        Map<List<String>, Long> truth = Map.of(
                List.of("2024-Q1", "four-or-more"), 11L,
                List.of("2024-Q1", "fewer"), 11L,
                List.of("2024-Q4", "fewer"), 22L);
        for (JsonNode row : byQuarter.get("rows")) {
            List<String> cell =
                    List.of(row.get("quarter").asText(), row.get("status").asText());
            assertThat(row.path("suppressed").asBoolean()).as("%s", byQuarter).isFalse();
            assertThat(row.get("value").asLong()).as("%s", cell).isEqualTo(truth.getOrDefault(cell, 0L));
        }
        assertThat(byQuarter.get("counts").asText()).isEqualTo("pregnancies");
        Map<String, JsonNode> shown = new HashMap<>();
        byQuarter
                .get("rows")
                .forEach(row -> shown.put(
                        row.get("quarter").asText() + " " + row.get("status").asText(), row));
        assertThat(shown.get("2024-Q1 four-or-more").get("anc4Share").asDouble())
                .as("two visits on one day count as one")
                .isEqualTo(0.5);
        JsonNode share = byQuarter.get("anc4Share");
        assertThat(share.get("value").asLong()).isEqualTo(11);
        assertThat(share.get("denominator").asLong())
                .as("two pregnancies a woman")
                .isEqualTo(44);
        assertThat(share.get("anc4Share").asDouble()).isEqualTo(0.25);

        // Sindh's women (the shared population) had up to three visits, all in early 2026: one
        // pregnancy each, none with four.
        long sindhPregnancies =
                people.stream().filter(p -> p.antenatalVisits() > 0).count();
        JsonNode sindh = ask(analyst, "antenatal-care-four-visits", inProvince());
        Map<String, JsonNode> sindhRows = new HashMap<>();
        sindh.get("rows").forEach(row -> sindhRows.put(row.get("status").asText(), row));
        JsonNode four = sindhRows.get("four-or-more");
        assertThat(four == null || four.get("value").asLong() == 0)
                .as("no Sindh pregnancy had four visits: %s", sindh)
                .isTrue();
        assertThat(sindh.get("total").get("value").asLong()).isEqualTo(sindhPregnancies);

        HttpResponse<byte[]> report =
                analyst.get("/analytics/indicators/antenatal-care-four-visits?" + inOwn + "&format=measurereport");
        assertThat(report.statusCode()).isEqualTo(200);
        assertThat(new String(report.body(), StandardCharsets.UTF_8)).contains("\"measureScore\"");
    }

    @Test
    void theStoreIsExportedAsParquetForOperatorsOnly() throws Exception {
        long encounters = jdbc.queryForObject("SELECT count(*) FROM sehat_analytics.encounter", Long.class);
        long virtual = jdbc.queryForObject("SELECT count(*) FROM sehat_analytics.encounter WHERE virtual", Long.class);
        assertThat(encounters).isPositive();
        HttpResponse<byte[]> list = operator.get("/admin/analytics/views");
        assertThat(list.statusCode()).isEqualTo(200);
        Map<String, JsonNode> views = new HashMap<>();
        JSON.readTree(list.body()).forEach(v -> views.put(v.get("name").asText(), v));
        assertThat(views).containsKeys("patient", "encounter", "condition", "observation", "immunization");
        assertThat(views.get("encounter").get("rows").asLong()).isEqualTo(encounters);

        HttpResponse<byte[]> parquet =
                operator.get(views.get("encounter").get("parquet").asText());
        assertThat(parquet.statusCode()).isEqualTo(200);
        assertThat(parquet.headers().firstValue("Content-Type")).hasValue("application/vnd.apache.parquet");
        assertThat(new String(parquet.body(), 0, 4, StandardCharsets.US_ASCII)).isEqualTo("PAR1");
        java.nio.file.Path file = java.nio.file.Files.createTempFile("encounter", ".parquet");
        try (java.sql.Connection duck = java.sql.DriverManager.getConnection("jdbc:duckdb:");
                java.sql.Statement read = duck.createStatement()) {
            java.nio.file.Files.write(file, parquet.body());
            java.sql.ResultSet rows = read.executeQuery("SELECT count(*), count(*) FILTER (WHERE virtual),"
                    + " count(DISTINCT id), min(length(start)) FROM read_parquet('" + file + "')");
            rows.next();
            assertThat(rows.getLong(1)).as("every row").isEqualTo(encounters);
            assertThat(rows.getLong(2)).as("virtual ones, typed").isEqualTo(virtual);
            assertThat(rows.getLong(3)).as("ids as stored").isEqualTo(encounters);
            assertThat(rows.getInt(4)).as("dates as stored, not generalized").isGreaterThan(7);
        } finally {
            java.nio.file.Files.delete(file);
        }
        assertThat(java.nio.file.Files.list(sehat.dataDir().resolve("analytics-export")))
                .as("nothing left behind once sent")
                .noneMatch(f -> f.toString().endsWith(".parquet"));

        assertThat(operator.get("/admin/analytics/views/nothing.parquet").statusCode())
                .isEqualTo(404);
        // Both in the audit trail: the export, and the one refused (written by the audit queue shortly after).
        org.awaitility.Awaitility.await()
                .atMost(java.time.Duration.ofSeconds(20))
                .untilAsserted(() -> assertThat(
                                JSON.readTree(operator.get("/fhir/AuditEvent?subtype=analytics-query&_count=500")
                                                .body())
                                        .findValues("resource"))
                        .filteredOn(event -> event.has("entity")
                                && event.get("entity").get(0).has("query"))
                        .extracting(event -> new String(
                                        java.util.Base64.getDecoder()
                                                .decode(event.get("entity")
                                                        .get(0)
                                                        .get("query")
                                                        .asText()),
                                        StandardCharsets.UTF_8)
                                + " " + event.get("outcome").asText() + " "
                                + event.path("outcomeDesc").asText())
                        .contains("views/encounter.parquet 0 ", "views/nothing.parquet 4 not-found"));
        assertThat(analyst.get("/admin/analytics/views").statusCode())
                .as("the store has record ids and dates: operators only")
                .isEqualTo(403);
        assertThat(analyst.get("/admin/analytics/views/encounter.parquet").statusCode())
                .isEqualTo(403);
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
