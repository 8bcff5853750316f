package org.sehathub.server.security;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;

/**
 * Who is calling, as its access token says: the client, its role, the SMART scopes it was granted
 * and, for a hospital, the facilities it sends for; for an app launched by a signed-in user, who
 * she is ({@code fhirUser}) and, for a patient, her own record ({@code patient}). Made from the
 * verified token of the request.
 */
public record Caller(
        String clientId,
        Role role,
        List<SmartScope> scopes,
        List<String> facilities,
        String organization,
        String fhirUser,
        String patient) {

    /** Claims this server adds to the access tokens it issues. */
    public static final String ROLE_CLAIM = "sehat_role";

    public static final String FACILITIES_CLAIM = "sehat_facilities";
    public static final String ORGANIZATION_CLAIM = "sehat_organization";
    /** The client, when the token's {@code sub} is not it (a trusted issuer's service account). */
    public static final String CLIENT_ID_CLAIM = "sehat_client_id";
    /** SMART's claims of a user's token: who signed in, and the patient whose record it is confined to. */
    public static final String FHIR_USER_CLAIM = "fhirUser";

    public static final String PATIENT_CLAIM = "patient";

    public Caller {
        scopes = List.copyOf(scopes);
        facilities = List.copyOf(facilities);
    }

    /** The caller of the current request, when it carried a valid token. */
    public static Optional<Caller> current() {
        return of(SecurityContextHolder.getContext().getAuthentication());
    }

    /** The caller an authentication stands for, when it is a verified token. */
    public static Optional<Caller> of(Authentication authentication) {
        if (authentication instanceof CallerAuthentication known) {
            return Optional.of(known.caller());
        }
        if (authentication instanceof JwtAuthenticationToken token) {
            return Optional.of(from(token.getToken()));
        }
        return Optional.empty();
    }

    /** Reads a verified access token; a token without a role is a caller without rights. */
    public static Caller from(Jwt token) {
        String role = token.getClaimAsString(ROLE_CLAIM);
        List<SmartScope> scopes = scopeNames(token).stream()
                .flatMap(s -> SmartScope.parse(s).stream())
                .toList();
        List<String> facilities =
                token.hasClaim(FACILITIES_CLAIM) ? token.getClaimAsStringList(FACILITIES_CLAIM) : List.of();
        String organization = token.hasClaim(ORGANIZATION_CLAIM) ? token.getClaimAsString(ORGANIZATION_CLAIM) : "";
        return new Caller(
                token.hasClaim(CLIENT_ID_CLAIM) ? token.getClaimAsString(CLIENT_ID_CLAIM) : token.getSubject(),
                roleOf(role),
                scopes,
                facilities,
                organization,
                token.hasClaim(FHIR_USER_CLAIM) ? token.getClaimAsString(FHIR_USER_CLAIM) : null,
                token.hasClaim(PATIENT_CLAIM) ? token.getClaimAsString(PATIENT_CLAIM) : null);
    }

    /**
     * The SMART resource scopes that apply to this token: a backend service's {@code system/} ones;
     * a signed-in user's {@code user/} ones, and {@code patient/} ones when the token has a patient.
     */
    public List<SmartScope> resourceScopes() {
        return scopes.stream()
                .filter(s -> fhirUser == null
                        ? s.context() == SmartScope.Context.SYSTEM
                        : s.context() == SmartScope.Context.USER
                                || (s.context() == SmartScope.Context.PATIENT && patient != null))
                .toList();
    }

    /** The patient whose compartment this token is confined to, when it is (a patient's own record). */
    public Optional<String> compartment() {
        return Optional.ofNullable(patient);
    }

    private static Role roleOf(String claim) {
        try {
            return claim == null ? null : Role.fromClaim(claim);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** The {@code scope} claim as a list, whether the issuer wrote it as a list or as one string. */
    static Collection<String> scopeNames(Jwt token) {
        Object scope = token.getClaim("scope");
        if (scope instanceof Collection<?> list) {
            return list.stream().map(String::valueOf).toList();
        }
        if (scope instanceof String text && !text.isBlank()) {
            return List.of(text.trim().split("\\s+"));
        }
        return List.of();
    }

    public boolean is(Role other) {
        return role == other;
    }
}
