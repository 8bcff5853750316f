package org.sehathub.mappers.telehealth;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.sehathub.mappers.FhirTestSupport;
import org.sehathub.mappers.MappingIssue;
import org.sehathub.mappers.MappingResult;
import org.sehathub.mappers.SourceInfo;
import org.sehathub.mappers.terminology.TerminologyMaps;

/**
 * Golden files for teleconsultations: every {@code golden/telehealth/teleconsultation/<name>.json}
 * beside {@code <name>.expected.json} and (when it has warnings) {@code
 * <name>.expected-issues.txt}; the documented examples in {@code docs/ingest/telehealth/examples/}
 * are golden inputs too ({@code docs-<name>.*}).
 */
class TeleconsultationGoldenTest {

    static final Path GOLDEN = Path.of("src/test/resources/golden/telehealth/teleconsultation");
    static final Path DOCS_EXAMPLES = Path.of("../docs/ingest/telehealth/examples");
    static final Clock CLOCK = Clock.fixed(Instant.parse("2024-03-20T07:00:00Z"), ZoneOffset.UTC);
    static final SourceInfo SOURCE =
            new SourceInfo("sehat-kahani-app", "Sehat Kahani", null, Instant.parse("2024-03-20T07:00:00Z"));

    private static final TeleconsultationMapper MAPPER =
            new TeleconsultationMapper(TerminologyMaps.loadDefault(), CLOCK);

    static Stream<Arguments> goldenFiles() throws IOException {
        List<Arguments> cases = new ArrayList<>();
        try (Stream<Path> docs = Files.list(DOCS_EXAMPLES)) {
            docs.filter(f -> f.toString().endsWith(".json"))
                    .sorted()
                    .forEach(f -> cases.add(Arguments.of(
                            f,
                            GOLDEN.resolve("docs-" + f.getFileName().toString().replaceAll("\\.json$", "")))));
        }
        try (Stream<Path> files = Files.list(GOLDEN)) {
            files.filter(f -> f.toString().endsWith(".json") && !f.toString().endsWith(".expected.json"))
                    .sorted()
                    .forEach(f -> cases.add(Arguments.of(
                            f, GOLDEN.resolve(f.getFileName().toString().replaceAll("\\.json$", "")))));
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("goldenFiles")
    void mapsToTheGoldenBundleWithTheGoldenIssues(Path input, Path expectedBase) throws IOException {
        MappingResult result = MAPPER.map(Files.readString(input), SOURCE);

        FhirTestSupport.assertMatchesGolden(result.bundle(), Path.of(expectedBase + ".expected.json"));
        Path issuesFile = Path.of(expectedBase + ".expected-issues.txt");
        List<String> expectedIssues = Files.exists(issuesFile)
                ? Files.readAllLines(issuesFile).stream()
                        .filter(l -> !l.isBlank())
                        .toList()
                : List.of();
        assertThat(result.issues()).extracting(MappingIssue::toString).containsExactlyElementsOf(expectedIssues);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("goldenFiles")
    void everyGoldenBundlePassesTheR4ValidatorAndTheVitalSignsProfiles(Path input, Path expectedBase)
            throws IOException {
        MappingResult result = MAPPER.map(Files.readString(input), SOURCE);
        assertThat(FhirTestSupport.validationErrors(result.bundle())).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("goldenFiles")
    void mappingTheSameDocumentTwiceGivesTheSameBundle(Path input, Path expectedBase) throws IOException {
        String json = Files.readString(input);
        assertThat(FhirTestSupport.encode(MAPPER.map(json, SOURCE).bundle()))
                .isEqualTo(FhirTestSupport.encode(MAPPER.map(json, SOURCE).bundle()));
    }
}
