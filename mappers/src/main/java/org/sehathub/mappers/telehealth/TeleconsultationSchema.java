package org.sehathub.mappers.telehealth;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.PathType;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.sehathub.mappers.MappingIssue;

/**
 * The teleconsultation JSON Schema ({@code schema/teleconsultation.schema.json}, draft 2020-12)
 * and its violations as issues located by JSON pointer. An unknown field is located at the field
 * itself ({@code /patient/nickname}), a missing one where it should be ({@code /patient/sex}).
 */
final class TeleconsultationSchema {

    static final String RESOURCE = "schema/teleconsultation.schema.json";

    private final JsonSchema schema;

    TeleconsultationSchema() {
        SchemaValidatorsConfig config = SchemaValidatorsConfig.builder()
                .pathType(PathType.JSON_POINTER)
                .locale(Locale.ENGLISH)
                .build();
        try (InputStream in = TeleconsultationSchema.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is not on the classpath");
            }
            schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
                    .getSchema(in, config);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every violation, ordered by location. Empty when the document is valid. */
    List<MappingIssue> validate(JsonNode document) {
        return schema.validate(document).stream()
                .map(TeleconsultationSchema::toIssue)
                .sorted(Comparator.comparing(MappingIssue::location).thenComparing(MappingIssue::reason))
                .distinct()
                .toList();
    }

    private static MappingIssue toIssue(ValidationMessage message) {
        String parent = message.getInstanceLocation().toString();
        String location = parent;
        String type = message.getType();
        if (("additionalProperties".equals(type) || "required".equals(type) || "dependentRequired".equals(type))
                && message.getProperty() != null) {
            location = child(parent, message.getProperty());
        }
        String reason;
        if ("additionalProperties".equals(type)) {
            reason = "unknown field; the teleconsultation schema does not allow it";
        } else if ("required".equals(type)) {
            reason = "required field is missing";
        } else {
            reason = stripLocation(message.getMessage(), parent);
        }
        return MappingIssue.error(location.isEmpty() ? "/" : location, reason);
    }

    private static String child(String parent, String property) {
        String escaped = property.replace("~", "~0").replace("/", "~1");
        return (parent.equals("/") ? "" : parent) + "/" + escaped;
    }

    /** networknt starts its messages with the location; the issue carries it separately. */
    private static String stripLocation(String message, String location) {
        String prefix = location + ": ";
        return message.startsWith(prefix) ? message.substring(prefix.length()) : message;
    }
}
