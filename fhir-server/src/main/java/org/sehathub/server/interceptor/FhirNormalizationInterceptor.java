package org.sehathub.server.interceptor;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Resource;
import org.sehathub.mappers.MappingIssue;
import org.sehathub.mappers.normalize.ResourceNormalizer;

/**
 * Gives FHIR that hospitals post directly to {@code /fhir} the same normalization as every other
 * route (CNIC canonical, phones in E.164, names tidied, provinces coded, local codes enriched),
 * reusing the mappers' {@link ResourceNormalizer}.
 *
 * <p>It runs after HAPI has parsed the body and before the write. A value the rules refuse (an
 * impossible CNIC, a birth date in the future) refuses the request with 422 and an
 * OperationOutcome naming it. CNICs in transaction match URLs ({@code ifNoneExist}, conditional
 * {@code url}) are made canonical too ({@link ResourceNormalizer#normalize(Bundle)}).
 */
@Interceptor
public class FhirNormalizationInterceptor {

    private final ResourceNormalizer normalizer;

    public FhirNormalizationInterceptor(ResourceNormalizer normalizer) {
        this.normalizer = normalizer;
    }

    /** Writes only: {@code $validate} reports on what it is given as it is. */
    private static final Set<RestOperationTypeEnum> WRITES =
            EnumSet.of(RestOperationTypeEnum.CREATE, RestOperationTypeEnum.UPDATE, RestOperationTypeEnum.TRANSACTION);

    @Hook(Pointcut.SERVER_INCOMING_REQUEST_PRE_HANDLED)
    public void normalizeIncoming(RequestDetails request) {
        IBaseResource body = request.getResource();
        if (!(body instanceof Resource resource) || !WRITES.contains(request.getRestOperationType())) {
            return;
        }
        List<MappingIssue> issues;
        if (resource instanceof Bundle bundle) {
            issues = normalizer.normalize(bundle);
        } else {
            issues = normalizer.normalize(resource);
        }
        refuseOnErrors(issues, request.getFhirContext());
    }

    private static void refuseOnErrors(List<MappingIssue> issues, FhirContext fhirContext) {
        List<MappingIssue> errors = issues.stream()
                .filter(i -> i.severity() == MappingIssue.Severity.ERROR)
                .toList();
        if (errors.isEmpty()) {
            return;
        }
        OperationOutcome outcome = new OperationOutcome();
        for (MappingIssue error : errors) {
            outcome.addIssue()
                    .setSeverity(OperationOutcome.IssueSeverity.ERROR)
                    .setCode(OperationOutcome.IssueType.INVALID)
                    .setDiagnostics(error.location() + ": " + error.reason())
                    .addExpression(error.location());
        }
        throw new UnprocessableEntityException(fhirContext, outcome);
    }
}
