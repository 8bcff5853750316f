package org.sehathub.server.security;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import java.util.List;
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
 */
@Validated
@ConfigurationProperties("sehat.security")
public record SecurityProperties(
		@DefaultValue("true") boolean enabled,
		@DefaultValue("") String issuer,
		@NotNull @DefaultValue("5m") Duration backendTokenLifetime,
		@NotNull @DefaultValue("5m") Duration maxAssertionLifetime,
		@Valid @DefaultValue({}) List<Client> clients) {

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
	 */
	public record Client(
			@NotBlank String id,
			@DefaultValue("") String name,
			@NotNull Role role,
			@DefaultValue({}) List<String> scopes,
			@DefaultValue("") String jwks,
			@DefaultValue("") String jwksUrl,
			@DefaultValue({}) List<String> facilities,
			@DefaultValue("") String organization) {}
}
