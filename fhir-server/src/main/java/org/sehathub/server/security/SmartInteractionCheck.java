package org.sehathub.server.security;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import ca.uhn.fhir.rest.server.interceptor.consent.ConsentInterceptor;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.sehathub.server.security.SmartScope.Permission;

/**
 * Tells SMART v2's {@code r} (read by id) and {@code s} (search) apart, which HAPI's read rule
 * does not: {@code system/Patient.r} lets a hospital read a patient it knows the id of, not list
 * every patient. Runs before {@link FhirAuthorizationRules}, for hospitals and apps. A search may
 * test other types' data through chains and {@code _has} only when the caller may search every type.
 *
 * <p>Also exempts operators from {@link ScopeConsent}: HAPI's ConsentInterceptor refuses
 * {@code _summary=count} to anyone it applies to (a count would reveal resources left out), and an
 * operator has nothing left out.
 */
public class SmartInteractionCheck {

    /**
     * A chained parameter ({@code subject:Patient.name=Khan}) or {@code _has} tests resources of
     * another type: its answer tells a client about data its scopes may not cover (hapi-fhir #6065).
     * Allowed only to callers that may search every type.
     */
    private static void refuseCriteriaOnOtherTypes(RequestDetails request) {
        for (String name : request.getParameters().keySet()) {
            String base = name.contains(":") ? name.substring(0, name.indexOf(':')) : name;
            if (name.startsWith("_has") || (name.contains(".") && !base.startsWith("_"))) {
                throw new ForbiddenOperationException("Search parameter " + name
                        + " tests resources of another type; it needs a token that may search every type (system/*.s)");
            }
        }
    }

    private static boolean mayReadEverything(Caller caller) {
        return caller.resourceScopes().stream()
                .anyMatch(s -> s.resourceType().equals(SmartScope.ANY_TYPE)
                        && s.permissions().contains(Permission.SEARCH));
    }

    /**
     * Narrows a hospital's searches to what its facilities wrote ({@code _tag}), so that pages,
     * totals and paging links hold only that; {@link ScopeConsent} filters what else a search brings
     * along. Runs once the operation is known and before HAPI reads the parameters.
     */
    @Hook(Pointcut.SERVER_INCOMING_REQUEST_POST_PROCESSED)
    public void narrowToOwnFacilities(RequestDetails request) {
        RestOperationTypeEnum operation = request.getRestOperationType();
        if (operation != RestOperationTypeEnum.SEARCH_TYPE && operation != RestOperationTypeEnum.SEARCH_SYSTEM) {
            return;
        }
        Caller.current().filter(c -> c.is(Role.HOSPITAL)).ifPresent(caller -> {
            String own = FacilityTagging.tagValues(caller);
            Map<String, String[]> parameters = new HashMap<>(request.getParameters());
            String[] tags = parameters.getOrDefault("_tag", new String[0]);
            String[] narrowed = Arrays.copyOf(tags, tags.length + 1);
            narrowed[tags.length] = own;
            parameters.put("_tag", narrowed);
            request.setParameters(parameters);
        });
    }

    @Hook(Pointcut.SERVER_INCOMING_REQUEST_PRE_HANDLED)
    public void check(RequestDetails request, RestOperationTypeEnum operation) {
        if (Caller.current().filter(c -> c.is(Role.OPERATOR)).isPresent()) {
            ConsentInterceptor.skipAllConsentForRequest(request);
            return;
        }
        if ("AuditEvent".equals(request.getResourceName())
                && Caller.current()
                        .filter(c -> c.is(Role.HOSPITAL) || c.is(Role.APP))
                        .isPresent()) {
            // Whatever the scopes: the trail names every patient and who looked at her. (Not a
            // deny rule: HAPI applies a read rule on one type to paging links of every type.)
            throw new ForbiddenOperationException("The audit trail is for operators and privacy officers");
        }
        Permission needed = switch (operation) {
            case SEARCH_TYPE -> Permission.SEARCH;
            case READ, VREAD -> Permission.READ;
            default -> null;
        };
        if (needed == null || request.getResourceName() == null) {
            return;
        }
        Caller.current().filter(c -> c.is(Role.HOSPITAL) || c.is(Role.APP)).ifPresent(caller -> {
            if (needed == Permission.SEARCH && !mayReadEverything(caller)) {
                refuseCriteriaOnOtherTypes(request);
            }
            boolean allowed =
                    caller.resourceScopes().stream().anyMatch(s -> s.allows(request.getResourceName(), needed));
            if (!allowed) {
                throw new ForbiddenOperationException("The token's scopes do not allow "
                        + (needed == Permission.SEARCH ? "searching " : "reading ")
                        + request.getResourceName() + " (SMART permission "
                        + needed.name().toLowerCase(java.util.Locale.ROOT).charAt(0) + ")");
            }
        });
    }
}
