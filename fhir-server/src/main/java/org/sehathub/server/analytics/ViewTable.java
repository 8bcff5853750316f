package org.sehathub.server.analytics;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * A view kept as a table of the analytical store: {@code sehat_analytics.<view name>}, its columns
 * typed from the view's column types, plus {@link #KEY}, the logical id of the resource each row
 * came from (so that a changed resource's rows can be replaced). {@link #fingerprint} tells when
 * the definition changed and the table must be built again. {@code indexes}: SQL expressions over
 * its columns that queries select rows by (an indicator's code), each indexed.
 */
record ViewTable(String name, CompiledView view, String fingerprint, List<String> indexes) {

    static final String SCHEMA = "sehat_analytics";
    static final String KEY = "sehat_key";

    static ViewTable of(String name, String definitionJson, CompiledView view, List<String> indexes) {
        if (!name.matches("[a-z][a-z0-9_]{0,62}")) {
            throw new ViewDefinitionException("a stored view's name is lower-case letters, digits and _: " + name);
        }
        if (view.columns().stream().anyMatch(c -> c.name().equalsIgnoreCase(KEY))) {
            throw new ViewDefinitionException(KEY + " is reserved for the store");
        }
        return new ViewTable(name, view, sha256(definitionJson), List.copyOf(indexes));
    }

    String qualified() {
        return SCHEMA + ".\"" + name + "\"";
    }

    String createSql() {
        String columns = view.columns().stream()
                .map(c -> quote(c.name()) + " " + sqlType(c))
                .collect(Collectors.joining(", "));
        return "CREATE TABLE " + qualified() + " (" + KEY + " text NOT NULL, " + columns + ")";
    }

    /**
     * The table's indexes: on {@link #KEY} (a changed resource's rows are replaced by it) and on
     * each of {@code indexes}, named by a digest of the expression, so a changed expression is a
     * new index and an existing one is left as it is.
     */
    List<String> indexSql() {
        List<String> statements = new ArrayList<>();
        // Named as PostgreSQL names it unnamed, as stores of earlier releases have it.
        statements.add(
                "CREATE INDEX IF NOT EXISTS \"" + name + "_" + KEY + "_idx\" ON " + qualified() + " (" + KEY + ")");
        for (String expression : indexes) {
            statements.add("CREATE INDEX IF NOT EXISTS \"" + name + "_"
                    + sha256(expression).substring(0, 12) + "_idx\" ON " + qualified() + " ((" + expression + "))");
        }
        return statements;
    }

    String insertSql() {
        List<ViewDefinition.Column> columns = view.columns();
        String names = columns.stream().map(c -> quote(c.name())).collect(Collectors.joining(", "));
        String values = columns.stream()
                .map(c -> c.collection() ? "CAST(? AS jsonb)" : "?")
                .collect(Collectors.joining(", "));
        return "INSERT INTO " + qualified() + " (" + KEY + ", " + names + ") VALUES (?, " + values + ")";
    }

    /** The SQL type of a column, from its FHIR type: numbers and booleans typed, every other value text. */
    static String sqlType(ViewDefinition.Column column) {
        if (column.collection()) {
            return "jsonb";
        }
        String type = column.type() == null ? "" : column.type();
        return switch (type) {
            case "boolean" -> "boolean";
            case "integer", "positiveInt", "unsignedInt" -> "integer";
            case "integer64" -> "bigint";
            case "decimal" -> "numeric";
            default -> "text";
        };
    }

    private static String quote(String column) {
        return '"' + column.toLowerCase(Locale.ROOT) + '"';
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
