package org.sehathub.server.security;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import ca.uhn.fhir.rest.server.interceptor.auth.AuthorizationInterceptor;
import ca.uhn.fhir.rest.server.interceptor.auth.IAuthRule;
import ca.uhn.fhir.rest.server.interceptor.auth.IAuthRuleBuilderAppliesTo;
import ca.uhn.fhir.rest.server.interceptor.auth.PolicyEnum;
import ca.uhn.fhir.rest.server.interceptor.auth.RuleBuilder;
import java.util.List;
import java.util.Optional;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Patient;
import org.sehathub.server.security.SmartScope.Permission;

/**
 * HAPI's {@link AuthorizationInterceptor} with rules made from the caller's token for every FHIR
 * request: operators may do everything; analysts nothing but read the CapabilityStatement (they
 * get aggregates and de-identified data elsewhere, never an identifiable resource); hospitals and
 * apps what their scopes grant, type by type ({@code system/} for a backend service; {@code user/}
 * and {@code patient/} for a signed-in user, a patient confined to her own compartment). Whatever no rule allows is refused
 * with 403 and an OperationOutcome. Resources a search brings along ({@code _include},
 * {@code _revinclude}, {@code $everything}) are checked one by one against the same rules.
 *
 * <p>A hospital is narrowed further to its own facilities' resources by {@link FacilityTagging},
 * {@link ScopeConsent} and {@link SmartInteractionCheck}. A patient's token reaching for a resource
 * by id outside her compartment is answered 404, as if it did not exist.
 */
public class FhirAuthorizationRules extends AuthorizationInterceptor {

    /**
     * Resource types whose writes change what the server does for everyone (new search parameters,
     * subscriptions, the terminology the normalizer and $translate use): written by operators only,
     * whatever a client's scopes say ({@code system/*.cruds} included).
     */
    static final List<String> SERVER_DEFINITIONS = List.of(
            "SearchParameter",
            "Subscription",
            "StructureDefinition",
            "ValueSet",
            "CodeSystem",
            "ConceptMap",
            "NamingSystem",
            "OperationDefinition",
            "CompartmentDefinition",
            "ImplementationGuide",
            "CapabilityStatement",
            "StructureMap");

    public FhirAuthorizationRules() {
        super(PolicyEnum.DENY);
    }

    /**
     * Each resource a delete removes, by id or by a conditional URL: server definitions are for
     * operators, and an app (not a patient's own token) deletes no Consent.
     */
    @Hook(Pointcut.STORAGE_PRESTORAGE_RESOURCE_DELETED)
    public void refuseDeletingServerDefinitions(RequestDetails request, IBaseResource resource) {
        String type = request.getFhirContext().getResourceType(resource);
        if (SERVER_DEFINITIONS.contains(type)
                && Caller.current().filter(c -> !c.is(Role.OPERATOR)).isPresent()) {
            throw new ForbiddenOperationException(type + " changes how the server behaves: operators only");
        }
        if ("Consent".equals(type)
                && Caller.current()
                        .filter(c -> c.is(Role.APP) && c.compartment().isEmpty())
                        .isPresent()) {
            throw new ForbiddenOperationException("an app does not record patients' consent");
        }
    }

    /**
     * A resource outside a patient's compartment, asked for by id, does not exist for her token: 404
     * rather than 403, which would tell that the id is taken. Refusals by type or scope stay 403.
     */
    @Override
    protected void handleDeny(RequestDetails request, Verdict verdict) {
        boolean byId = request.getId() != null && request.getId().hasIdPart();
        if (byId && Caller.current().flatMap(Caller::compartment).isPresent()) {
            throw new ResourceNotFoundException(request.getId().toUnqualifiedVersionless());
        }
        super.handleDeny(request, verdict);
    }

    @Override
    public List<IAuthRule> buildRuleList(RequestDetails request) {
        return Caller.current()
                .map(FhirAuthorizationRules::rulesFor)
                .orElseGet(() -> new RuleBuilder()
                        .allow("capability statement")
                        .metadata()
                        .andThen()
                        .denyAll("no valid access token")
                        .build());
    }

    static List<IAuthRule> rulesFor(Caller caller) {
        RuleBuilder rules = new RuleBuilder();
        if (caller.is(Role.OPERATOR)) {
            return rules.allowAll("operator").build();
        }
        rules.allow("capability statement").metadata();
        if (caller.is(Role.PRIVACY_OFFICER)) {
            rules.allow("privacy officer: the audit trail")
                    .read()
                    .resourcesOfType("AuditEvent")
                    .withAnyId();
        }
        if (caller.is(Role.HOSPITAL) || caller.is(Role.APP)) {
            for (String type : SERVER_DEFINITIONS) {
                String reason = type + " changes how the server behaves: operators only";
                rules.deny(reason).create().resourcesOfType(type).withAnyId();
                rules.deny(reason).write().resourcesOfType(type).withAnyId();
                rules.deny(reason).createConditional().resourcesOfType(type);
                rules.deny(reason).updateConditional().resourcesOfType(type);
                // Deletes are refused by refuseDeletingServerDefinitions: HAPI applies delete rules on a
                // type to conditional deletes of every type.
            }
            Optional<String> compartment = caller.compartment();
            if (caller.is(Role.APP) && compartment.isEmpty()) {
                // Consent is given by the patient (her own token) or recorded by a hospital or an
                // operator, never by the app it grants.
                String reason = "an app does not record patients' consent";
                rules.deny(reason).create().resourcesOfType("Consent").withAnyId();
                rules.deny(reason).write().resourcesOfType("Consent").withAnyId();
                rules.deny(reason).createConditional().resourcesOfType("Consent");
                rules.deny(reason).updateConditional().resourcesOfType("Consent");
            }
            caller.resourceScopes().forEach(scope -> {
                if (compartment.isPresent()) {
                    addCompartmentScope(rules, scope, new IdType("Patient", compartment.get()));
                } else {
                    addScope(rules, scope);
                }
            });
        }
        return rules.denyAll("not allowed for role " + caller.role() + " with the scopes granted")
                .build();
    }

