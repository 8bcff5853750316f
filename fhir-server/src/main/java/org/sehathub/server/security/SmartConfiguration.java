package org.sehathub.server.security;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * {@code GET /fhir/.well-known/smart-configuration}: how a SMART client gets a token from this
 * server (SMART App Launch 2.x, "Conformance"). A servlet of its own because {@code /fhir/*}
 * belongs to HAPI; the servlet container gives an exact path precedence over that prefix.
 */
public class SmartConfiguration extends HttpServlet {

	public static final String PATH = "/fhir/.well-known/smart-configuration";
	static final String TOKEN_PATH = "/oauth2/token";
	static final String JWKS_PATH = "/oauth2/jwks";

	private static final ObjectMapper JSON = new ObjectMapper();

	private final String configuredIssuer;

	public SmartConfiguration(String configuredIssuer) {
		this.configuredIssuer = configuredIssuer;
	}

	@Override
	protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
		response.setContentType("application/json");
		response.setHeader("Cache-Control", "max-age=3600");
		JSON.writeValue(response.getOutputStream(), document(issuer(configuredIssuer, request)));
	}

	/** The issuer as configured, or the server's own URL as the request reached it. */
	static String issuer(String configured, HttpServletRequest request) {
		if (!configured.isBlank()) {
			return configured;
		}
		return UriComponentsBuilder.fromUriString(request.getRequestURL().toString())
				.replacePath(request.getContextPath())
				.replaceQuery(null)
				.build()
				.toUriString();
	}

	static Map<String, Object> document(String issuer) {
		Map<String, Object> doc = new LinkedHashMap<>();
		doc.put("issuer", issuer);
		doc.put("jwks_uri", issuer + JWKS_PATH);
		doc.put("token_endpoint", issuer + TOKEN_PATH);
		doc.put("grant_types_supported", List.of("client_credentials"));
		doc.put("token_endpoint_auth_methods_supported", List.of("private_key_jwt"));
		doc.put("token_endpoint_auth_signing_alg_values_supported",
				ClientAssertionDecoders.ALGORITHMS.stream().map(a -> a.getName()).sorted().toList());
		doc.put("scopes_supported", List.of("system/*.cruds", "system/*.rs", "system/*.read", "system/*.write"));
		doc.put("capabilities", List.of("client-confidential-asymmetric", "permission-v2", "permission-v1"));
		return doc;
	}
}
