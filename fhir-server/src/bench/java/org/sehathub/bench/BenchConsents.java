package org.sehathub.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Collection;

/**
 * The consents the telehealth app's reads need: every loaded patient grants the benchmark's app her
 * whole record (a {@code patient-privacy} Consent naming its client id, as docs/security.md shows),
 * recorded by the operator in one batch before the app reads.
 */
final class BenchConsents {

    private static final ObjectMapper JSON = new ObjectMapper();

    private BenchConsents() {}

    /** Records one active consent per patient id; fails unless every entry is created. */
    static void grantApp(String baseUrl, BenchClient operator, Collection<String> patientIds)
            throws IOException, InterruptedException {
        ObjectNode bundle =
                JSON.createObjectNode().put("resourceType", "Bundle").put("type", "batch");
        ArrayNode entries = bundle.putArray("entry");
        for (String patientId : patientIds) {
            ObjectNode entry = entries.addObject();
            entry.set("resource", consent(patientId));
            entry.putObject("request").put("method", "POST").put("url", "Consent");
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl))
                .timeout(Duration.ofMinutes(5))
                .header("Content-Type", "application/fhir+json")
                .header("Prefer", "return=minimal")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(bundle)));
        operator.authorization().ifPresent(value -> request.header("Authorization", value));
        HttpResponse<String> response =
                HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200
                || !JSON.readTree(response.body()).findValuesAsText("status").stream()
                        .allMatch(status -> status.startsWith("201"))) {
            throw new IOException(
                    "Consents not recorded: " + response.statusCode() + " " + FhirLoad.abbreviate(response.body()));
        }
    }

    private static ObjectNode consent(String patientId) {
        ObjectNode consent =
                JSON.createObjectNode().put("resourceType", "Consent").put("status", "active");
        consent.putObject("scope")
                .putArray("coding")
                .addObject()
                .put("system", "http://terminology.hl7.org/CodeSystem/consentscope")
                .put("code", "patient-privacy");
        consent.putArray("category")
                .addObject()
                .putArray("coding")
                .addObject()
                .put("system", "http://loinc.org")
                .put("code", "59284-0");
        consent.putObject("patient").put("reference", "Patient/" + patientId);
        consent.putObject("policyRule")
                .putArray("coding")
                .addObject()
                .put("system", "http://terminology.hl7.org/CodeSystem/v3-ActCode")
                .put("code", "OPTIN");
        ObjectNode provision = consent.putObject("provision").put("type", "permit");
        provision
                .putArray("actor")
                .addObject()
                .<ObjectNode>set("role", roleIrcp())
                .putObject("reference")
                .putObject("identifier")
                .put("system", "https://fhir.sehathub.pk/sid/client")
                .put("value", BenchClient.APP_ID);
        return consent;
    }

    private static ObjectNode roleIrcp() {
        ObjectNode role = JSON.createObjectNode();
        role.putArray("coding")
                .addObject()
                .put("system", "http://terminology.hl7.org/CodeSystem/v3-ParticipationType")
                .put("code", "IRCP");
        return role;
    }
}
