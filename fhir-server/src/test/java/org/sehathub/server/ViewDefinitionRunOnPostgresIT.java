package org.sehathub.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.Enumerations.AdministrativeGender;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * {@code $viewdefinition-run} on the real server: an operator's ViewDefinition over the stored
 * resources, as NDJSON, JSON and CSV, filtered by patient and limited; over resources sent with the
 * request; a view that is not one answered 400 with what is wrong; any other role refused.
 */
@PostgresServerTest
class ViewDefinitionRunOnPostgresIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @LocalServerPort
    int port;

    FhirTestClient operator;
    String family;
    String first;
    String second;

    @BeforeEach
    void twoPatientsAndAnObservation() {
        operator = new FhirTestClient(port);
        family = TestPatients.rare("Viewtest", 6);
        first = create(patient("Ayesha", "1990-04-11", AdministrativeGender.FEMALE));
        second = create(patient("Bilal", "1985-01-20", AdministrativeGender.MALE));
        Observation hb = new Observation()
                .setStatus(Observation.ObservationStatus.FINAL)
                .setCode(new CodeableConcept(new Coding("http://loinc.org", "718-7", "Hemoglobin")))
                .setSubject(new Reference("Patient/" + first))
                .setValue(new Quantity().setValue(10.5).setUnit("g/dL"));
        TestPatients.atFacility(hb, "Mayo Hospital Lahore");
        operator.fhir().create().resource(hb).execute();
    }

    private Patient patient(String given, String born, AdministrativeGender gender) {
        Patient patient = new Patient().setGender(gender).setBirthDateElement(new DateType(born));
        patient.addName().setFamily(family).addGiven(given);
        return TestPatients.atFacility(patient, "Mayo Hospital Lahore");
    }

    private String create(Patient patient) {
        return operator.fhir().create().resource(patient).execute().getId().getIdPart();
    }

    /** The patients of this test: a where on the family name drawn for it. */
    private ObjectNode patientView() {
        ObjectNode view = JSON.createObjectNode().put("resourceType", "ViewDefinition");
        view.put("resource", "Patient").put("status", "active");
        view.putArray("constant").addObject().put("name", "family").put("valueString", family);
        view.putArray("where").addObject().put("path", "name.family contains %family");
        ArrayNode columns = view.putArray("select").addObject().putArray("column");
        columns.addObject().put("name", "id").put("path", "getResourceKey()");
        columns.addObject().put("name", "given").put("path", "name.given.first()");
        columns.addObject().put("name", "gender").put("path", "gender");
        columns.addObject().put("name", "birth_date").put("path", "birthDate");
        return view;
    }

    private HttpResponse<byte[]> run(FhirTestClient client, String query, ObjectNode view, JsonNode... extra) {
        ObjectNode parameters = JSON.createObjectNode().put("resourceType", "Parameters");
        ArrayNode list = parameters.putArray("parameter");
        list.addObject().put("name", "viewResource").set("resource", view);
        for (JsonNode parameter : extra) {
            list.add(parameter);
        }
        HttpRequest.Builder request = HttpRequest.newBuilder()
                .POST(HttpRequest.BodyPublishers.ofString(parameters.toString()))
                .header("Content-Type", "application/fhir+json");
        return client.send(request, "/fhir/$viewdefinition-run" + query);
    }

    private static List<JsonNode> ndjson(HttpResponse<byte[]> response) throws Exception {
        List<JsonNode> rows = new ArrayList<>();
        for (String line : new String(response.body(), StandardCharsets.UTF_8).split("\n")) {
            if (!line.isBlank()) {
                rows.add(JSON.readTree(line));
            }
        }
        return rows;
    }

    @Test
    void anOperatorsViewGivesARowPerStoredResourceInEachFormat() throws Exception {
        HttpResponse<byte[]> response = run(operator, "", patientView());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type"))
                .hasValueSatisfying(t -> assertThat(t).startsWith("application/x-ndjson"));
        List<JsonNode> rows = ndjson(response);
        assertThat(rows).hasSize(2);
        assertThat(rows)
                .extracting(r -> r.get("id").asText() + " " + r.get("given").asText() + " "
                        + r.get("gender").asText() + " " + r.get("birth_date").asText())
                .containsExactlyInAnyOrder(first + " Ayesha female 1990-04-11", second + " Bilal male 1985-01-20");

        HttpResponse<byte[]> csv = run(operator, "?_format=csv", patientView());
        assertThat(csv.statusCode()).isEqualTo(200);
        String[] lines = new String(csv.body(), StandardCharsets.UTF_8).split("\r\n");
        assertThat(lines[0]).isEqualTo("id,given,gender,birth_date");
        assertThat(lines).hasSize(3).contains(first + ",Ayesha,female,1990-04-11");

        HttpResponse<byte[]> json = run(
                operator,
                "",
                patientView(),
                JSON.createObjectNode().put("name", "_format").put("valueCode", "json"),
                JSON.createObjectNode().put("name", "_limit").put("valueInteger", 1));
        assertThat(json.statusCode()).isEqualTo(200);
        JsonNode array = JSON.readTree(json.body());
        assertThat(array.isArray()).isTrue();
        assertThat(array).hasSize(1);
    }

    @Test
    void aPatientFilterKeepsOnlyHerResources() throws Exception {
        ObjectNode view = JSON.createObjectNode().put("resource", "Observation");
        ArrayNode columns = view.putArray("select").addObject().putArray("column");
        columns.addObject().put("name", "patient").put("path", "subject.getReferenceKey(Patient)");
        columns.addObject().put("name", "code").put("path", "code.coding.code.first()");
        columns.addObject().put("name", "value").put("path", "value.ofType(Quantity).value");

        List<JsonNode> hers = ndjson(run(operator, "?patient=Patient/" + first, view));
        assertThat(hers).hasSize(1);
        assertThat(hers.get(0).get("patient").asText()).isEqualTo(first);
        assertThat(hers.get(0).get("code").asText()).isEqualTo("718-7");
        assertThat(hers.get(0).get("value").decimalValue()).isEqualByComparingTo("10.5");

        assertThat(ndjson(run(operator, "?patient=" + second, view))).isEmpty();
    }

    @Test
    void resourcesSentWithTheRequestAreUsedInsteadOfTheStoredOnes() throws Exception {
        ObjectNode sent = JSON.createObjectNode().put("resourceType", "Patient").put("id", "sent-1");
        sent.putArray("name")
                .addObject()
                .put("family", family)
                .putArray("given")
                .add("Sent");

        List<JsonNode> rows = ndjson(run(
                operator,
                "",
                patientView(),
                JSON.createObjectNode().put("name", "resource").set("resource", sent)));

        assertThat(rows).hasSize(1);
        assertThat(rows.get(0).get("id").asText()).isEqualTo("sent-1");
        assertThat(rows.get(0).get("gender").isNull()).isTrue();
    }

    @Test
    void aViewThatIsNotOneIsAnsweredWithWhatIsWrong() throws Exception {
        ObjectNode noResource = patientView();
        noResource.remove("resource");
        HttpResponse<byte[]> refused = run(operator, "", noResource);
        assertThat(refused.statusCode()).isEqualTo(400);
        JsonNode outcome = JSON.readTree(refused.body());
        assertThat(outcome.get("resourceType").asText()).isEqualTo("OperationOutcome");
        assertThat(outcome.toString()).contains("names no resource type");

        ObjectNode many = patientView();
        ((ArrayNode) many.get("select").get(0).get("column"))
                .addObject()
                .put("name", "all_names")
                .put("path", "name.given | name.family");
        HttpResponse<byte[]> several = run(operator, "", many);
        assertThat(several.statusCode()).isEqualTo(400);
        assertThat(new String(several.body(), StandardCharsets.UTF_8)).contains("all_names", "not a collection");

        assertThat(run(operator, "?_format=xlsx", patientView()).statusCode()).isEqualTo(400);
    }

    @Test
    void noRoleButTheOperatorsMayRunAView() {
        assertThat(run(new FhirTestClient(port, TestClients.HOSPITAL), "", patientView())
                        .statusCode())
                .isEqualTo(403);
        assertThat(run(new FhirTestClient(port, TestClients.ANALYST), "", patientView())
                        .statusCode())
                .isEqualTo(403);
        assertThat(run(new FhirTestClient(port, null, null), "", patientView()).statusCode())
                .isEqualTo(401);
    }
}
