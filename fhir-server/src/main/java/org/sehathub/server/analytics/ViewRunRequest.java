package org.sehathub.server.analytics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The parameters of {@code $viewdefinition-run} (SQL on FHIR v2, R4 mode: system level), from the
 * query string and from a {@code Parameters} body. R4 knows no ViewDefinition resource, so the body
 * is read as JSON here rather than by HAPI's parser, which would refuse it.
 *
 * @param view the {@code viewResource}
 * @param format {@code _format}: ndjson (default), json or csv
 * @param header {@code header}: the CSV header line (default true)
 * @param limit {@code _limit}: at most so many rows, or null
 * @param patients {@code patient}: only these patients' resources (ids), or all if empty
 * @param since {@code _since}: only resources changed at or after it, or null
 * @param resources {@code resource}: run on these instead of the server's data, if any
 */
record ViewRunRequest(
        JsonNode view,
        RowFormat format,
        boolean header,
        Integer limit,
        List<String> patients,
        Instant since,
        List<JsonNode> resources) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Thrown for a request that is not one: answered 400 with the message. */
    static final class BadRequest extends RuntimeException {
        BadRequest(String message) {
            super(message);
        }
    }

    static ViewRunRequest read(Map<String, String[]> query, InputStream body) throws IOException {
        JsonNode view = null;
        String format = first(query, "_format");
        String header = first(query, "header");
        String limit = first(query, "_limit");
        String since = first(query, "_since");
        List<String> patients = new ArrayList<>(List.of(query.getOrDefault("patient", new String[0])));
        List<JsonNode> resources = new ArrayList<>();
        if (query.containsKey("viewReference")) {
            throw new BadRequest("viewReference: views are not stored on this server; send the view as viewResource");
        }
        JsonNode parameters = body == null ? null : JSON.readTree(body);
        if (parameters != null && !parameters.isMissingNode()) {
            if (!"Parameters".equals(parameters.path("resourceType").asText())) {
                throw new BadRequest("the body must be a FHIR Parameters resource");
            }
            for (JsonNode parameter : parameters.path("parameter")) {
                String name = parameter.path("name").asText();
                switch (name) {
                    case "viewResource" -> view = parameter.get("resource");
                    case "viewReference" ->
                        throw new BadRequest(
                                "viewReference: views are not stored on this server; send the view as viewResource");
                    case "_format" -> format = value(parameter);
                    case "header" -> header = value(parameter);
                    case "_limit" -> limit = value(parameter);
                    case "_since" -> since = value(parameter);
                    case "patient" -> patients.add(value(parameter));
                    case "resource" -> resources.add(resource(parameter));
                    default -> throw new BadRequest("unknown parameter " + name);
                }
            }
        }
        if (view == null) {
            throw new BadRequest("viewResource is required (a ViewDefinition, in a Parameters body)");
        }
        return new ViewRunRequest(
                view,
                RowFormat.of(format),
                header == null || Boolean.parseBoolean(header),
                limit(limit),
                patients.stream().map(ViewRunRequest::patientId).toList(),
                instant(since),
                List.copyOf(resources));
    }

    private static String first(Map<String, String[]> query, String name) {
        String[] values = query.get(name);
        return values == null || values.length == 0 ? null : values[0];
    }

    /** The value of a parameter's value[x], as text. */
    private static String value(JsonNode parameter) {
        for (var field : (Iterable<Map.Entry<String, JsonNode>>) parameter::fields) {
            if (field.getKey().startsWith("value")) {
                JsonNode value = field.getValue();
                return value.isObject() ? value.path("reference").asText(null) : value.asText();
            }
        }
        throw new BadRequest("parameter " + parameter.path("name").asText() + " has no value");
    }

    private static JsonNode resource(JsonNode parameter) throws IOException {
        if (parameter.has("resource")) {
            return parameter.get("resource");
        }
        // Some clients send each resource as a JSON string (valueString).
        return JSON.readTree(value(parameter));
    }

    private static Integer limit(String text) {
        if (text == null) {
            return null;
        }
        try {
            int limit = Integer.parseInt(text);
            if (limit < 1) {
                throw new NumberFormatException();
            }
            return limit;
        } catch (NumberFormatException e) {
            throw new BadRequest("_limit must be a whole number of at least 1, not " + text);
        }
    }

    private static String patientId(String reference) {
        String id = reference.startsWith("Patient/") ? reference.substring("Patient/".length()) : reference;
        if (!id.matches("[A-Za-z0-9\\-.]{1,64}")) {
            throw new BadRequest("patient must be a Patient id or reference, not " + reference);
        }
        return id;
    }

    private static Instant instant(String text) {
        if (text == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            throw new BadRequest("_since must be an instant with a time zone (2026-01-31T00:00:00Z), not " + text);
        }
    }
}
