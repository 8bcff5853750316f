package org.sehathub.server;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.server.exceptions.PreconditionFailedException;
import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.hl7.fhir.instance.model.api.IBaseOperationOutcome;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Resource;

/**
 * Sends every resource stored since a moment to the server's own {@code [type]/$validate} (base
 * R4) and collects the errors: "every stored resource validates", measured over HTTP on what
 * ingest really stored, not on the mapper's output.
 */
final class StoredResourceValidation {

    /** What ingest writes: the types of the HL7 v2, CSV and telehealth maps. */
    static final List<String> TYPES = List.of(
            "Patient",
            "Organization",
            "Practitioner",
            "Location",
            "Encounter",
            "Condition",
            "AllergyIntolerance",
            "Observation",
            "DiagnosticReport",
            "ServiceRequest",
            "Specimen",
            "Immunization",
            "Appointment",
            "DocumentReference",
            "MedicationRequest",
            "MessageHeader",
            "Provenance");

    /** Resources validated per type, and each error as {@code Type/id: location: message}. */
    record Result(Map<String, Integer> validated, List<String> errors) {
        int total() {
            return validated.values().stream().mapToInt(Integer::intValue).sum();
        }
    }

    private StoredResourceValidation() {}

    static Result since(IGenericClient fhir, DateTimeType since) {
        Map<String, Integer> validated = new TreeMap<>();
        List<String> errors = new ArrayList<>();
        for (String type : TYPES) {
            Bundle page = fhir.search()
                    .forResource(type)
                    .where(new ca.uhn.fhir.rest.gclient.DateClientParam("_lastUpdated")
                            .afterOrEquals()
                            .second(since.getValue()))
                    .count(200)
                    .returnBundle(Bundle.class)
                    .execute();
            while (page != null) {
                for (Bundle.BundleEntryComponent entry : page.getEntry()) {
                    Resource resource = entry.getResource();
                    validated.merge(type, 1, Integer::sum);
                    for (OperationOutcome.OperationOutcomeIssueComponent issue :
                            validate(fhir, resource).getIssue()) {
                        if (issue.getSeverity() == OperationOutcome.IssueSeverity.ERROR
                                || issue.getSeverity() == OperationOutcome.IssueSeverity.FATAL) {
                            errors.add(resource.fhirType() + "/"
                                    + resource.getIdElement().getIdPart() + ": "
                                    + String.join(
                                            ",",
                                            issue.getExpression().stream()
                                                    .map(Object::toString)
                                                    .toList()) + ": "
                                    + issue.getDiagnostics());
                        }
                    }
                }
                page = page.getLink(Bundle.LINK_NEXT) != null
                        ? fhir.loadPage().next(page).execute()
                        : null;
            }
        }
        return new Result(validated, errors);
    }

    private static OperationOutcome validate(IGenericClient fhir, Resource resource) {
        try {
            IBaseOperationOutcome outcome =
                    fhir.validate().resource(resource).execute().getOperationOutcome();
            return outcome == null ? new OperationOutcome() : (OperationOutcome) outcome;
        } catch (PreconditionFailedException | UnprocessableEntityException e) {
            // HAPI answers 412 (or 422) with the OperationOutcome when validation finds errors.
            return (OperationOutcome) e.getOperationOutcome();
        }
    }
}
