package org.sehathub.server.security;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Who may call the server ({@code sehat.security.*}, docs/security.md).
 *
 * @param enabled false turns authorization off, for development on loopback only: refused at
 *     start-up when the server or the MLLP listener listens beyond loopback
 * @param issuer the {@code iss} of the tokens this server signs, and the audience client assertions
 *     must name together with the token endpoint; empty means the URL the request came in on
 * @param backendTokenLifetime how long an access token issued to a backend service lives
 * @param maxAssertionLifetime the longest a client assertion may be valid ({@code exp - iat}); SMART
 *     Backend Services says five minutes
 * @param clients the registered clients, kept as configuration by operators
 * @param allowedHosts host names requests may be addressed to (the {@code Host} header), besides
 *     loopback's and those of {@code issuer} and {@code sehat.fhir.server-address}: anything else is
 *     refused (400), so a web page cannot reach the server by DNS rebinding
 * @param users the people who sign in to apps (SMART App Launch) through this server's sign-in page
 * @param trustedIssuers external OpenID Connect issuers (Keycloak or another) whose access tokens
 *     are accepted beside this server's own, their claims mapped to roles, scopes and facilities
 * @param corsAllowedOrigins web origins ({@code https://app.example.pk}) whose pages may call
 *     {@code /fhir}, the token endpoint and the JWKS from a browser (CORS); empty, the default,
 *     sends no CORS headers, so browsers refuse cross-origin calls
 * @param dashboard the analysts' dashboard's sign-in ({@link Dashboard})
 */
@Validated
@ConfigurationProperties("sehat.security")
public record SecurityProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("") String issuer,
        @NotNull @DefaultValue("5m") Duration backendTokenLifetime,
        @NotNull @DefaultValue("5m") Duration maxAssertionLifetime,
        @Valid @DefaultValue({}) List<Client> clients,
        @DefaultValue({}) List<String> allowedHosts,
        @Valid @DefaultValue({}) List<User> users,
        @Valid @DefaultValue({}) List<TrustedIssuer> trustedIssuers,
        @DefaultValue({}) List<String> corsAllowedOrigins,
        @Valid @DefaultValue Dashboard dashboard) {

    /**
     * A person who signs in to an app (SMART App Launch): a patient reading her own record, a
     * clinician. Passwords are kept as hashes only ({@code SmartClientTool hash-password}).
     *
     * @param username what she types
     * @param passwordHash the password's hash with its algorithm, {@code {bcrypt}$2a$10$...}
     * @param fhirUser who she is in the record: {@code Patient/123} or {@code Practitioner/45}; a
     *     patient's apps see her own compartment only
     * @param name her name for the sign-in page's messages
     * @param role empty for a patient or clinician, who signs in to apps; {@code analyst} for a
     *     ministry analyst, who signs in to the analysts' tools (the dashboard) and to nothing else
     */
    public record User(
            @NotBlank String username,
            @NotBlank String passwordHash,
            @DefaultValue("") String fhirUser,
            @DefaultValue("") String name,
            @DefaultValue("") String role) {

        /** Whether she signs in to the analysts' tools (role {@code analyst}) rather than to apps. */
        public boolean analyst() {
            return Role.ANALYST.claimValue().equals(role);
        }
    }

    /**
     * The analysts' dashboard ({@code /dashboard}), a public client of this server signed in to by
     * users with role {@code analyst}.
     *
     * @param enabled false removes its client: nobody can sign in to it
     * @param redirectUris where the browser comes back after signing in: the dashboard's address as
     *     analysts reach it ({@code https://hub.example.pk/dashboard/}); a loopback address matches
     *     any port. {@code <issuer>/dashboard/} is added when {@code sehat.security.issuer} is set.
     */
    public record Dashboard(
            @DefaultValue("true") boolean enabled,
            @DefaultValue("http://127.0.0.1/dashboard/") List<String> redirectUris) {}

    /**
     * An external issuer, in production where clients get their tokens from the ministry's
     * identity provider rather than from this server.
     *
     * @param issuer its {@code iss}, exactly; its keys are found from
     *     {@code <issuer>/.well-known/openid-configuration} on first use, unless
     * @param jwkSetUri names them
     * @param audience the {@code aud} its tokens must carry for this server (empty: not checked)
     * @param clientIdClaim the claim naming the client ({@code azp} in Keycloak; {@code sub} if absent)
     * @param roleClaim the claim holding roles, a dotted path into nested objects
     *     ({@code realm_access.roles}); a string or a list
     * @param roles the issuer's role names mapped to ours ({@code sehat-hospital: hospital}); the
     *     first of the token's roles found here counts
     * @param facilitiesClaim the claim listing a hospital's facilities
     * @param organizationClaim the claim naming an app's organization
     */
    public record TrustedIssuer(
            @NotBlank String issuer,
            @DefaultValue("") String jwkSetUri,
            @DefaultValue("") String audience,
            @DefaultValue("azp") String clientIdClaim,
            @DefaultValue("realm_access.roles") String roleClaim,
            @DefaultValue Map<String, Role> roles,
            @DefaultValue("sehat_facilities") String facilitiesClaim,
            @DefaultValue("organization") String organizationClaim) {}

    /**
     * One registered client.
     *
     * @param id the {@code client_id}, also the {@code iss} and {@code sub} of its assertions
     * @param name a name for people (logs never carry it with identities)
     * @param role what kind of caller it is
     * @param scopes the SMART scopes it may ask for ({@code system/*.rs} also grants
     *     {@code system/Observation.rs})
     * @param jwks its public keys as a JWK Set in JSON (no private parts); or
     * @param jwksUrl where it publishes them
     * @param facilities for a hospital: the facility codes (MSH-4, CSV facility) it sends for
     * @param organization for an app: the organization that runs it
     * @param mllpCertificateSubject for a hospital sending HL7 v2 over MLLP with TLS: the subject of
     *     its client certificate ({@code CN=mayo-his,O=Mayo Hospital,C=PK})
     * @param mllpLoopback true for the one hospital whose plain MLLP messages from this machine's
     *     loopback are accepted (an interface engine on the same host); nobody else's are
     * @param redirectUris for an app launched by a signed-in user (SMART App Launch,
     *     {@code authorization_code} with PKCE): where the authorization code may be sent. An app with
     *     redirect URIs and no keys is a public client (a phone or browser app)
     */
    public record Client(
            @NotBlank String id,
            @DefaultValue("") String name,
            @NotNull Role role,
            @DefaultValue({}) List<String> scopes,
            @DefaultValue("") String jwks,
            @DefaultValue("") String jwksUrl,
            @DefaultValue({}) List<String> facilities,
            @DefaultValue("") String organization,
            @DefaultValue("") String mllpCertificateSubject,
            @DefaultValue("false") boolean mllpLoopback,
            @DefaultValue({}) List<String> redirectUris) {

        /** A public client: no keys to authenticate with, so PKCE alone protects its codes. */
        public boolean isPublic() {
            return jwks.isBlank() && jwksUrl.isBlank();
        }
    }
}
