package org.sehathub.server.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import ca.uhn.fhir.context.support.IValidationSupport;
import ca.uhn.fhir.validation.FhirValidator;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.common.hapi.validation.support.CommonCodeSystemsTerminologyService;
import org.hl7.fhir.common.hapi.validation.support.InMemoryTerminologyServerValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.SnapshotGeneratingValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.UnknownCodeSystemWarningValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.ValidationSupportChain;
import org.hl7.fhir.common.hapi.validation.validator.FhirInstanceValidator;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Measure;
import org.hl7.fhir.r4.model.MeasureReport;
import org.junit.jupiter.api.Test;

/**
 * The catalogue as FHIR Measures: valid R4, one per indicator at the url its MeasureReports name,
 * a stratifier per dimension it allows, proportion scoring for a coverage (whose reports then carry
 * numerator and denominator).
 */
class IndicatorMeasuresTest {

    private static final FhirContext FHIR = FhirContext.forR4Cached();

    private static FhirValidator validator() {
        UnknownCodeSystemWarningValidationSupport unknown = new UnknownCodeSystemWarningValidationSupport(FHIR);
        unknown.setNonExistentCodeSystemSeverity(IValidationSupport.IssueSeverity.WARNING);
        ValidationSupportChain chain = new ValidationSupportChain(
                new DefaultProfileValidationSupport(FHIR),
                new InMemoryTerminologyServerValidationSupport(FHIR),
                new CommonCodeSystemsTerminologyService(FHIR),
                new SnapshotGeneratingValidationSupport(FHIR),
                unknown);
        return FHIR.newValidator().registerValidatorModule(new FhirInstanceValidator(chain));
    }

    /**
     * Errors the validator reports, but for one known: criteria in prose ({@code text/plain}), for
     * which R4's (extensible) expression-language value set has no code.
     */
    private static List<String> errors(FhirValidator validator, IBaseResource resource) {
        return validator.validateWithResult(resource).getMessages().stream()
                .filter(m -> m.getSeverity() == ResultSeverityEnum.ERROR || m.getSeverity() == ResultSeverityEnum.FATAL)
                .filter(m -> !(m.getLocationString().endsWith("criteria.language")
                        && m.getMessage().contains("expression-language#" + IndicatorMeasures.PROSE)))
                .map(m -> m.getLocationString() + ": " + m.getMessage())
                .toList();
    }

    @Test
    void everyIndicatorIsAValidMeasureAtTheUrlItsReportsName() {
        Indicators indicators = new Indicators();
        Bundle catalogue = IndicatorMeasures.catalogue(indicators.all());
        FhirValidator validator = validator();
        assertThat(errors(validator, catalogue)).isEmpty();
        List<Measure> measures = catalogue.getEntry().stream()
                .filter(e -> e.getResource() instanceof Measure)
                .map(e -> (Measure) e.getResource())
                .toList();
        assertThat(measures).hasSameSizeAs(indicators.all());
        for (Indicator indicator : indicators.all()) {
            Measure measure = IndicatorMeasures.of(indicator);
            assertThat(measure.getUrl()).isEqualTo(IndicatorMeasureReport.MEASURE_BASE + indicator.id());
            assertThat(measure.getGroupFirstRep().getStratifier())
                    .extracting(s -> s.getCode().getCodingFirstRep().getCode())
                    .containsExactlyInAnyOrderElementsOf(indicator.dimensions());
            assertThat(measure.getScoring().getCodingFirstRep().getCode())
                    .isEqualTo(indicator.ratio() == null ? "cohort" : "proportion");
        }
    }

    @Test
    void aCoveragesReportCarriesItsNumeratorDenominatorAndScore() {
        Indicator coverage = new Indicators().find("vaccine-coverage").orElseThrow();
        IndicatorAnswers.Row total = new IndicatorAnswers.Row(List.of(), 95L, 95L, false);
        IndicatorAnswers.Row vaccinated = new IndicatorAnswers.Row(List.of("vaccinated"), 79L, 79L, false, 95L);
        IndicatorAnswers.Answer answer = new IndicatorAnswers.Answer(
                coverage,
                List.of("status"),
                Map.of(),
                Map.of("antigen", "measles", "cohort", "2024"),
                10,
                List.of(new IndicatorAnswers.Row(List.of("unvaccinated"), 16L, 16L, false), vaccinated),
                total,
                vaccinated);
        MeasureReport report = IndicatorMeasureReport.of(answer, "vaccine-coverage?antigen=measles", new Date());
        assertThat(report.getGroupFirstRep().getPopulation())
                .extracting(p -> p.getCode().getCodingFirstRep().getCode() + "=" + p.getCount())
                .containsExactly("initial-population=95", "denominator=95", "numerator=79");
        assertThat(report.getGroupFirstRep().getMeasureScore().getValue().doubleValue())
                .isEqualTo(0.8316);
        assertThat(errors(validator(), report)).isEmpty();
    }
}
