package org.sehathub.server.consent;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.jpa.api.dao.IFhirResourceDao;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import ca.uhn.fhir.rest.server.interceptor.consent.ConsentOutcome;
import ca.uhn.fhir.rest.server.interceptor.consent.IConsentContextServices;
import ca.uhn.fhir.rest.server.interceptor.consent.IConsentService;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.hl7.fhir.instance.model.api.IBaseBundle;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.instance.model.api.IIdType;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Practitioner;
import org.sehathub.server.security.Caller;
import org.sehathub.server.security.Role;

/**
 * Patient consent for apps (docs/security.md, "Patient consent"): an app's token (not a patient's
 * own) sees a patient's record only while her consents grant it ({@link PatientConsents}), and
 * then only the types granted; otherwise her resources are left out of every answer and asking for
 * her by id is answered 404, as if she did not exist. A signed-in clinician of another gender than
 * the one she asked for does not see what that preference covers, unless she breaks the glass with
 * a stated reason ({@code X-Break-Glass}), which {@link BreakGlass} records.
 *
 * <p>Run by HAPI's ConsentInterceptor (each resource, before it is loaded into an answer and again
 * on paging links) and, for requests naming a patient by id ({@code Patient/123},
 * {@code Patient/123/$everything}, {@code Patient/123/_history}), before HAPI handles them.
 */
public class AppConsentCheck implements IConsentService {

    /** The request header that carries a break-the-glass reason. */
    public static final String BREAK_GLASS_HEADER = "X-Break-Glass";

    private static final String GRANTS = AppConsentCheck.class.getName() + ".grants";
    private static final String GENDERS = AppConsentCheck.class.getName() + ".genders";

    private final PatientConsents consents;
    private final IFhirResourceDao<Practitioner> practitioners;
    private final BreakGlass breakGlass;

    public AppConsentCheck(
            PatientConsents consents, IFhirResourceDao<Practitioner> practitioners, BreakGlass breakGlass) {
        this.consents = consents;
        this.practitioners = practitioners;
        this.breakGlass = breakGlass;
    }

    @Hook(Pointcut.SERVER_INCOMING_REQUEST_PRE_HANDLED)
    public void patientById(RequestDetails request, RestOperationTypeEnum operation) {
        IIdType id = request.getId();
        if (!"Patient".equals(request.getResourceName()) || id == null || !id.hasIdPart()) {
            return;
        }
        app().ifPresent(caller -> {
            if (!grant(request, caller, id.getIdPart()).permitted()) {
                throw new ResourceNotFoundException(new IdType("Patient", id.getIdPart()));
            }
        });
    }

    @Override
    public ConsentOutcome canSeeResource(
            RequestDetails request, IBaseResource resource, IConsentContextServices services) {
        return app().map(caller -> decide(request, caller, resource)).orElse(ConsentOutcome.PROCEED);
    }

    /** Paging links serve what another caller's search loaded: decided again for this one. */
    @Override
    public ConsentOutcome willSeeResource(
            RequestDetails request, IBaseResource resource, IConsentContextServices services) {
        if (request.getRestOperationType() != RestOperationTypeEnum.GET_PAGE || resource instanceof IBaseBundle) {
            return ConsentOutcome.PROCEED;
        }
        return canSeeResource(request, resource, services);
    }

    private ConsentOutcome decide(RequestDetails request, Caller caller, IBaseResource resource) {
        String type = request.getFhirContext().getResourceType(resource);
        List<String> owners = "Patient".equals(type)
                ? List.of(resource.getIdElement().getIdPart())
                : request
                        .getFhirContext()
                        .newTerser()
                        .getCompartmentOwnersForResource("Patient", resource, Set.of())
                        .stream()
                        .map(IIdType::getIdPart)
                        .toList();
        for (String patient : owners) {
            Grant grant = grant(request, caller, patient);
            if (!grant.covers(type)) {
                return ConsentOutcome.REJECT;
            }
            if (grant.genderRuleCovers(type) && !clinicianMayBeShown(request, caller, patient, grant)) {
                return ConsentOutcome.REJECT;
            }
        }
        return ConsentOutcome.PROCEED;
    }

    /**
     * A signed-in practitioner of the gender she asked for, as the server's own practitioner
     * registry records it (never the token); or one who breaks the glass with a reason.
     */
    private boolean clinicianMayBeShown(RequestDetails request, Caller caller, String patient, Grant grant) {
        String user = caller.fhirUser();
        if (user == null || !user.contains("Practitioner/")) {
            // A backend service, no person: the preference is about who looks at her record.
            return true;
        }
        if (grant.clinicianGender().equals(genderOf(request, user))) {
            return true;
        }
        String reason = request.getHeader(BREAK_GLASS_HEADER);
        if (reason == null || reason.isBlank()) {
            return false;
        }
        breakGlass.record(request, caller, patient, reason.strip());
        return true;
    }

    private String genderOf(RequestDetails request, String fhirUser) {
        Map<String, String> genders = cache(request, GENDERS);
        return genders.computeIfAbsent(fhirUser, user -> {
            String id = user.substring(user.indexOf("Practitioner/") + "Practitioner/".length());
            try {
                Practitioner practitioner =
                        practitioners.read(new IdType("Practitioner", id), new SystemRequestDetails());
                return practitioner.hasGender() ? practitioner.getGender().toCode() : "unknown";
            } catch (ResourceNotFoundException e) {
                return "unknown";
            }
        });
    }

    private Grant grant(RequestDetails request, Caller caller, String patient) {
        Map<String, Grant> grants = cache(request, GRANTS);
        return grants.computeIfAbsent(patient, id -> consents.grantFor(id, caller));
    }

    @SuppressWarnings("unchecked")
    private static <V> Map<String, V> cache(RequestDetails request, String key) {
        return (Map<String, V>) request.getUserData().computeIfAbsent(key, k -> new HashMap<String, V>());
    }

    /** An app's own token; a patient's token is her own access, which needs no consent. */
    private static Optional<Caller> app() {
        return Caller.current().filter(c -> c.is(Role.APP) && c.compartment().isEmpty());
    }
}
