package org.sehathub.server.security;

import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.interceptor.consent.ConsentOutcome;
import ca.uhn.fhir.rest.server.interceptor.consent.IConsentContextServices;
import ca.uhn.fhir.rest.server.interceptor.consent.IConsentService;
import java.util.Set;
import org.hl7.fhir.instance.model.api.IBaseBinary;
import org.hl7.fhir.instance.model.api.IBaseBundle;
import org.hl7.fhir.instance.model.api.IBaseOperationOutcome;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.sehathub.server.security.SmartScope.Permission;

/**
 * Leaves out of a response every resource of a type the caller's scopes do not let it read: an
 * {@code Observation?_include=Observation:subject} by a client with {@code system/Observation.rs}
 * answers the Observations without their Patients, as if they were not there, instead of HAPI's
 * {@link FhirAuthorizationRules} refusing the whole search. A hospital sees, besides, only what its
 * facilities wrote (tagged by {@link FacilityTagging} and the ingest sink): anything else is absent,
 * a read by id answered 404. Run by HAPI's ConsentInterceptor, which asks before a resource is
 * loaded into a page; the consent issue builds on the same interceptor.
 */
public class ScopeConsent implements IConsentService {

    private static final Set<RestOperationTypeEnum> CHECKED_AGAIN = Set.of(
            RestOperationTypeEnum.GET_PAGE,
            RestOperationTypeEnum.CREATE,
            RestOperationTypeEnum.UPDATE,
            RestOperationTypeEnum.DELETE,
            RestOperationTypeEnum.PATCH,
            RestOperationTypeEnum.TRANSACTION);

    /**
     * The same decision again where HAPI asks only this: a paging link ({@code _getpages}) serves
     * results a search of another caller loaded, which were never checked for this one; and during a
     * write, the matches of its conditional URLs ({@code If-None-Exist}, {@code PUT
     * Patient?identifier=...}, a conditional reference in a transaction) are shown here, so that a
     * conditional write never matches what the caller may not see (nor tells that it exists).
     */
    @Override
    public ConsentOutcome willSeeResource(
            RequestDetails request, IBaseResource resource, IConsentContextServices services) {
        // The answer's own Bundle and OperationOutcome are no one's data.
        if (!CHECKED_AGAIN.contains(request.getRestOperationType())
                || resource instanceof IBaseBundle
                || resource instanceof IBaseOperationOutcome) {
            return ConsentOutcome.PROCEED;
        }
        return canSeeResource(request, resource, services);
    }

    @Override
    public ConsentOutcome canSeeResource(
            RequestDetails request, IBaseResource resource, IConsentContextServices services) {
        return Caller.current()
                .filter(c -> c.is(Role.HOSPITAL) || c.is(Role.APP))
                .map(caller -> mayRead(caller, request.getFhirContext().getResourceType(resource))
                                && (!caller.is(Role.HOSPITAL) || FacilityTagging.belongsTo(caller, resource))
                                // Binary holds Bulk Data export files, which are not an app's to read.
                                && !(caller.is(Role.APP) && resource instanceof IBaseBinary)
                                // The audit trail, however it is reached, is not theirs either.
                                && !(resource instanceof org.hl7.fhir.r4.model.AuditEvent)
                        ? ConsentOutcome.PROCEED
                        : ConsentOutcome.REJECT)
                .orElse(ConsentOutcome.PROCEED);
    }

    private static boolean mayRead(Caller caller, String type) {
        return caller.resourceScopes().stream()
                .anyMatch(s -> s.allows(type, Permission.READ) || s.allows(type, Permission.SEARCH));
    }
}
