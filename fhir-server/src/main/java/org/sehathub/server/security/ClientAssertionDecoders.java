package org.sehathub.server.security;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import java.net.MalformedURLException;
import java.net.URI;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtDecoderFactory;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.context.AuthorizationServerContext;
import org.springframework.security.oauth2.server.authorization.context.AuthorizationServerContextHolder;

/**
 * Verifies the client assertions of SMART Backend Services ({@code private_key_jwt}, RFC 7523) at
 * the token endpoint. Spring Authorization Server's own decoder accepts any lifetime, never
 * remembers a {@code jti} and takes the client's keys only from a URL; this one:
 *
 * <ul>
 *   <li>verifies the signature with the client's registered keys (inline JWKS or its JWKS URL), for
 *       RS384 and ES384 only: {@code alg: none}, HMAC (a public key used as a shared secret) and
 *       an unknown {@code kid} find no key and fail;
 *   <li>requires {@code iss} and {@code sub} to be the client's id and {@code aud} the token
 *       endpoint's URL;
 *   <li>requires {@code exp}, refuses an assertion expired or not yet valid (30 s clock skew) or
 *       valid for longer than {@link SecurityProperties#maxAssertionLifetime()};
 *   <li>requires a {@code jti} and refuses one used before ({@link SeenAssertionIds}), checked last
 *       so that an assertion refused for another reason does not use up its {@code jti}.
 * </ul>
 */
public class ClientAssertionDecoders implements JwtDecoderFactory<RegisteredClient> {

    /** The algorithms SMART Backend Services requires servers to support. */
    public static final Set<JWSAlgorithm> ALGORITHMS = Set.of(JWSAlgorithm.RS384, JWSAlgorithm.ES384);

    private static final Logger log = LoggerFactory.getLogger(ClientAssertionDecoders.class);
    private static final Duration CLOCK_SKEW = Duration.ofSeconds(30);

    private final ClientRegistry clients;
    private final SeenAssertionIds seen;
    private final Duration maxLifetime;
    private final Clock clock;
    private final Map<String, JwtDecoder> decoders = new ConcurrentHashMap<>();

    public ClientAssertionDecoders(ClientRegistry clients, SeenAssertionIds seen, Duration maxLifetime, Clock clock) {
        this.clients = clients;
        this.seen = seen;
        this.maxLifetime = maxLifetime;
        this.clock = clock;
    }

    @Override
    public JwtDecoder createDecoder(RegisteredClient client) {
        return decoders.computeIfAbsent(client.getClientId(), id -> newDecoder(clients.require(id)));
    }

    private JwtDecoder newDecoder(SecurityProperties.Client client) {
        DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(ALGORITHMS, keysOf(client)));
        NimbusJwtDecoder decoder = new NimbusJwtDecoder(processor);
        decoder.setJwtValidator(jwt -> validate(client.id(), jwt));
        return decoder;
    }

    static JWKSource<SecurityContext> keysOf(SecurityProperties.Client client) {
        try {
            if (!client.jwks().isBlank()) {
                return new ImmutableJWKSet<>(JWKSet.parse(client.jwks()).toPublicJWKSet());
            }
            return JWKSourceBuilder.create(URI.create(client.jwksUrl()).toURL()).build();
        } catch (ParseException | MalformedURLException | IllegalArgumentException e) {
            throw new IllegalStateException("Client " + client.id() + ": its jwks or jwks-url is not usable", e);
        }
    }

    private OAuth2TokenValidatorResult validate(String clientId, Jwt assertion) {
        List<String> problems = new ArrayList<>();
        if (!clientId.equals(assertion.getClaimAsString("iss"))) {
            problems.add("iss is not the client id");
        }
        if (!clientId.equals(assertion.getSubject())) {
            problems.add("sub is not the client id");
        }
        String tokenEndpoint = tokenEndpoint();
        if (assertion.getAudience() == null || !assertion.getAudience().contains(tokenEndpoint)) {
            problems.add("aud is not the token endpoint " + tokenEndpoint);
        }
        Instant now = clock.instant();
        Instant expires = assertion.getExpiresAt();
        if (expires == null) {
            problems.add("exp is missing");
        } else {
            if (now.minus(CLOCK_SKEW).isAfter(expires)) {
                problems.add("the assertion has expired");
            }
            Instant from = assertion.getIssuedAt() != null ? assertion.getIssuedAt() : now;
            if (Duration.between(from, expires).compareTo(maxLifetime) > 0
                    || Duration.between(now, expires).compareTo(maxLifetime.plus(CLOCK_SKEW)) > 0) {
                problems.add("the assertion is valid for longer than " + maxLifetime);
            }
        }
        if (assertion.getNotBefore() != null && assertion.getNotBefore().isAfter(now.plus(CLOCK_SKEW))) {
            problems.add("the assertion is not valid yet (nbf)");
        }
        if (assertion.getIssuedAt() != null && assertion.getIssuedAt().isAfter(now.plus(CLOCK_SKEW))) {
            problems.add("the assertion was issued in the future (iat)");
        }
        String jti = assertion.getId();
        if (jti == null || jti.isBlank()) {
            problems.add("jti is missing");
        }
        if (problems.isEmpty() && !seen.firstUse(clientId, jti, expires)) {
            problems.add("jti was used before (a replayed assertion)");
        }
        if (problems.isEmpty()) {
            return OAuth2TokenValidatorResult.success();
        }
        log.info("Client assertion of client {} refused: {}", clientId, String.join("; ", problems));
        return OAuth2TokenValidatorResult.failure(problems.stream()
                .map(p -> new OAuth2Error(OAuth2ErrorCodes.INVALID_CLIENT, p, null))
                .toList());
    }

    private static String tokenEndpoint() {
        AuthorizationServerContext context = AuthorizationServerContextHolder.getContext();
        return context.getIssuer() + context.getAuthorizationServerSettings().getTokenEndpoint();
    }
}
