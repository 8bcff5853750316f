package org.sehathub.server.security;

import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientCredentialsAuthenticationContext;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientCredentialsAuthenticationToken;

/**
 * Which scopes a backend service may be granted: each one it asks for must be a {@code system/}
 * SMART scope covered by one it is registered for ({@code system/*.rs} covers
 * {@code system/Observation.rs} and {@code system/Observation.read}). Spring Authorization Server
 * compares scope strings exactly, which would make a client ask for its wildcard every time.
 * Anything else is refused with {@code invalid_scope} (RFC 6749 5.2), nothing granted silently.
 */
public class SmartScopeValidator implements Consumer<OAuth2ClientCredentialsAuthenticationContext> {

    private final ClientRegistry clients;

    public SmartScopeValidator(ClientRegistry clients) {
        this.clients = clients;
    }

    @Override
    public void accept(OAuth2ClientCredentialsAuthenticationContext context) {
        String clientId = context.getRegisteredClient().getClientId();
        Set<String> requested = context.<OAuth2ClientCredentialsAuthenticationToken>getAuthentication()
                .getScopes();
        if (requested.isEmpty()) {
            throw invalidScope("Ask for the scopes you need (scope=system/...): none were requested");
        }
        List<SmartScope> registered = clients.smartScopes(clientId);
        for (String name : requested) {
            SmartScope scope = SmartScope.parse(name)
                    .orElseThrow(
                            () -> invalidScope("Scope " + name + " is not a SMART resource scope this server grants"));
            if (scope.context() != SmartScope.Context.SYSTEM) {
                throw invalidScope("Scope " + name + ": a backend service asks for system/ scopes");
            }
            if (!SmartScope.anyCovers(registered, scope)) {
                throw invalidScope("Scope " + name + " is not registered for this client");
            }
        }
    }

    private static OAuth2AuthenticationException invalidScope(String description) {
        return new OAuth2AuthenticationException(new OAuth2Error(OAuth2ErrorCodes.INVALID_SCOPE, description, null));
    }
}
