package org.sehathub.server.security;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;

/**
 * The analysts' dashboard as a client of this server's authorization server: a public client
 * ({@value #ID}, PKCE) with the analyst role, whose page at {@code /dashboard/} signs its user in
 * and calls {@code /analytics} with her token. Only users with role {@code analyst} may sign in to
 * it, and they to nothing else ({@link #checkMaySignIn}): an analyst's account never opens a
 * clinical app, and a patient's never reaches the aggregates.
 */
final class DashboardClient {

    static final String ID = "sehat-dashboard";

    private DashboardClient() {}

    /** The dashboard's client, unless turned off; its redirect URIs from configuration and the issuer. */
    static Optional<SecurityProperties.Client> of(SecurityProperties security) {
        if (!security.dashboard().enabled()) {
            return Optional.empty();
        }
        List<String> redirectUris = new ArrayList<>(security.dashboard().redirectUris());
        if (!security.issuer().isBlank()) {
            redirectUris.add(security.issuer().replaceAll("/+$", "") + "/dashboard/");
        }
        return Optional.of(new SecurityProperties.Client(
                ID,
                "Sehat Hub dashboard",
                Role.ANALYST,
                List.of("openid"),
                "",
                "",
                List.of(),
                "",
                "",
                false,
                List.copyOf(redirectUris)));
    }

    /**
     * Refuses a token to a signed-in user whose kind does not fit the client's: analysts' tools are
     * for analysts only, apps for everyone else.
     *
     * @throws OAuth2AuthenticationException {@code access_denied}
     */
    static void checkMaySignIn(SecurityProperties.User user, SecurityProperties.Client client) {
        boolean analystsTool = client.role() == Role.ANALYST;
        if (analystsTool != user.analyst()) {
            throw new OAuth2AuthenticationException(new OAuth2Error(
                    OAuth2ErrorCodes.ACCESS_DENIED,
                    analystsTool
                            ? "only analysts sign in to " + client.id()
                            : "an analyst signs in to analysts' tools only",
                    null));
        }
    }
}
