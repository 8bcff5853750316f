package org.sehathub.mappers.csv;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
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
import org.sehathub.mappers.SourceInfo;
import org.sehathub.mappers.terminology.TerminologyMaps;

/**
 * Golden files for the clinic CSV layouts: every {@code golden/csv/<layout>/<name>.csv} beside
 * {@code <name>.expected.json} (the Bundle) and {@code <name>.expected-issues.txt} (one issue a
 * line; no file means no issues). The downloadable examples in {@code docs/ingest/csv/examples/}
 * are golden inputs too (expected files {@code docs-example.*}), so docs and tests cannot drift.
 */
class CsvGoldenTest {

    static final Path GOLDEN = Path.of("src/test/resources/golden/csv");
    static final Path DOCS_EXAMPLES = Path.of("../docs/ingest/csv/examples");
    static final Clock CLOCK = Clock.fixed(Instant.parse("2024-03-20T07:00:00Z"), ZoneOffset.UTC);
    static final SourceInfo SOURCE = new SourceInfo(
            "clinic-csv-upload", "BHU Chak 45 Muzaffargarh", null, Instant.parse("2024-03-20T07:00:00Z"));

    private static final ClinicCsvMapper MAPPER = new ClinicCsvMapper(TerminologyMaps.loadDefault(), CLOCK);

    static Stream<Arguments> goldenFiles() throws IOException {
        List<Arguments> cases = new ArrayList<>();
        for (CsvLayout layout : CsvLayout.values()) {
            Path dir = GOLDEN.resolve(layout.urlName());
            cases.add(Arguments.of(
                    layout, DOCS_EXAMPLES.resolve(layout.urlName() + ".csv"), dir.resolve("docs-example")));
            if (Files.isDirectory(dir)) {
                try (Stream<Path> files = Files.list(dir)) {
                    files.filter(f -> f.toString().endsWith(".csv")).sorted().forEach(f -> {
                        String name = f.getFileName().toString().replaceAll("\\.csv$", "");
                        cases.add(Arguments.of(layout, f, dir.resolve(name)));
                    });
                }
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("goldenFiles")
    void mapsToTheGoldenBundleWithTheGoldenIssues(CsvLayout layout, Path input, Path expectedBase) throws IOException {
        CsvMappingResult result = map(layout, input);

        FhirTestSupport.assertMatchesGolden(result.bundle(), Path.of(expectedBase + ".expected.json"));
        Path issuesFile = Path.of(expectedBase + ".expected-issues.txt");
        List<String> expectedIssues = Files.exists(issuesFile)
                ? Files.readAllLines(issuesFile).stream()
                        .filter(l -> !l.isBlank())
                        .toList()
                : List.of();
        assertThat(result.issues()).extracting(MappingIssue::toString).containsExactlyElementsOf(expectedIssues);
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("goldenFiles")
    void everyGoldenBundlePassesTheR4Validator(CsvLayout layout, Path input, Path expectedBase) throws IOException {
        CsvMappingResult result = map(layout, input);
        assertThat(FhirTestSupport.validationErrors(result.bundle())).isEmpty();
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("goldenFiles")
    void mappingTheSameFileTwiceGivesTheSameBundle(CsvLayout layout, Path input, Path expectedBase) throws IOException {
        String first = FhirTestSupport.encode(map(layout, input).bundle());
        String second = FhirTestSupport.encode(map(layout, input).bundle());
        assertThat(second).isEqualTo(first);
    }

    static CsvMappingResult map(CsvLayout layout, Path input) throws IOException {
        try (InputStream in = Files.newInputStream(input)) {
            return MAPPER.map(layout, in, SOURCE);
        }
    }
}
