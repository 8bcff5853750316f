package org.sehathub.server.analytics;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A SQL on FHIR v2 {@code ViewDefinition} (https://sql-on-fhir.org/ig/latest/StructureDefinition-ViewDefinition.html):
 * which resources a flat view reads, the rows each gives and their columns. R4 has no
 * ViewDefinition resource, so the JSON is read into these records; {@link #parse} refuses what the
 * specification says is not a view (no resource, a column named twice, unions whose branches do not
 * give the same columns in the same order...), before any resource is read.
 */
public record ViewDefinition(
        String name, String resource, List<Constant> constants, List<Select> select, List<String> where) {

    /** A name the view's FHIRPath expressions read as {@code %name}; its value as written, with its FHIR type. */
    public record Constant(String name, String type, JsonNode value) {}

    /**
     * One level of rows: its columns on each focus; nested selects joined to them (a cross join per
     * focus); {@code unionAll} branches appended. The focus is the resource, each node of {@code
     * forEach} (or one empty focus when {@code forEachOrNull} finds none), or each node reached by
     * following the {@code repeat} paths to any depth.
     */
    public record Select(
            List<Column> column,
            List<Select> select,
            String forEach,
            boolean orNull,
            List<String> repeat,
            List<Select> unionAll) {

        /** The columns this select gives, in the specification's order: its own, nested, unionAll's. */
        List<Column> columns() {
            List<Column> columns = new ArrayList<>(column);
            select.forEach(s -> columns.addAll(s.columns()));
            if (!unionAll.isEmpty()) {
                columns.addAll(unionAll.get(0).columns());
            }
            return columns;
        }

        List<String> columnNames() {
            return columns().stream().map(Column::name).toList();
        }
    }

    /** A column: its value is {@code path} evaluated on the focus; a list of values if {@code collection}. */
    public record Column(String name, String path, String type, boolean collection) {}

    private static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_]*");

    /** Every column of the view, in order. */
    public List<Column> columns() {
        List<Column> columns = new ArrayList<>();
        select.forEach(s -> columns.addAll(s.columns()));
        return columns;
    }

    public List<String> columnNames() {
        return columns().stream().map(Column::name).toList();
    }

    /** Reads a ViewDefinition's JSON; {@link ViewDefinitionException} says what is wrong with it. */
    public static ViewDefinition parse(JsonNode json) {
        if (json == null || !json.isObject()) {
            throw new ViewDefinitionException("a ViewDefinition is a JSON object");
        }
        String resource = text(json, "resource", "the ViewDefinition");
        if (resource == null || resource.isBlank()) {
            throw new ViewDefinitionException("the ViewDefinition names no resource type");
        }
        List<Constant> constants = new ArrayList<>();
        for (JsonNode constant : array(json, "constant")) {
            constants.add(constant(constant));
        }
        Set<String> constantNames = new HashSet<>();
        constants.forEach(c -> {
            if (!constantNames.add(c.name())) {
                throw new ViewDefinitionException("constant " + c.name() + " is defined twice");
            }
        });
        List<Select> selects = new ArrayList<>();
        for (JsonNode select : array(json, "select")) {
            selects.add(select(select));
        }
        if (selects.isEmpty()) {
            throw new ViewDefinitionException("the ViewDefinition has no select");
        }
        List<String> where = new ArrayList<>();
        for (JsonNode w : array(json, "where")) {
            String path = text(w, "path", "a where");
            if (path == null) {
                throw new ViewDefinitionException("a where has no path");
            }
            where.add(path);
        }
        ViewDefinition view = new ViewDefinition(
                json.path("name").asText(null), resource, List.copyOf(constants), List.copyOf(selects), where);
        Set<String> seen = new HashSet<>();
        for (String column : view.columnNames()) {
            if (!seen.add(column)) {
                throw new ViewDefinitionException("column " + column + " is defined twice");
            }
        }
        return view;
    }

    private static Constant constant(JsonNode json) {
        String name = text(json, "name", "a constant");
        if (name == null || !NAME.matcher(name).matches()) {
            throw new ViewDefinitionException(
                    "a constant's name must be letters, digits and _, beginning with a letter");
        }
        Map.Entry<String, JsonNode> value = null;
        for (var field : (Iterable<Map.Entry<String, JsonNode>>) json::fields) {
            if (field.getKey().startsWith("value")) {
                if (value != null) {
                    throw new ViewDefinitionException("constant " + name + " has more than one value");
                }
                value = field;
            }
        }
        if (value == null || value.getKey().length() == "value".length()) {
            throw new ViewDefinitionException("constant " + name + " has no value[x]");
        }
        String type = value.getKey().substring("value".length());
        return new Constant(name, Character.toLowerCase(type.charAt(0)) + type.substring(1), value.getValue());
    }

    private static Select select(JsonNode json) {
        if (!json.isObject()) {
            throw new ViewDefinitionException("a select is a JSON object");
        }
        String forEach = text(json, "forEach", "forEach");
        String forEachOrNull = text(json, "forEachOrNull", "forEachOrNull");
        if (forEach != null && forEachOrNull != null) {
            throw new ViewDefinitionException("a select has both forEach and forEachOrNull");
        }
        List<String> repeat = new ArrayList<>();
        for (JsonNode path : array(json, "repeat")) {
            if (!path.isTextual()) {
                throw new ViewDefinitionException("repeat holds FHIRPath expressions (strings)");
            }
            repeat.add(path.asText());
        }
        if (!repeat.isEmpty() && (forEach != null || forEachOrNull != null)) {
            throw new ViewDefinitionException("a select has both repeat and forEach");
        }
        List<Column> columns = new ArrayList<>();
        for (JsonNode column : array(json, "column")) {
            columns.add(column(column));
        }
        List<Select> nested = new ArrayList<>();
        for (JsonNode select : array(json, "select")) {
            nested.add(select(select));
        }
        List<Select> unionAll = new ArrayList<>();
        for (JsonNode branch : array(json, "unionAll")) {
            unionAll.add(select(branch));
        }
        for (Select branch : unionAll) {
            if (!branch.columnNames().equals(unionAll.get(0).columnNames())) {
                throw new ViewDefinitionException("the branches of a unionAll give different columns: "
                        + unionAll.get(0).columnNames() + " and " + branch.columnNames());
            }
        }
        return new Select(
                List.copyOf(columns),
                List.copyOf(nested),
                forEach != null ? forEach : forEachOrNull,
                forEachOrNull != null,
                List.copyOf(repeat),
                List.copyOf(unionAll));
    }

    private static Column column(JsonNode json) {
        String name = text(json, "name", "a column");
        String path = text(json, "path", "a column");
        if (name == null || !NAME.matcher(name).matches()) {
            throw new ViewDefinitionException(
                    "column name " + name + ": letters, digits and _, beginning with a letter");
        }
        if (path == null || path.isBlank()) {
            throw new ViewDefinitionException("column " + name + " has no path");
        }
        JsonNode collection = json.path("collection");
        if (!collection.isMissingNode() && !collection.isBoolean()) {
            throw new ViewDefinitionException("column " + name + ": collection is true or false");
        }
        return new Column(name, path, json.path("type").asText(null), collection.asBoolean(false));
    }

    private static String text(JsonNode json, String field, String what) {
        JsonNode value = json.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw new ViewDefinitionException(what + ": " + field + " must be a string");
        }
        return value.asText();
    }

    private static Iterable<JsonNode> array(JsonNode json, String field) {
        JsonNode value = json.get(field);
        if (value == null || value.isNull()) {
            return List.of();
        }
        if (!value.isArray()) {
            throw new ViewDefinitionException(field + " must be an array");
        }
        return value;
    }
}
