package org.sehathub.server.security;

import jakarta.servlet.http.HttpServletRequest;
import java.util.Optional;
import org.apache.camel.Exchange;
import org.apache.camel.component.platform.http.springboot.PlatformHttpMessage;
import org.sehathub.ingest.SenderNotPermittedException;
import org.sehathub.ingest.SenderPolicy;
import org.sehathub.mappers.NamingSystems;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.security.web.context.RequestAttributeSecurityContextRepository;

/**
 * Over HTTP, a message must name one of the facilities its token's client is registered for
 * ({@code sehat.security.clients[].facilities}): a hospital cannot send, and so cannot create or
 * change patients, in another facility's name. Facilities are compared as the identifier
 * namespaces they become ({@code Mayo Hospital Lahore} = {@code mayo-hospital-lahore}).
 *
 * <p>Camel answers HTTP on a thread of its own, where Spring Security's thread-bound context is not
 * set; the request carries it as an attribute (Spring's {@link
 * RequestAttributeSecurityContextRepository}). MLLP has no token: its senders are not authenticated
 * yet (docs/security.md) and pass unchecked.
 */
public class TokenSenderPolicy implements SenderPolicy {

	@Override
	public void check(Exchange exchange, String location, String facility) {
		if (!(exchange.getMessage() instanceof PlatformHttpMessage http)) {
			return;
		}
		Caller caller = callerOf(http.getRequest()).orElseThrow(
				() -> new SenderNotPermittedException("Authorization", "no authenticated client on this request"));
		if (facility == null || facility.isBlank()) {
			throw new SenderNotPermittedException(location, "names no facility; client " + caller.clientId()
					+ " sends for " + caller.facilities());
		}
		String namespace = namespaceOf(facility);
		boolean registered = caller.facilities().stream().anyMatch(f -> namespaceOf(f).equals(namespace));
		if (!registered) {
			throw new SenderNotPermittedException(location, "client " + caller.clientId() + " may not send for facility "
					+ facility + "; it is registered for " + caller.facilities());
		}
	}

	private static Optional<Caller> callerOf(HttpServletRequest request) {
		Object context = request.getAttribute(RequestAttributeSecurityContextRepository.DEFAULT_REQUEST_ATTR_NAME);
		if (context instanceof SecurityContext security
				&& security.getAuthentication() instanceof JwtAuthenticationToken token) {
			return Optional.of(Caller.from(token.getToken()));
		}
		return Optional.empty();
	}

	/** The facility's first HL7 component, as the identifier namespace the mappers make of it. */
	static String namespaceOf(String facility) {
		String name = facility.contains("^") ? facility.substring(0, facility.indexOf('^')) : facility;
		return name.isBlank() ? "" : NamingSystems.slug(name);
	}
}
