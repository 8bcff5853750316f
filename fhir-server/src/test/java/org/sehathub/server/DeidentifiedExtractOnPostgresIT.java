package org.sehathub.server;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.parser.IParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.awaitility.Awaitility;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Provenance;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;

/**
 * A researcher's de-identified extract on the analytics tests' server and population ({@link
 * AnalyticsPopulation}), tried as someone would who wants to re-identify: no identifier, name or
 * record id written survives in any file, no combination of the quasi-identifiers kept is shared
 * by fewer than 5 people, every event points at a released person, a person with two facilities'
 * records is one Patient, someone who refused research use is left out, pseudonyms change from one
 * extract to the next, and the lineage is a Provenance. Bulk Data's asynchronous pattern, and who
 * may ask.
 */
@PostgresServerTest
@TestPropertySource(properties = "sehat.test.database=analytics")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DeidentifiedExtractOnPostgresIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final IParser PARSER = FhirTestClient.FHIR.newJsonParser();

    @LocalServerPort
    int port;

    AnalyticsPopulation population;
    FhirTestClient operator;
    FhirTestClient analyst;

    @BeforeAll
    void population() {
        population = AnalyticsPopulation.on(port);
        operator = new FhirTestClient(port);
        analyst = new FhirTestClient(port, TestClients.ANALYST);
    }

    /** Every Patient record written: what would identify it. */
    private List<Patient> records() {
        List<Patient> records = new ArrayList<>();
        Bundle page = operator.fhir()
                .search()
                .forResource(Patient.class)
                .count(500)
                .returnBundle(Bundle.class)
                .execute();
        while (true) {
            page.getEntry().forEach(e -> records.add((Patient) e.getResource()));
            if (page.getLink(Bundle.LINK_NEXT) == null) {
                return records;
            }
            page = operator.fhir().loadPage().next(page).execute();
        }
    }

    /** Starts an extract as the analyst and waits for its manifest. */
    private JsonNode extract() throws Exception {
        return extract("");
    }

    private JsonNode extract(String query) throws Exception {
        HttpResponse<byte[]> kickOff = analyst.send(
                HttpRequest.newBuilder().GET().header("Prefer", "respond-async"), "/analytics/$export" + query);
        assertThat(kickOff.statusCode())
                .as(new String(kickOff.body(), StandardCharsets.UTF_8))
                .isEqualTo(202);
        String status = kickOff.headers().firstValue("Content-Location").orElseThrow();
        String path = status.substring(status.indexOf("/analytics/"));
        JsonNode[] manifest = new JsonNode[1];
        Awaitility.await()
                .atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> {
                    HttpResponse<byte[]> polled = analyst.get(path);
                    if (polled.statusCode() == 202) {
                        assertThat(polled.headers().firstValue("X-Progress")).isPresent();
                        return false;
                    }
                    assertThat(polled.statusCode())
                            .as(new String(polled.body(), StandardCharsets.UTF_8))
                            .isEqualTo(200);
                    manifest[0] = JSON.readTree(polled.body());
                    return true;
                });
        return manifest[0];
    }

    /** The resources of each file of an extract, by type. */
    private Map<String, List<Resource>> files(JsonNode manifest, Map<String, String> raw) {
        Map<String, List<Resource>> byType = new HashMap<>();
        for (JsonNode output : manifest.get("output")) {
            String url = output.get("url").asText();
            HttpResponse<byte[]> file = analyst.get(url.substring(url.indexOf("/analytics/")));
            assertThat(file.statusCode()).isEqualTo(200);
            assertThat(file.headers().firstValue("Content-Type").orElse("")).startsWith("application/fhir+ndjson");
            String text = new String(file.body(), StandardCharsets.UTF_8);
            raw.put(output.get("type").asText(), text);
            List<Resource> resources = new ArrayList<>();
            text.lines().filter(l -> !l.isBlank()).forEach(l -> resources.add((Resource) PARSER.parseResource(l)));
            assertThat(resources).hasSize(output.get("count").asInt());
            byType.put(output.get("type").asText(), resources);
        }
        return byType;
    }

    @Test
    void anExtractCarriesNoIdentifierIsKAnonymousAndKeepsItsLineage() throws Exception {
        List<Patient> records = records();
        // One person refuses research use of her record.
        Patient refusing = records.get(records.size() - 1);
        Consent refusal = new Consent()
                .setStatus(Consent.ConsentState.ACTIVE)
                .setScope(new CodeableConcept(
                        new Coding("http://terminology.hl7.org/CodeSystem/consentscope", "research", null)))
                .addCategory(new CodeableConcept(new Coding("http://loinc.org", "57016-8", null)))
                .setPatient(new Reference("Patient/" + refusing.getIdElement().getIdPart()));
        refusal.getProvision().setType(Consent.ConsentProvisionType.DENY);
        operator.fhir().create().resource(refusal).execute();

        JsonNode manifest = extract();
        JsonNode deid = manifest.get("extension").get("deidentification");
        assertThat(deid.get("kAnonymous").asBoolean()).isTrue();
        assertThat(deid.get("k").asInt()).isEqualTo(5);
        assertThat(deid.get("people").asInt())
                .as("people, not records")
                .isEqualTo(population.people().size());
        assertThat(deid.get("peopleWhoRefusedResearch").asInt()).isEqualTo(1);
        assertThat(deid.get("peopleReleased").asInt()
                        + deid.get("peopleLeftOutByTheCheck").asInt())
                .isEqualTo(population.people().size() - 1);

        Map<String, String> raw = new HashMap<>();
        Map<String, List<Resource>> files = files(manifest, raw);
        assertThat(files.keySet())
                .containsExactlyInAnyOrder(
                        "Patient", "Encounter", "Condition", "Observation", "Immunization", "Provenance");
        assertThat(files.get("Patient")).hasSize(deid.get("peopleReleased").asInt());

        // No identifier, name or record id written survives anywhere.
        String everything = String.join("\n", raw.values());
        for (Patient record : records) {
            // (record ids are numbers, found by chance inside hex pseudonyms: looked for as ids and references)
            String id = record.getIdElement().getIdPart();
            assertThat(everything).doesNotContain("Patient/" + id + "\"", "\"id\":\"" + id + "\"");
            for (Identifier identifier : record.getIdentifier()) {
                assertThat(everything).doesNotContain(identifier.getValue());
                assertThat(everything).doesNotContain(identifier.getValue().replace("-", ""));
            }
            record.getName().forEach(n -> assertThat(everything).doesNotContain(n.getFamily()));
        }
        // (the Provenance names the extract itself by identifier)
        String data = raw.entrySet().stream()
                .filter(e -> !e.getKey().equals("Provenance"))
                .map(Map.Entry::getValue)
                .collect(java.util.stream.Collectors.joining("\n"));
        assertThat(data).doesNotContain("\"identifier\"", "\"name\"", "\"telecom\"", "\"line\"", "\"text\"");

        // No combination of the quasi-identifiers kept is shared by fewer than 5 people.
        Map<List<String>, Integer> groups = new HashMap<>();
        Set<String> released = new HashSet<>();
        for (Resource resource : files.get("Patient")) {
            Patient patient = (Patient) resource;
            released.add("Patient/" + patient.getIdElement().getIdPart());
            assertThat(patient.getBirthDateElement().getValueAsString() == null
                            || patient.getBirthDateElement().getValueAsString().length() <= 7)
                    .as("birth dates to the month at most")
                    .isTrue();
            List<String> quasi = new ArrayList<>();
            quasi.add(patient.getBirthDateElement().getValueAsString() + "|"
                    + patient.getExtensionString("https://fhir.sehathub.pk/StructureDefinition/age-group"));
            quasi.add(String.valueOf(patient.getGender()));
            quasi.add(patient.getAddressFirstRep().getState());
            quasi.add(patient.getAddressFirstRep().getDistrict());
            groups.merge(quasi, 1, Integer::sum);
        }
        assertThat(groups.values()).allSatisfy(n -> assertThat(n).isGreaterThanOrEqualTo(5));

        // Every event is of a released person; its dates are months.
        for (String type : List.of("Encounter", "Condition", "Observation", "Immunization")) {
            for (Resource resource : files.get(type)) {
                String subject = PARSER.encodeResourceToString(resource);
                assertThat(released).as(type).anyMatch(subject::contains);
                assertThat(subject).doesNotContainPattern("\\d{4}-\\d{2}-\\d{2}");
            }
        }
        long doses =
                population.people().stream().mapToLong(p -> p.measlesDoses()).sum();
        assertThat(files.get("Immunization"))
                .hasSizeLessThanOrEqualTo((int) doses)
                .isNotEmpty();

        Provenance lineage = (Provenance) files.get("Provenance").get(0);
        assertThat(lineage.getActivity().getCodingFirstRep().getCode()).isEqualTo("deidentify");
        assertThat(lineage.getAgentFirstRep().getWho().getDisplay()).contains("test-analyst");
        assertThat(lineage.getEntityFirstRep().getWhat().getDisplay()).contains("$export");

        // A second extract: the same people under other pseudonyms (extracts cannot be linked).
        JsonNode again = extract();
        Set<String> second = new HashSet<>();
        files(again, new HashMap<>())
                .get("Patient")
                .forEach(p -> second.add("Patient/" + p.getIdElement().getIdPart()));
        assertThat(second).hasSameSizeAs(released).doesNotContainAnyElementsOf(released);
    }

    @Test
    void theSameAsParquetFilesOfTheAnalyticViews() throws Exception {
        operator.send(HttpRequest.newBuilder().POST(HttpRequest.BodyPublishers.noBody()), "/admin/analytics/refresh");
        JsonNode manifest =
                extract("?_outputFormat=application/vnd.apache.parquet&_type=Patient,Condition,Immunization");
        assertThat(manifest.get("outputFormat").asText()).isEqualTo("application/vnd.apache.parquet");
        JsonNode deid = manifest.get("extension").get("deidentification");
        assertThat(deid.get("views").get("condition").asText()).startsWith("sha256:");
        java.nio.file.Path folder = java.nio.file.Files.createTempDirectory("sehat-parquet");
        Map<String, Integer> counts = new HashMap<>();
        for (JsonNode output : manifest.get("output")) {
            String url = output.get("url").asText();
            HttpResponse<byte[]> file = analyst.get(url.substring(url.indexOf("/analytics/")));
            assertThat(file.statusCode()).isEqualTo(200);
            String name = url.substring(url.lastIndexOf('/') + 1);
            java.nio.file.Files.write(folder.resolve(name), file.body());
            counts.put(output.get("type").asText(), output.get("count").asInt());
        }
        assertThat(counts.keySet()).containsExactlyInAnyOrder("patient", "condition", "immunization", "Provenance");
        try (java.sql.Connection duck = java.sql.DriverManager.getConnection("jdbc:duckdb:");
                java.sql.Statement sql = duck.createStatement()) {
            String patients = "read_parquet('" + folder.resolve("patient.parquet") + "')";
            String conditions = "read_parquet('" + folder.resolve("condition.parquet") + "')";
            var rs = sql.executeQuery("SELECT count(*), min(n) FROM (SELECT count(*) AS n FROM " + patients
                    + " GROUP BY birth, gender, province, district)");
            rs.next();
            assertThat(rs.getInt(1)).isPositive();
            assertThat(rs.getInt(2))
                    .as("the smallest group of quasi-identifiers")
                    .isGreaterThanOrEqualTo(5);
            rs = sql.executeQuery("SELECT count(*) FROM " + patients);
            rs.next();
            assertThat(rs.getInt(1))
                    .isEqualTo(deid.get("peopleReleased").asInt())
                    .isEqualTo(counts.get("patient"));
            rs = sql.executeQuery(
                    "SELECT count(*) FROM " + conditions + " c JOIN " + patients
                            + " p ON p.id = c.patient WHERE (c.onset IS NULL OR length(c.onset) <= 7) AND regexp_full_match(c.id, '[0-9a-f]{32}')");
            rs.next();
            assertThat(rs.getInt(1))
                    .as("every condition of a released person, pseudonymous, dated by month")
                    .isEqualTo(counts.get("condition"))
                    .isPositive();
            rs = sql.executeQuery("SELECT * FROM " + conditions + " LIMIT 1");
            java.util.Set<String> columns = new HashSet<>();
            for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                columns.add(rs.getMetaData().getColumnName(i));
            }
            assertThat(columns).contains("id", "patient", "icd10", "onset").doesNotContain("facility", "sehat_key");
        }
    }

    @Test
    void theAsynchronousPatternAndWhoMayAskAndFetch() throws Exception {
        assertThat(analyst.get("/analytics/$export").statusCode())
                .as("without Prefer: respond-async")
                .isEqualTo(400);
        assertThat(analyst.send(
                                HttpRequest.newBuilder().GET().header("Prefer", "respond-async"),
                                "/analytics/$export?_type=Practitioner")
                        .statusCode())
                .isEqualTo(400);
        assertThat(new FhirTestClient(port, TestClients.HOSPITAL)
                        .send(HttpRequest.newBuilder().GET().header("Prefer", "respond-async"), "/analytics/$export")
                        .statusCode())
                .as("hospitals do not get extracts")
                .isEqualTo(403);
        assertThat(analyst.get("/analytics/extracts/00000000-0000-0000-0000-000000000000")
                        .statusCode())
                .isEqualTo(404);

        JsonNode manifest = extract();
        String url = manifest.get("output").get(0).get("url").asText();
        String file = url.substring(url.indexOf("/analytics/"));
        String status = url.substring(url.indexOf("/analytics/"), url.lastIndexOf('/'));
        // Another analyst is told there is no such extract; an operator may read and manage it.
        FhirTestClient other = new FhirTestClient(port, TestClients.OTHER_ANALYST);
        assertThat(other.get(status).statusCode())
                .as("another analyst's status")
                .isEqualTo(404);
        assertThat(other.get(file).statusCode()).as("another analyst's file").isEqualTo(404);
        assertThat(other.send(HttpRequest.newBuilder().DELETE(), status).statusCode())
                .as("another analyst's delete")
                .isEqualTo(404);
        assertThat(analyst.get(file).statusCode())
                .as("still there for the one who asked")
                .isEqualTo(200);
        assertThat(operator.get(status).statusCode()).as("an operator").isEqualTo(200);
        assertThat(analyst.send(HttpRequest.newBuilder().DELETE(), status).statusCode())
                .isEqualTo(202);
        assertThat(analyst.get(status).statusCode()).as("deleted").isEqualTo(404);
        assertThat(analyst.get(url.substring(url.indexOf("/analytics/"))).statusCode())
                .isEqualTo(404);
        assertThat(analyst.get(status + "/..%2Fmanifest.json").statusCode()).isIn(400, 404);
    }
}
