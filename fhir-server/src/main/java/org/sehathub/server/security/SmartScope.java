package org.sehathub.server.security;

import java.util.Collection;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One SMART on FHIR resource scope, such as {@code system/Observation.rs}, {@code patient/*.read}
 * or {@code user/Encounter.cruds}: who it is for, which resource type ({@code *} for all) and which
 * interactions. SMART v1 names ({@code read}, {@code write}, {@code *}) are read as their v2
 * equivalents: {@code read} = {@code rs}, {@code write} = {@code cud}, {@code *} = {@code cruds}.
 *
 * <p>v2 scopes with a query ({@code patient/Observation.rs?category=...}) are not understood and
 * parse to nothing, so a token is never granted more than it asked for by misreading one.
 */
public record SmartScope(Context context, String resourceType, Set<Permission> permissions) {

    /** Whose data the scope speaks of. */
    public enum Context {
        /** the patient in the launch context */
        PATIENT,
        /** whatever the signed-in user may see */
        USER,
        /** a backend system, no user */
        SYSTEM
    }

    /** SMART v2's permission letters, in their required order. */
    public enum Permission {
        CREATE('c'),
        READ('r'),
        UPDATE('u'),
        DELETE('d'),
        SEARCH('s');

        private final char letter;

        Permission(char letter) {
            this.letter = letter;
        }
    }

    public static final String ANY_TYPE = "*";

    private static final Pattern SCOPE =
            Pattern.compile("(patient|user|system)/(\\*|[A-Z][A-Za-z]{1,63})\\.(read|write|\\*|c?r?u?d?s?)");

    public SmartScope {
        permissions = permissions.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(permissions));
    }

    /** The scope, or empty when the text is not a SMART resource scope this server understands. */
    public static Optional<SmartScope> parse(String text) {
        Matcher m = SCOPE.matcher(text);
        if (!m.matches()) {
            return Optional.empty();
        }
        Set<Permission> permissions = switch (m.group(3)) {
            case "read" -> EnumSet.of(Permission.READ, Permission.SEARCH);
            case "write" -> EnumSet.of(Permission.CREATE, Permission.UPDATE, Permission.DELETE);
            case "*" -> EnumSet.allOf(Permission.class);
            case "" -> EnumSet.noneOf(Permission.class);
            default -> lettersOf(m.group(3));
        };
        if (permissions.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new SmartScope(
                Context.valueOf(m.group(1).toUpperCase(java.util.Locale.ROOT)), m.group(2), permissions));
    }

    private static Set<Permission> lettersOf(String letters) {
        Set<Permission> permissions = EnumSet.noneOf(Permission.class);
        for (Permission p : Permission.values()) {
            if (letters.indexOf(p.letter) >= 0) {
                permissions.add(p);
            }
        }
        return permissions;
    }

    /** True when everything {@code requested} allows, this scope allows too. */
    public boolean covers(SmartScope requested) {
        return context == requested.context
                && (resourceType.equals(ANY_TYPE) || resourceType.equals(requested.resourceType))
                && permissions.containsAll(requested.permissions);
    }

    /** True when one of {@code granted} covers {@code requested}. */
    public static boolean anyCovers(Collection<SmartScope> granted, SmartScope requested) {
        return granted.stream().anyMatch(g -> g.covers(requested));
    }

    /** True when this scope allows {@code permission} on {@code type}. */
    public boolean allows(String type, Permission permission) {
        return (resourceType.equals(ANY_TYPE) || resourceType.equals(type)) && permissions.contains(permission);
    }

    @Override
    public String toString() {
        StringBuilder letters = new StringBuilder();
        for (Permission p : Permission.values()) {
            if (permissions.contains(p)) {
                letters.append(p.letter);
            }
        }
        return context.name().toLowerCase(java.util.Locale.ROOT) + "/" + resourceType + "." + letters;
    }
}
