package org.sehathub.server.security;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.core.convert.converter.Converter;
import org.springframework.security.oauth2.jwt.MappedJwtClaimSetConverter;

/**
 * Reads a trusted issuer's token as if this server had issued it: the issuer's role names become
 * {@link Caller#ROLE_CLAIM} through the configured mapping, its facilities and organization claims
 * become ours, and its client claim ({@code azp}) names the client. Whatever {@code sehat_*}
 * claims the token carried itself are dropped first: an external issuer grants roles only through
 * the mapping an operator wrote, never by naming them.
 */
public class TrustedIssuerClaims implements Converter<Map<String, Object>, Map<String, Object>> {

    private static final List<String> OURS =
            List.of(Caller.ROLE_CLAIM, Caller.FACILITIES_CLAIM, Caller.ORGANIZATION_CLAIM, Caller.CLIENT_ID_CLAIM);

    private final SecurityProperties.TrustedIssuer issuer;
    private final MappedJwtClaimSetConverter standard = MappedJwtClaimSetConverter.withDefaults(Map.of());

    public TrustedIssuerClaims(SecurityProperties.TrustedIssuer issuer) {
        this.issuer = issuer;
    }

    @Override
    public Map<String, Object> convert(Map<String, Object> claims) {
        List<String> roles = strings(path(claims, issuer.roleClaim()));
        List<String> facilities = strings(path(claims, issuer.facilitiesClaim()));
        List<String> organization = strings(path(claims, issuer.organizationClaim()));
        List<String> client = strings(path(claims, issuer.clientIdClaim()));

        Map<String, Object> mapped = new HashMap<>(standard.convert(claims));
        OURS.forEach(mapped::remove);
        roles.stream()
                .map(issuer.roles()::get)
                .filter(role -> role != null)
                .findFirst()
                .ifPresent(role -> mapped.put(Caller.ROLE_CLAIM, role.claimValue()));
        if (!facilities.isEmpty()) {
            mapped.put(Caller.FACILITIES_CLAIM, facilities);
        }
        if (!organization.isEmpty()) {
            mapped.put(Caller.ORGANIZATION_CLAIM, organization.get(0));
        }
        if (!client.isEmpty()) {
            mapped.put(Caller.CLIENT_ID_CLAIM, client.get(0));
        }
        return mapped;
    }

    /** The value at a dotted path into nested claims ({@code realm_access.roles}). */
    static Optional<Object> path(Map<String, Object> claims, String path) {
        if (path == null || path.isBlank()) {
            return Optional.empty();
        }
        Object value = claims;
        for (String part : path.split("\\.")) {
            if (!(value instanceof Map<?, ?> map)) {
                return Optional.empty();
            }
            value = map.get(part);
        }
        return Optional.ofNullable(value);
    }

    private static List<String> strings(Optional<Object> value) {
        return value.map(v -> v instanceof Collection<?> list
                        ? list.stream().map(String::valueOf).toList()
                        : List.of(String.valueOf(v)))
                .orElse(List.of());
    }
}
