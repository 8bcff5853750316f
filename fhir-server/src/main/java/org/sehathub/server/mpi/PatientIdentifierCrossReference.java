package org.sehathub.server.mpi;

import ca.uhn.fhir.jpa.api.dao.IFhirResourceDao;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.rest.annotation.Operation;
import ca.uhn.fhir.rest.annotation.OperationParam;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.param.TokenParam;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.UriType;

/**
 * {@code Patient/$ihe-pix} (IHE PIXm, ITI-83): given one identifier of a person ({@code
 * sourceIdentifier=system|value}), every identifier her records hold and the records themselves
 * ({@code targetIdentifier}, {@code targetId}), optionally only in the {@code targetSystem}s
 * asked for. Her records are those holding the identifier and every record linked to the same person
 * (certain, probable or by an operator; never a possible match still in review), read with the
 * caller's rights. Not
 * found: 404 with an OperationOutcome, as ITI-83 says.
 */
public class PatientIdentifierCrossReference {

    private final IFhirResourceDao<Patient> patients;
    private final PersonLinks links;

    public PatientIdentifierCrossReference(IFhirResourceDao<Patient> patients, PersonLinks links) {
        this.patients = patients;
        this.links = links;
    }

    @Operation(name = "$ihe-pix", type = Patient.class, idempotent = true)
    public Parameters pix(
            @OperationParam(name = "sourceIdentifier", min = 1, max = 1) StringType sourceIdentifier,
            @OperationParam(name = "targetSystem") List<UriType> targetSystems,
            RequestDetails request) {
        String token = sourceIdentifier == null ? null : sourceIdentifier.getValue();
        if (token == null || !token.contains("|") || token.endsWith("|")) {
            throw new InvalidRequestException("sourceIdentifier must be system|value");
        }
        String system = token.substring(0, token.indexOf('|'));
        String value = token.substring(token.indexOf('|') + 1);
        SearchParameterMap search =
                SearchParameterMap.newSynchronous().add(Patient.SP_IDENTIFIER, new TokenParam(system, value));
        List<Patient> holding = patients.search(search, request).getAllResources().stream()
                .map(Patient.class::cast)
                .toList();
        if (holding.isEmpty()) {
            OperationOutcome notFound = new OperationOutcome();
            notFound.addIssue()
                    .setSeverity(OperationOutcome.IssueSeverity.ERROR)
                    .setCode(OperationOutcome.IssueType.NOTFOUND)
                    .getDetails()
                    .setText("sourceIdentifier Patient Identifier not found");
            throw new ResourceNotFoundException("sourceIdentifier Patient Identifier not found", notFound);
        }
        Map<String, Patient> records = new LinkedHashMap<>();
        Set<String> samePerson = new LinkedHashSet<>();
        for (Patient patient : holding) {
            records.putIfAbsent(id(patient), patient);
            samePerson.addAll(links.samePerson(patient.getIdElement().getIdPart()));
        }
        for (Patient linked : PatientsById.read(patients, samePerson, request)) {
            records.putIfAbsent(id(linked), linked);
        }
        Set<String> wanted = targetSystems == null
                ? Set.of()
                : targetSystems.stream().map(UriType::getValue).collect(Collectors.toSet());
        Parameters answer = new Parameters();
        Set<String> seen = new java.util.HashSet<>();
        for (Patient patient : records.values()) {
            for (Identifier identifier : patient.getIdentifier()) {
                boolean isSource = system.equals(identifier.getSystem()) && value.equals(identifier.getValue());
                if (identifier.hasValue()
                        && !isSource
                        && (wanted.isEmpty() || wanted.contains(identifier.getSystem()))
                        && seen.add(identifier.getSystem() + "|" + identifier.getValue())) {
                    answer.addParameter()
                            .setName("targetIdentifier")
                            .setValue(new Identifier()
                                    .setSystem(identifier.getSystem())
                                    .setValue(identifier.getValue()));
                }
            }
        }
        if (wanted.isEmpty()) {
            records.keySet()
                    .forEach(id -> answer.addParameter().setName("targetId").setValue(new Reference(id)));
        }
        return answer;
    }

    private static String id(Patient patient) {
        return patient.getIdElement().toUnqualifiedVersionless().getValue();
    }
}
