package org.sehathub.mappers.hl7v2;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Provenance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.sehathub.mappers.MappingResult;
import org.sehathub.mappers.terminology.TerminologyMaps;

/**
 * Maps every {@code golden/hl7v2/<TYPE>/<name>.hl7} and compares the Bundle with {@code
 * <name>.expected.json} and the issues with {@code <name>.expected-issues.txt}. On a difference
 * the actual output is printed and written to {@code target/golden-actual/} for review; expected
 * files are never rewritten by the test.
 */
class Hl7v2GoldenTest {

    static final Path ROOT = Path.of("src/test/resources/golden/hl7v2");
    static final Clock CLOCK = Clock.fixed(Instant.parse("2024-06-01T05:00:00Z"), ZoneOffset.UTC);
    private static final FhirContext FHIR = FhirContext.forR4Cached();
    private static final Hl7v2Mapper MAPPER = new Hl7v2Mapper(TerminologyMaps.loadDefault(), CLOCK);

    static Stream<Path> goldenMessages() throws IOException {
        try (Stream<Path> files = Files.walk(ROOT)) {
            return files.filter(p -> p.toString().endsWith(".hl7")).sorted().collect(Collectors.toList()).stream();
        }
    }

    /** Maps a golden input (read as bytes, so MSH-18 decoding is exercised too). */
    static MappingResult map(Path hl7) throws IOException {
        return MAPPER.map(Files.readAllBytes(hl7));
    }

    /** The Bundle as pretty JSON without what depends on the time of the run. */
    static String stableJson(Bundle bundle) {
        Bundle copy = bundle.copy();
        copy.getEntry().stream()
                .filter(e -> e.getResource() instanceof Provenance)
                .forEach(e -> ((Provenance) e.getResource()).setRecordedElement(null));
        copy.getEntry().forEach(e -> e.getResource().getMeta().setLastUpdated(null));
        IParser parser = FHIR.newJsonParser().setPrettyPrint(true);
        return parser.encodeResourceToString(copy) + "\n";
    }

    static String issuesText(MappingResult result) {
        return result.issues().stream().map(i -> i + "\n").collect(Collectors.joining());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("goldenMessages")
    void mapsGoldenMessageToExpectedBundle(Path hl7) throws IOException {
        MappingResult result = map(hl7);
        String actualJson = stableJson(result.bundle());
        String actualIssues = issuesText(result);
        String base = hl7.getFileName().toString().replaceFirst("\\.hl7$", "");
        Path expectedJson = hl7.resolveSibling(base + ".expected.json");
        Path expectedIssues = hl7.resolveSibling(base + ".expected-issues.txt");
        String wantJson = Files.exists(expectedJson) ? Files.readString(expectedJson, StandardCharsets.UTF_8) : "";
        String wantIssues =
                Files.exists(expectedIssues) ? Files.readString(expectedIssues, StandardCharsets.UTF_8) : "";
        if (!actualJson.equals(wantJson) || !actualIssues.equals(wantIssues)) {
            Path out = Path.of("target/golden-actual").resolve(ROOT.relativize(hl7.getParent()));
            Files.createDirectories(out);
            Files.writeString(out.resolve(base + ".expected.json"), actualJson, StandardCharsets.UTF_8);
            Files.writeString(out.resolve(base + ".expected-issues.txt"), actualIssues, StandardCharsets.UTF_8);
            System.out.println(
                    "---- actual bundle for " + hl7 + "\n" + actualJson + "---- actual issues\n" + actualIssues);
        }
        assertThat(actualJson).as("bundle of " + hl7).isEqualTo(wantJson);
        assertThat(actualIssues).as("issues of " + hl7).isEqualTo(wantIssues);
    }
}
