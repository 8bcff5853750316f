package org.sehathub.server.security;

import com.nimbusds.jwt.JWTParser;
import jakarta.servlet.http.HttpServletRequest;
import java.text.ParseException;
import java.util.Map;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientAuthenticationToken;
import org.springframework.security.web.authentication.AuthenticationConverter;

/**
 * Reads a client assertion sent without {@code client_id}, as SMART Backend Services clients send
 * it (RFC 7523 makes {@code client_id} optional; Spring Authorization Server requires it): the
 * client is the assertion's {@code sub}. Only names the client to look up: the signature and
 * {@code iss = sub = client} are verified afterwards by {@link ClientAssertionDecoders}. A request
 * with {@code client_id} is left to Spring's own converter.
 */
public class AssertionClientIdConverter implements AuthenticationConverter {

    static final String JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

    /**
     * The client a token request says it is, for the audit trail of a refusal: {@code client_id},
     * or the (unverified) {@code sub} of its assertion, or {@code unknown}.
     */
    public static String claimedClient(HttpServletRequest request) {
        String clientId = request.getParameter("client_id");
        if (clientId != null && !clientId.isBlank()) {
            return clientId;
        }
        String assertion = request.getParameter("client_assertion");
        try {
            String subject = assertion == null
                    ? null
                    : JWTParser.parse(assertion).getJWTClaimsSet().getSubject();
            return subject == null || subject.isBlank() ? "unknown" : subject;
        } catch (ParseException e) {
            return "unknown";
        }
    }

    @Override
    public Authentication convert(HttpServletRequest request) {
        String[] types = request.getParameterValues("client_assertion_type");
        String[] assertions = request.getParameterValues("client_assertion");
        if (types == null || assertions == null || request.getParameter("client_id") != null) {
            return null;
        }
        if (types.length != 1 || assertions.length != 1 || !JWT_BEARER.equals(types[0])) {
            throw new OAuth2AuthenticationException(OAuth2ErrorCodes.INVALID_REQUEST);
        }
        String subject;
        try {
            subject = JWTParser.parse(assertions[0]).getJWTClaimsSet().getSubject();
        } catch (ParseException e) {
            throw new OAuth2AuthenticationException(OAuth2ErrorCodes.INVALID_CLIENT);
        }
        if (subject == null || subject.isBlank()) {
            throw new OAuth2AuthenticationException(OAuth2ErrorCodes.INVALID_CLIENT);
        }
        return new OAuth2ClientAuthenticationToken(
                subject, new ClientAuthenticationMethod(JWT_BEARER), assertions[0], Map.of());
    }
}
