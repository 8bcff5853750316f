package org.sehathub.server.analytics;

import java.util.Date;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.MeasureReport;
import org.hl7.fhir.r4.model.MeasureReport.MeasureReportGroupComponent;
import org.hl7.fhir.r4.model.MeasureReport.MeasureReportGroupPopulationComponent;
import org.hl7.fhir.r4.model.MeasureReport.StratifierGroupComponent;
import org.hl7.fhir.r4.model.MeasureReport.StratifierGroupPopulationComponent;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.StringType;

/**
 * An indicator's answer as a FHIR {@code MeasureReport} (summary), in the shape IHE mADX gives
 * aggregate data for exchange with DHIS2: one group for the indicator, its total as the group's
 * measure population, and one stratifier over the breakdown's dimensions whose strata carry one
 * component per dimension and the cell's count. A hidden cell's population has no count and the
 * {@code data-absent-reason} {@code masked}, as FHIR marks data withheld for privacy. A proportion's
 * (coverage) numerator strata and the group carry the ratio as {@code measureScore}.
 */
final class IndicatorMeasureReport {

    static final String MEASURE_BASE = "https://fhir.sehathub.pk/Measure/";
    static final String INDICATOR_SYSTEM = "https://fhir.sehathub.pk/CodeSystem/indicator";
    static final String DIMENSION_SYSTEM = "https://fhir.sehathub.pk/CodeSystem/indicator-dimension";
    static final String QUERY_EXTENSION = "https://fhir.sehathub.pk/StructureDefinition/indicator-query";
    private static final String DATA_ABSENT = "http://hl7.org/fhir/StructureDefinition/data-absent-reason";
    private static final Coding MEASURE_POPULATION = new Coding(
            "http://terminology.hl7.org/CodeSystem/measure-population", "measure-population", "Measure Population");
    private static final Coding INITIAL_POPULATION = new Coding(
            "http://terminology.hl7.org/CodeSystem/measure-population", "initial-population", "Initial Population");

    private IndicatorMeasureReport() {}

    static MeasureReport of(IndicatorAnswers.Answer answer, String query, Date now) {
        MeasureReport report = new MeasureReport()
                .setStatus(MeasureReport.MeasureReportStatus.COMPLETE)
                .setType(MeasureReport.MeasureReportType.SUMMARY)
                .setMeasure(MEASURE_BASE + answer.indicator().id())
                .setDate(now)
                // The events counted are those in the record up to now; a time filter narrows them.
                .setPeriod(new Period().setEnd(now));
        report.addExtension(new Extension(QUERY_EXTENSION, new StringType(query)));
        MeasureReportGroupComponent group = report.addGroup()
                .setCode(new CodeableConcept(new Coding(
                        INDICATOR_SYSTEM,
                        answer.indicator().id(),
                        answer.indicator().title())));
        // A count's cells are its measure population; a proportion's, its initial population (the
        // cohort), with the whole slice's denominator and numerator besides (IndicatorMeasures).
        boolean proportion = answer.indicator().ratio() != null;
        Coding cells = proportion ? INITIAL_POPULATION : MEASURE_POPULATION;
        count(group.addPopulation().setCode(new CodeableConcept(cells.copy())), answer.total());
        if (proportion && answer.totalRatio() != null) {
            count(population(group, "denominator", "Denominator"), answer.total());
            count(population(group, "numerator", "Numerator"), answer.totalRatio());
        }
        if (answer.totalRatio() != null && answer.totalRatio().ratio() != null) {
            group.setMeasureScore(new Quantity().setValue(answer.totalRatio().ratio()));
        }
        if (answer.columns().isEmpty()) {
            return report;
        }
        MeasureReport.MeasureReportGroupStratifierComponent stratifier = group.addStratifier();
        answer.columns().forEach(c -> stratifier.addCode(new CodeableConcept(new Coding(DIMENSION_SYSTEM, c, null))));
        for (IndicatorAnswers.Row row : answer.rows()) {
            StratifierGroupComponent stratum = stratifier.addStratum();
            for (int i = 0; i < answer.columns().size(); i++) {
                stratum.addComponent()
                        .setCode(new CodeableConcept(
                                new Coding(DIMENSION_SYSTEM, answer.columns().get(i), null)))
                        .setValue(
                                new CodeableConcept().setText(row.coordinates().get(i)));
            }
            StratifierGroupPopulationComponent population =
                    stratum.addPopulation().setCode(new CodeableConcept(cells.copy()));
            if (row.suppressed()) {
                population.addExtension(new Extension(DATA_ABSENT, new CodeType("masked")));
            } else {
                population.setCount(row.value().intValue());
            }
            if (row.ratio() != null) {
                stratum.setMeasureScore(new Quantity().setValue(row.ratio()));
            }
        }
        return report;
    }

    private static MeasureReportGroupPopulationComponent population(
            MeasureReportGroupComponent group, String code, String display) {
        return group.addPopulation()
                .setCode(new CodeableConcept(
                        new Coding("http://terminology.hl7.org/CodeSystem/measure-population", code, display)));
    }

    /** A population's count, or masked when the cell is hidden. */
    private static void count(MeasureReportGroupPopulationComponent population, IndicatorAnswers.Row row) {
        if (row.suppressed()) {
            population.addExtension(new Extension(DATA_ABSENT, new CodeType("masked")));
        } else {
            population.setCount(row.value().intValue());
        }
    }
}
