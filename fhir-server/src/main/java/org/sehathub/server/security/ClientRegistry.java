package org.sehathub.server.security;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import java.net.URI;
import java.net.URISyntaxException;
import java.text.ParseException;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.security.auth.x500.X500Principal;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.settings.ClientSettings;
import org.springframework.security.oauth2.server.authorization.settings.OAuth2TokenFormat;
import org.springframework.security.oauth2.server.authorization.settings.TokenSettings;

/**
 * The clients of {@code sehat.security.clients}, checked once at start-up (a mistake in them stops
 * the server with a message naming the client) and offered to Spring Authorization Server as its
 * {@link RegisteredClientRepository}.
 */
public class ClientRegistry implements RegisteredClientRepository {

    /** Scopes besides SMART resource scopes that a client may be registered for. */
    static final Set<String> OTHER_SCOPES = Set.of("openid", "fhirUser", "launch", "launch/patient", "offline_access");

    private final Map<String, SecurityProperties.Client> clients = new LinkedHashMap<>();
    private final Map<String, RegisteredClient> registered = new LinkedHashMap<>();
    private final Map<X500Principal, SecurityProperties.Client> byCertificate = new LinkedHashMap<>();
    private SecurityProperties.Client loopbackSender;
    /** Every client's facilities as namespaces: asked for each ingested message (metrics). */
    private final Set<String> facilityNamespaces = new HashSet<>();

    public ClientRegistry(List<SecurityProperties.Client> configured, Duration tokenLifetime) {
        for (SecurityProperties.Client client : configured) {
            check(client);
            if (clients.putIfAbsent(client.id(), client) != null) {
                throw new IllegalStateException(
                        "sehat.security.clients: client id " + client.id() + " is registered twice");
            }
            registered.put(client.id(), toRegisteredClient(client, tokenLifetime));
            if (!client.mllpCertificateSubject().isBlank()
                    && byCertificate.putIfAbsent(new X500Principal(client.mllpCertificateSubject()), client) != null) {
                throw new IllegalStateException("sehat.security.clients[" + client.id() + "]: mllp-certificate-subject "
                        + client.mllpCertificateSubject() + " is registered for another client too");
            }
            client.facilities().forEach(f -> facilityNamespaces.add(IngestSenderPolicy.namespaceOf(f)));
            if (client.mllpLoopback()) {
                if (loopbackSender != null) {
                    throw new IllegalStateException(
                            "sehat.security.clients: only one client may have mllp-loopback, not " + loopbackSender.id()
                                    + " and " + client.id());
                }
                loopbackSender = client;
            }
        }
    }

    /** The hospital whose MLLP client certificate has this subject (compared as X.500 names). */
    public Optional<SecurityProperties.Client> findByCertificateSubject(String subject) {
        try {
            return Optional.ofNullable(byCertificate.get(new X500Principal(subject)));
        } catch (IllegalArgumentException notAName) {
            return Optional.empty();
        }
    }

    /** Whether some client sends for the facility with this namespace (slug). */
    public boolean isRegisteredFacility(String namespace) {
        return facilityNamespaces.contains(namespace);
    }

    /** The hospital whose plain MLLP messages from loopback are accepted, if one is named. */
    public Optional<SecurityProperties.Client> loopbackSender() {
        return Optional.ofNullable(loopbackSender);
    }

    public Optional<SecurityProperties.Client> find(String clientId) {
        return Optional.ofNullable(clients.get(clientId));
    }

    SecurityProperties.Client require(String clientId) {
        return find(clientId).orElseThrow(() -> new IllegalStateException("Unknown client " + clientId));
    }

    /** The SMART resource scopes the client is registered for. */
    public List<SmartScope> smartScopes(String clientId) {
        return find(clientId).stream()
                .flatMap(c -> c.scopes().stream())
                .flatMap(s -> SmartScope.parse(s).stream())
                .toList();
    }

    @Override
    public RegisteredClient findByClientId(String clientId) {
        return registered.get(clientId);
    }

    @Override
    public RegisteredClient findById(String id) {
        return registered.get(id);
    }

    @Override
    public void save(RegisteredClient registeredClient) {
        throw new UnsupportedOperationException("Clients are configuration (sehat.security.clients), not data");
    }

