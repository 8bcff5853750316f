package org.sehathub.server.security;

import java.util.Set;

/**
 * What the token endpoint reports for the audit trail: every token issued and every request
 * refused. Implemented by the audit package; none when auditing is off.
 */
public interface TokenEvents {

	TokenEvents NONE = new TokenEvents() {
		@Override
		public void issued(String clientId, String grantType, Set<String> scopes) {}

		@Override
		public void refused(String claimedClient, String error) {}
	};

	/**
	 * @param clientId the authenticated client
	 * @param grantType {@code client_credentials}, {@code authorization_code}, {@code refresh_token}
	 * @param scopes the scopes granted
	 */
	void issued(String clientId, String grantType, Set<String> scopes);

	/**
	 * @param claimedClient the client the request said it was ({@code client_id}, or the unverified
	 *     {@code iss} of its assertion), or {@code unknown}
	 * @param error the RFC 6749 error code answered ({@code invalid_client}, {@code invalid_scope})
	 */
	void refused(String claimedClient, String error);
}
