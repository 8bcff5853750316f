package org.sehathub.server.security;

import java.util.Collection;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;

/**
 * A verified token with its {@link Caller} read once: the HAPI interceptors ask for the caller
 * several times per request, {@link ScopeConsent} once per resource returned.
 */
public class CallerAuthentication extends JwtAuthenticationToken {

    private static final long serialVersionUID = 1L;

    private final transient Caller caller;

    public CallerAuthentication(Jwt token, Collection<? extends GrantedAuthority> authorities, Caller caller) {
        super(token, authorities, caller.clientId());
        this.caller = caller;
    }

    public Caller caller() {
        return caller;
    }
}