    private static void check(SecurityProperties.Client client) {
        String where = "sehat.security.clients[" + client.id() + "]: ";
        if (!client.jwks().isBlank() && !client.jwksUrl().isBlank()) {
            throw new IllegalStateException(where + "give its public keys as one of jwks or jwks-url, not both");
        }
        if (client.isPublic() && client.redirectUris().isEmpty()) {
            throw new IllegalStateException(where + "give its public keys as jwks or jwks-url (only an app with"
                    + " redirect-uris may be a public client without keys)");
        }
        if (!client.redirectUris().isEmpty() && client.role() != Role.APP && client.role() != Role.ANALYST) {
            throw new IllegalStateException(
                    where + "only an app or an analysts' tool is signed in to by a user (redirect-uris)");
        }
        for (String uri : client.redirectUris()) {
            try {
                URI parsed = new URI(uri);
                if (!parsed.isAbsolute() || parsed.getFragment() != null) {
                    throw new IllegalStateException(
                            where + "redirect URI " + uri + " must be absolute, without a fragment");
                }
            } catch (URISyntaxException e) {
                throw new IllegalStateException(where + "redirect URI " + uri + " is not a URI", e);
            }
        }
        if (!client.jwks().isBlank()) {
            try {
                JWKSet keys = JWKSet.parse(client.jwks());
                if (keys.getKeys().isEmpty()) {
                    throw new IllegalStateException(where + "jwks holds no key");
                }
                for (JWK key : keys.getKeys()) {
                    if (key.isPrivate()) {
                        throw new IllegalStateException(
                                where + "jwks holds a private key: register the public key only,"
                                        + " the private one stays with the client");
                    }
                }
            } catch (ParseException e) {
                throw new IllegalStateException(where + "jwks is not a JWK Set: " + e.getMessage(), e);
            }
        }
        for (String scope : client.scopes()) {
            if (SmartScope.parse(scope).isEmpty() && !OTHER_SCOPES.contains(scope)) {
                throw new IllegalStateException(
                        where + "scope " + scope + " is not a SMART scope this server understands");
            }
        }
        if (client.role() == Role.HOSPITAL && client.facilities().isEmpty()) {
            throw new IllegalStateException(where + "a hospital client needs the facilities it sends for");
        }
        boolean mllp = client.mllpLoopback() || !client.mllpCertificateSubject().isBlank();
        if (mllp && client.role() != Role.HOSPITAL) {
            throw new IllegalStateException(where + "only a hospital client sends over MLLP");
        }
        if (!client.mllpCertificateSubject().isBlank()) {
            try {
                new X500Principal(client.mllpCertificateSubject());
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException(
                        where + "mllp-certificate-subject is not an X.500 name: " + e.getMessage(), e);
            }
        }
    }

    /**
     * A client with keys authenticates with {@code private_key_jwt} and may get backend-service
     * tokens; one with redirect URIs may also be launched by a signed-in user
     * ({@code authorization_code}, PKCE S256 required, refresh tokens with {@code offline_access});
     * a public client (no keys) only that.
     */
    private static RegisteredClient toRegisteredClient(SecurityProperties.Client client, Duration tokenLifetime) {
        RegisteredClient.Builder registered = RegisteredClient.withId(client.id())
                .clientId(client.id())
                .clientName(client.name().isBlank() ? client.id() : client.name())
                .scopes(scopes -> scopes.addAll(client.scopes()))
                .tokenSettings(TokenSettings.builder()
                        .accessTokenTimeToLive(tokenLifetime)
                        .accessTokenFormat(OAuth2TokenFormat.SELF_CONTAINED)
                        .refreshTokenTimeToLive(Duration.ofHours(8))
                        .reuseRefreshTokens(false)
                        .build());
        if (client.isPublic()) {
            registered.clientAuthenticationMethod(ClientAuthenticationMethod.NONE);
        } else {
            registered
                    .clientAuthenticationMethod(ClientAuthenticationMethod.PRIVATE_KEY_JWT)
                    .authorizationGrantType(AuthorizationGrantType.CLIENT_CREDENTIALS);
        }
        if (!client.redirectUris().isEmpty()) {
            registered
                    .authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
                    .authorizationGrantType(AuthorizationGrantType.REFRESH_TOKEN)
                    .redirectUris(uris -> uris.addAll(client.redirectUris()))
                    .clientSettings(ClientSettings.builder()
                            .requireProofKey(true)
                            .requireAuthorizationConsent(false)
                            .build());
        }
        return registered.build();
    }
}
