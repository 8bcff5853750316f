package org.sehathub.server.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;

/** A mistake in sehat.security.clients stops the server with a message naming the client. */
class ClientRegistryTest {

    private static final ECKey KEY = newKey();
    private static final String PUBLIC_JWKS = new JWKSet(KEY.toPublicJWK()).toString();

    @Test
    void aWellFormedClientIsABackendServiceWithPrivateKeyJwtOnly() {
        ClientRegistry registry = new ClientRegistry(
                List.of(hospital("lahore-general", List.of("system/*.cruds"), PUBLIC_JWKS, "", List.of("LGH"))),
                Duration.ofMinutes(5));

        RegisteredClient client = registry.findByClientId("lahore-general");
        assertThat(client.getClientAuthenticationMethods()).containsExactly(ClientAuthenticationMethod.PRIVATE_KEY_JWT);
        assertThat(client.getAuthorizationGrantTypes()).containsExactly(AuthorizationGrantType.CLIENT_CREDENTIALS);
        assertThat(client.getTokenSettings().getAccessTokenTimeToLive()).isEqualTo(Duration.ofMinutes(5));
        assertThat(registry.smartScopes("lahore-general"))
                .extracting(SmartScope::toString)
                .containsExactly("system/*.cruds");
        assertThat(registry.findByClientId("nobody")).isNull();
    }

    @Test
    void refusesEachMistakeNamingTheClient() {
        String privateJwks = new JWKSet(KEY).toString(false);
        assertRefused(hospital("h1", List.of("system/*.rs"), privateJwks, "", List.of("F")), "h1", "private key");
        assertRefused(
                hospital("h2", List.of("system/*.rs"), PUBLIC_JWKS, "https://h2.example/jwks", List.of("F")),
                "h2",
                "not both");
        assertRefused(hospital("h3", List.of("system/*.rs"), "", "", List.of("F")), "h3", "public client without keys");
        assertRefused(hospital("h4", List.of("system/*.rs"), "{not json", "", List.of("F")), "h4", "not a JWK Set");
        assertRefused(hospital("h5", List.of("system/Everything.all"), PUBLIC_JWKS, "", List.of("F")), "h5", "scope");
        assertRefused(hospital("h6", List.of("system/*.rs"), PUBLIC_JWKS, "", List.of()), "h6", "facilities");
        SecurityProperties.Client twice = hospital("h7", List.of("system/*.rs"), PUBLIC_JWKS, "", List.of("F"));
        assertThatThrownBy(() -> new ClientRegistry(List.of(twice, twice), Duration.ofMinutes(5)))
                .hasMessageContaining("h7")
                .hasMessageContaining("twice");
    }

    private static void assertRefused(SecurityProperties.Client client, String id, String reason) {
        assertThatThrownBy(() -> new ClientRegistry(List.of(client), Duration.ofMinutes(5)))
                .as(reason)
                .hasMessageContaining(id)
                .hasMessageContaining(reason);
    }

    private static SecurityProperties.Client hospital(
            String id, List<String> scopes, String jwks, String jwksUrl, List<String> facilities) {
        return new SecurityProperties.Client(
                id, "", Role.HOSPITAL, scopes, jwks, jwksUrl, facilities, "", "", false, List.of());
    }

    private static ECKey newKey() {
        try {
            return new ECKeyGenerator(Curve.P_384).keyID("k").generate();
        } catch (com.nimbusds.jose.JOSEException e) {
            throw new IllegalStateException(e);
        }
    }
}
