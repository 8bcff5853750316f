package org.sehathub.server.security;

import java.util.Set;

/**
 * What access control reports for the audit trail, outside what HAPI sees: every token issued or
 * refused, and every request refused before it reached {@code /fhir}'s own checks (no valid token,
 * 401; a role that may not use the path, 403). Implemented by the audit package; none when
 * auditing is off.
 */
public interface AccessEvents {

    AccessEvents NONE = new AccessEvents() {
        @Override
        public void tokenIssued(String clientId, String grantType, Set<String> scopes) {}

        @Override
        public void tokenRefused(String claimedClient, String error) {}

        @Override
        public void requestRefused(String clientId, String method, String path, int status) {}
    };

    /**
     * @param clientId the authenticated client
     * @param grantType {@code client_credentials}, {@code authorization_code}, {@code refresh_token}
     * @param scopes the scopes granted
     */
    void tokenIssued(String clientId, String grantType, Set<String> scopes);

    /**
     * @param claimedClient the client the request said it was ({@code client_id}, or the unverified
     *     {@code iss} of its assertion), or {@code unknown}
     * @param error the RFC 6749 error code answered ({@code invalid_client}, {@code invalid_scope})
     */
    void tokenRefused(String claimedClient, String error);

    /**
     * @param clientId the token's client, or {@code anonymous} without a valid token
     * @param path the request's path, without its query (which may hold identifiers)
     * @param status 401 or 403
     */
    void requestRefused(String clientId, String method, String path, int status);
}
