package org.sehathub.mappers.mpi;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Patient linking measured on a synthetic population with known truth (households, Roman-Urdu and
 * Urdu names, CNICs missing, mistyped or the mother's, 1 January birth dates, shared phones; each
 * record sent through the real HL7 v2, CSV and telehealth mappers). The build runs it on about
 * 3,000 records; {@code -Dmpi.records=100000} runs it at the sizes {@code docs/mpi.md} reports.
 */
class LinkageQualityTest {

    private static final LocalDate TODAY = LocalDate.of(2026, 12, 6);

    @Test
    void linksOnePersonsRecordsWithoutFalseMerges() {
        int size = Integer.getInteger("mpi.records", 3000);
        List<SourceRenderer.Stored> stored = LinkageEvaluation.population(42, 7, size, TODAY);
        LinkageEvaluation.Figures figures =
                LinkageEvaluation.run(stored, LinkageEvaluation.matcher(thresholds(), stored));
        System.out.printf(
                "records=%d people=%d found=%d precision=%.4f recall=%.4f peopleError=%+.4f review=%.4f"
                        + " reviewPairs=%d reviewYield=%.4f comparisons=%d skippedBlocks=%d linkingMillis=%.0f%n",
                figures.records(),
                figures.people(),
                figures.personsFound(),
                figures.precision(),
                figures.recall(),
                figures.peopleCountError(),
                figures.reviewShare(),
                figures.reviewPairs(),
                figures.reviewYield(),
                figures.comparisons(),
                figures.skippedBlocks(),
                figures.millis());
        assertThat(stored.size())
                .as("records stored of the visits sent")
                .isGreaterThan(
                        SyntheticPopulation.generate(42, size, TODAY).visits().size() * 9 / 10);
        assertThat(figures.precision()).as("pairwise precision (false merges)").isGreaterThanOrEqualTo(0.995);
        // Issue 12 asks for recall >= 95% and a review queue <= 2%; neither is met yet (docs/mpi.md).
        // These floors are just under the figures of 2026-12-07 at each size measured, so that a
        // change that loses ground fails; they hold for the default thresholds only.
        if (thresholds().equals(PatientMatcher.DEFAULT_THRESHOLDS)) {
            Floor floor = Floor.at(size);
            assertThat(figures.recall()).as("pairwise recall").isGreaterThanOrEqualTo(floor.recall());
            assertThat(figures.reviewShare()).as("records in the review queue").isLessThanOrEqualTo(floor.review());
        }
        assertThat(figures.reviewYield()).as("queued pairs that are one person").isGreaterThanOrEqualTo(0.9);
    }

    /**
     * The least recall and the most review expected up to {@code records} records (the measured
     * figures: 3k 87.3% / 2.7%, 10k 87.2% / 3.1%, 30k 85.0% / 2.7%, 100k 77.1% / 6.4%).
     */
    record Floor(int records, double recall, double review) {
        static final List<Floor> MEASURED = List.of(
                new Floor(3_000, 0.87, 0.03),
                new Floor(10_000, 0.865, 0.035),
                new Floor(30_000, 0.845, 0.03),
                new Floor(100_000, 0.765, 0.07));

        /** The floor of the smallest size measured at or above {@code size} (the largest beyond). */
        static Floor at(int size) {
            return MEASURED.stream()
                    .filter(f -> f.records() >= size)
                    .findFirst()
                    .orElse(MEASURED.get(MEASURED.size() - 1));
        }
    }

    /** The default thresholds, or {@code -Dmpi.match=} and {@code -Dmpi.possible=} to draw the tuning curve. */
    private static PatientMatcher.Thresholds thresholds() {
        PatientMatcher.Thresholds defaults = PatientMatcher.DEFAULT_THRESHOLDS;
        return new PatientMatcher.Thresholds(
                Double.parseDouble(System.getProperty("mpi.match", String.valueOf(defaults.match()))),
                Double.parseDouble(System.getProperty("mpi.possible", String.valueOf(defaults.possible()))));
    }
}
