package org.sehathub.server.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The official SQL on FHIR v2 conformance tests (../shared/data/sql-on-fhir-v2-tests, see its
 * SOURCE.md), run on {@link ViewEngine}: each test's view over its file's resources must give the
 * expected rows (in any order) or, where the test expects an error, be refused. Every test tagged
 * {@code shareable} must pass; the others (experimental functions) are run and reported. The
 * report, in the specification's {@code test_report.json} shape, is written to
 * target/sql-on-fhir-test_report.json and published as docs/analytics/sql-on-fhir-test_report.json.
 */
class SqlOnFhirConformanceTest {

    private static final Path TESTS = Path.of("..", "..", "shared", "data", "sql-on-fhir-v2-tests");
    private static final Path REPORT = Path.of("target", "sql-on-fhir-test_report.json");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final FhirContext FHIR = FhirContext.forR4Cached();
    private static final ViewEngine ENGINE = new ViewEngine(FHIR, new DefaultProfileValidationSupport(FHIR));
    private static final Map<String, List<Map<String, Object>>> REPORTED = new TreeMap<>();

    @TestFactory
    Stream<DynamicNode> officialTests() throws IOException {
        List<Path> files;
        try (Stream<Path> listed = Files.list(TESTS)) {
            files = listed.filter(p -> p.toString().endsWith(".json"))
                    .filter(p -> !p.getFileName().toString().equals("tests.schema.json"))
                    .sorted()
                    .toList();
        }
        assertThat(files).as("the conformance test files").hasSizeGreaterThanOrEqualTo(20);
        List<DynamicNode> nodes = new ArrayList<>();
        for (Path file : files) {
            nodes.add(file(file));
        }
        return nodes.stream();
    }

    private DynamicContainer file(Path file) throws IOException {
        JsonNode suite = JSON.readTree(file.toFile());
        List<IBaseResource> resources = new ArrayList<>();
        for (JsonNode resource : suite.path("resources")) {
            resources.add(FHIR.newJsonParser().parseResource(resource.toString()));
        }
        String name = file.getFileName().toString();
        List<Map<String, Object>> reported = new ArrayList<>();
        REPORTED.put(name, reported);
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode test : suite.path("tests")) {
            String title = test.path("title").asText();
            String failure = run(test, resources);
            reported.add(Map.of("name", title, "result", Map.of("passed", failure == null)));
            boolean shareable = false;
            for (JsonNode tag : test.path("tags")) {
                shareable |= tag.asText().equals("shareable");
            }
            boolean mustPass = shareable;
            tests.add(DynamicTest.dynamicTest(title, () -> {
                if (mustPass) {
                    assertThat(failure).as(title).isNull();
                }
            }));
        }
        return DynamicContainer.dynamicContainer(name, tests);
    }

    /** Why the test failed, or null if it passed. */
    private static String run(JsonNode test, List<IBaseResource> resources) {
        List<Map<String, Object>> rows = new ArrayList<>();
        List<String> columns;
        try {
            CompiledView view = ENGINE.compile(ViewDefinition.parse(test.path("view")));
            columns = view.columns().stream().map(ViewDefinition.Column::name).toList();
            for (IBaseResource resource : resources) {
                for (List<Object> row : view.rows(resource)) {
                    Map<String, Object> named = new HashMap<>();
                    for (int i = 0; i < columns.size(); i++) {
                        named.put(columns.get(i), canonical(JSON.valueToTree(row.get(i))));
                    }
                    rows.add(named);
                }
            }
        } catch (ViewDefinitionException e) {
            return test.has("expectError") ? null : "refused: " + e.getMessage();
        }
        if (test.has("expectError")) {
            return "expected an error, got " + rows.size() + " rows";
        }
        if (test.has("expectColumns")) {
            List<String> expected = new ArrayList<>();
            test.path("expectColumns").forEach(c -> expected.add(c.asText()));
            if (!expected.equals(columns)) {
                return "columns " + columns + ", expected " + expected;
            }
        }
        List<Map<String, Object>> expected = new ArrayList<>();
        for (JsonNode row : test.path("expect")) {
            Map<String, Object> named = new HashMap<>();
            row.fields().forEachRemaining(f -> named.put(f.getKey(), canonical(f.getValue())));
            expected.add(named);
        }
        return sameRows(rows, expected) ? null : "rows " + rows + ", expected " + expected;
    }

    private static boolean sameRows(List<Map<String, Object>> actual, List<Map<String, Object>> expected) {
        List<Map<String, Object>> left = new ArrayList<>(expected);
        for (Map<String, Object> row : actual) {
            if (!left.remove(row)) {
                return false;
            }
        }
        return left.isEmpty();
    }

    /** JSON values compared by meaning: 1.0 and 1 are the same number. */
    private static Object canonical(JsonNode value) {
        if (value == null || value.isNull() || value.isMissingNode()) {
            return "null";
        }
        if (value.isNumber()) {
            return "#" + new BigDecimal(value.asText()).stripTrailingZeros().toPlainString();
        }
        if (value.isArray()) {
            List<Object> list = new ArrayList<>();
            value.forEach(v -> list.add(canonical(v)));
            return list;
        }
        return value.isTextual() ? "'" + value.asText() : value.toString();
    }

    @AfterAll
    static void writeReport() throws IOException {
        ObjectNode report = JSON.createObjectNode();
        REPORTED.forEach((file, tests) -> {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("tests", tests);
            report.set(file, JSON.valueToTree(entry));
        });
        Files.createDirectories(REPORT.getParent());
        JSON.writer().with(SerializationFeature.INDENT_OUTPUT).writeValue(REPORT.toFile(), report);
    }
}
