package org.sehathub.server.security;

import java.util.Locale;

/** What kind of caller a client is; decides what it may do beyond its scopes (docs/security.md). */
public enum Role {
    /** a hospital's or clinic's system: writes its facilities' data, reads what they wrote */
    HOSPITAL,
    /** a telehealth app: reads the patients it may see, writes its consultations */
    APP,
    /** a ministry analyst: aggregates and de-identified data only, never an identifiable resource */
    ANALYST,
    /** runs the server: dead letters, backups, metrics, administrative operations */
    OPERATOR,
    /** reads the audit trail (AuditEvent) and nothing else; {@code privacy-officer} in configuration */
    PRIVACY_OFFICER;

    /** The name in configuration and in tokens: lower case, words joined by a hyphen. */
    public String claimValue() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static Role fromClaim(String value) {
        return valueOf(value.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
    }

    /** The Spring Security authority for this role, as {@code hasRole(...)} checks it. */
    public String authority() {
        return "ROLE_" + name();
    }
}