    private static void addScope(RuleBuilder rules, SmartScope scope) {
        String name = scope.toString();
        boolean anyType = scope.resourceType().equals(SmartScope.ANY_TYPE);
        if (scope.permissions().contains(Permission.READ) || scope.permissions().contains(Permission.SEARCH)) {
            // HAPI's read rule covers read, vread, search and history; r and s are told apart by
            // SmartInteractionCheck before the rules run.
            on(rules.allow(name).read(), scope).withAnyId();
            if (anyType || scope.resourceType().equals("Patient")) {
                rules.allow(name)
                        .operation()
                        .named("everything")
                        .onInstancesOfType(Patient.class)
                        .andRequireExplicitResponseAuthorization();
                // Each record it returns is checked against these rules like a read.
                rules.allow(name)
                        .operation()
                        .named("match")
                        .onType(Patient.class)
                        .andRequireExplicitResponseAuthorization();
                // Answers identifiers, not resources: the records are read with the caller's rights.
                rules.allow(name)
                        .operation()
                        .named("ihe-pix")
                        .onType(Patient.class)
                        .andAllowAllResponses();
            }
            rules.allow(name).operation().named("meta").atAnyLevel().andRequireExplicitResponseAuthorization();
            rules.allow(name).operation().named("validate").atAnyLevel().andAllowAllResponses();
            if (anyType) {
                rules.allow(name)
                        .operation()
                        .named("everything")
                        .onType(Patient.class)
                        .andRequireExplicitResponseAuthorization();
            }
        }
        if (scope.permissions().contains(Permission.CREATE)) {
            on(rules.allow(name).create(), scope).withAnyId();
            on(rules.allow(name).createConditional(), scope);
        }
        if (scope.permissions().contains(Permission.UPDATE)) {
            // FHIR update may create a resource at a client-chosen id; HAPI's write rule is update or create.
            on(rules.allow(name).write(), scope).withAnyId();
            on(rules.allow(name).updateConditional(), scope);
            if (anyType) {
                rules.allow(name).patch().allRequests();
            }
        }
        if (scope.permissions().contains(Permission.DELETE)) {
            on(rules.allow(name).delete(), scope).withAnyId();
            on(rules.allow(name).deleteConditional(), scope);
        }
        if (scope.permissions().stream().anyMatch(p -> p != Permission.READ && p != Permission.SEARCH)) {
            rules.allow(name).transaction().withAnyOperation().andApplyNormalRules();
        }
    }

    /**
     * A patient's own record only (a patient signed in to an app): every interaction her scopes allow,
     * on resources in her compartment. HAPI's SearchNarrowingInterceptor ({@link
     * PatientCompartmentNarrowing}) adds her to searches so that they can be proven in it.
     */
    private static void addCompartmentScope(RuleBuilder rules, SmartScope scope, IdType patient) {
        String name = scope + " in " + patient.getValue();
        boolean anyType = scope.resourceType().equals(SmartScope.ANY_TYPE);
        if (scope.permissions().contains(Permission.READ) || scope.permissions().contains(Permission.SEARCH)) {
            on(rules.allow(name).read(), scope).inCompartment("Patient", patient);
            if (anyType || scope.resourceType().equals("Patient")) {
                rules.allow(name)
                        .operation()
                        .named("everything")
                        .onInstance(patient)
                        .andRequireExplicitResponseAuthorization();
            }
        }
        if (scope.permissions().contains(Permission.CREATE)) {
            on(rules.allow(name).create(), scope).inCompartment("Patient", patient);
        }
        if (scope.permissions().contains(Permission.UPDATE)) {
            on(rules.allow(name).write(), scope).inCompartment("Patient", patient);
        }
        if (scope.permissions().contains(Permission.DELETE)) {
            on(rules.allow(name).delete(), scope).inCompartment("Patient", patient);
        }
        if (scope.permissions().stream().anyMatch(p -> p != Permission.READ && p != Permission.SEARCH)) {
            rules.allow(name).transaction().withAnyOperation().andApplyNormalRules();
        }
    }

    /** The rule for every resource type or for the scope's one type. */
    private static <T> T on(IAuthRuleBuilderAppliesTo<T> rule, SmartScope scope) {
        return scope.resourceType().equals(SmartScope.ANY_TYPE)
                ? rule.allResources()
                : rule.resourcesOfType(scope.resourceType());
    }
}
