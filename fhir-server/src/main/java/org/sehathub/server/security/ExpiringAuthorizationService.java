package org.sehathub.server.security;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.springframework.security.oauth2.core.OAuth2AccessToken;
import org.springframework.security.oauth2.core.OAuth2RefreshToken;
import org.springframework.security.oauth2.core.OAuth2Token;
import org.springframework.security.oauth2.server.authorization.InMemoryOAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationCode;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;

/**
 * Spring Authorization Server's in-memory store of issued authorizations, emptied of those whose
 * tokens have all expired. The access tokens are signed JWTs that resource servers check on their
 * own, so nothing here must outlive a restart; Spring's store keeps every authorization forever,
 * which for backend services asking a token every five minutes is a slow memory leak.
 */
public class ExpiringAuthorizationService implements OAuth2AuthorizationService {

    /** How long an authorization without any token yet (a sign-in under way) is kept. */
    private static final Duration PENDING = Duration.ofMinutes(10);

    private final InMemoryOAuth2AuthorizationService delegate = new InMemoryOAuth2AuthorizationService();
    private final Map<String, Instant> expiries = new ConcurrentHashMap<>();
    private final Clock clock;

    public ExpiringAuthorizationService(Clock clock) {
        this.clock = clock;
    }

    @Override
    public void save(OAuth2Authorization authorization) {
        removeExpired();
        delegate.save(authorization);
        expiries.put(authorization.getId(), expiryOf(authorization));
    }

    @Override
    public void remove(OAuth2Authorization authorization) {
        delegate.remove(authorization);
        expiries.remove(authorization.getId());
    }

    @Override
    public OAuth2Authorization findById(String id) {
        return delegate.findById(id);
    }

    @Override
    public OAuth2Authorization findByToken(String token, OAuth2TokenType tokenType) {
        return delegate.findByToken(token, tokenType);
    }

    /** How many authorizations are held (for tests and metrics). */
    public int size() {
        return expiries.size();
    }

    private void removeExpired() {
        Instant now = clock.instant();
        expiries.forEach((id, expiry) -> {
            if (expiry.isBefore(now)) {
                OAuth2Authorization expired = delegate.findById(id);
                if (expired != null) {
                    delegate.remove(expired);
                }
                expiries.remove(id, expiry);
            }
        });
    }

    private Instant expiryOf(OAuth2Authorization authorization) {
        return Stream.of(
                        token(authorization, OAuth2AccessToken.class),
                        token(authorization, OAuth2RefreshToken.class),
                        token(authorization, OAuth2AuthorizationCode.class))
                .filter(Objects::nonNull)
                .map(OAuth2Token::getExpiresAt)
                .filter(Objects::nonNull)
                .max(Instant::compareTo)
                .orElseGet(() -> clock.instant().plus(PENDING));
    }

    private static OAuth2Token token(OAuth2Authorization authorization, Class<? extends OAuth2Token> type) {
        OAuth2Authorization.Token<? extends OAuth2Token> token = authorization.getToken(type);
        return token == null ? null : token.getToken();
    }
}
