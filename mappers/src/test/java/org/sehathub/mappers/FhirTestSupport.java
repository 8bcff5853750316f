package org.sehathub.mappers;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import ca.uhn.fhir.context.support.IValidationSupport;
import ca.uhn.fhir.parser.IParser;
import ca.uhn.fhir.validation.FhirValidator;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import ca.uhn.fhir.validation.SingleValidationMessage;
import ca.uhn.fhir.validation.ValidationResult;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.hl7.fhir.common.hapi.validation.support.CommonCodeSystemsTerminologyService;
import org.hl7.fhir.common.hapi.validation.support.InMemoryTerminologyServerValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.SnapshotGeneratingValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.UnknownCodeSystemWarningValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.ValidationSupportChain;
import org.hl7.fhir.common.hapi.validation.validator.FhirInstanceValidator;
import org.hl7.fhir.r4.model.Bundle;

/**
 * What the golden and validation tests of Helper A's mappers share: one FhirContext and one
 * validator per JVM (both take seconds to build), golden-file comparison and validation.
 */
public final class FhirTestSupport {

    public static final FhirContext FHIR = FhirContext.forR4Cached();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static FhirValidator validator;

    private FhirTestSupport() {}

    /** Pretty JSON of a resource, as golden files hold it. */
    public static String encode(org.hl7.fhir.instance.model.api.IBaseResource resource) {
        IParser parser = FHIR.newJsonParser().setPrettyPrint(true);
        return parser.encodeResourceToString(resource);
    }

    /**
     * Base R4 validation. The chain knows the core profiles and value sets, validates small code
     * systems in memory, and knows UCUM, BCP-47 languages and ISO countries. LOINC, ICD-10, CVX and
     * SNOMED CT are not available offline, so the UnknownCodeSystemWarningValidationSupport turns
     * "code system not found" into a warning instead of an error; everything else the validator
     * calls an error fails the test.
     */
    public static synchronized FhirValidator validator() {
        if (validator == null) {
            UnknownCodeSystemWarningValidationSupport unknownCodeSystems =
                    new UnknownCodeSystemWarningValidationSupport(FHIR);
            unknownCodeSystems.setNonExistentCodeSystemSeverity(IValidationSupport.IssueSeverity.WARNING);
            ValidationSupportChain chain = new ValidationSupportChain(
                    new DefaultProfileValidationSupport(FHIR),
                    new InMemoryTerminologyServerValidationSupport(FHIR),
                    new CommonCodeSystemsTerminologyService(FHIR),
                    new SnapshotGeneratingValidationSupport(FHIR),
                    unknownCodeSystems);
            FhirInstanceValidator module = new FhirInstanceValidator(chain);
            validator = FHIR.newValidator().registerValidatorModule(module);
        }
        return validator;
    }

    /** Errors (and fatals) the validator reports for a Bundle. */
    public static List<String> validationErrors(Bundle bundle) {
        ValidationResult result = validator().validateWithResult(bundle);
        return result.getMessages().stream()
                .filter(m -> m.getSeverity() == ResultSeverityEnum.ERROR || m.getSeverity() == ResultSeverityEnum.FATAL)
                .map(FhirTestSupport::describe)
                .collect(Collectors.toList());
    }

    private static String describe(SingleValidationMessage m) {
        return m.getSeverity() + " " + m.getLocationString() + ": " + m.getMessage();
    }

    /**
     * Compares a Bundle with its golden file, ignoring time-of-run fields. On a difference (or a
     * missing golden file) the actual output is written to {@code target/golden-actual/} and printed.
     */
    public static void assertMatchesGolden(Bundle bundle, Path expectedFile) {
        String actual = encode(bundle);
        JsonNode actualJson = stripVolatile(read(actual));
        boolean exists = Files.exists(expectedFile);
        boolean equal = exists && stripVolatile(read(readString(expectedFile))).equals(actualJson);
        if (!equal) {
            Path out = Path.of("target", "golden-actual")
                    .resolve(expectedFile.normalize().toString().replace("..", "up"));
            try {
                Files.createDirectories(out.getParent());
                Files.writeString(out, actual, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            System.out.println("Actual output for " + expectedFile + " (also in " + out + "):\n" + actual);
        }
        assertThat(exists).as("golden file %s exists", expectedFile).isTrue();
        assertThat(equal)
                .as("output matches %s (actual printed above)", expectedFile)
                .isTrue();
    }

    /** Provenance.recorded and meta.lastUpdated depend on when the test runs. */
    static JsonNode stripVolatile(JsonNode bundle) {
        for (JsonNode entry : bundle.path("entry")) {
            JsonNode resource = entry.path("resource");
            if (resource instanceof ObjectNode object) {
                if ("Provenance".equals(object.path("resourceType").asText())) {
                    object.remove("recorded");
                }
                if (object.path("meta") instanceof ObjectNode meta) {
                    meta.remove("lastUpdated");
                }
            }
        }
        if (bundle.path("entry") instanceof ArrayNode && bundle instanceof ObjectNode object) {
            object.remove("id");
        }
        return bundle;
    }

    public static String readString(Path path) {
        try {
            return Files.readString(path, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
