package org.sehathub.server.analytics;

import java.util.List;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeSystem;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Enumerations.PublicationStatus;
import org.hl7.fhir.r4.model.Expression;
import org.hl7.fhir.r4.model.Measure;
import org.hl7.fhir.r4.model.Measure.MeasureGroupComponent;

/**
 * The catalogue as FHIR, for a DHIS2 bridge or any IHE mADX consumer: one {@code Measure} per
 * indicator (what its MeasureReports answer: {@code MeasureReport.measure} is the Measure's url),
 * with its population described and one stratifier per dimension it can be broken down by; and
 * the two code systems the reports use, for the indicators and for the dimensions.
 */
final class IndicatorMeasures {

    static final String PUBLISHER = "Sehat Hub";

    /** The language of a population's criteria: prose (the definition), the count being the server's own query. */
    static final String PROSE = "text/plain";

    /** What each dimension is, as the code system of dimensions says. */
    private static final List<String[]> DIMENSIONS = List.of(
            new String[] {"province", "Province", "Province of the patient's address (Address.state)"},
            new String[] {
                "district", "District", "District of the patient's address (Address.district), within its province"
            },
            new String[] {"facility", "Facility", "The facility whose record the event is (its source-facility tag)"},
            new String[] {"sex", "Sex", "Administrative gender of the patient"},
            new String[] {"age_band", "Age band", "Five-year age band at the event's date (0-4 ... 80-84, 85+)"},
            new String[] {
                "year",
                "Year",
                "Year of the event's date as written; events before the years shown one by one"
                        + " (sehat.analytics.years-shown) are one value, before-<first year shown>, in every time"
                        + " dimension"
            },
            new String[] {"quarter", "Quarter", "Quarter of the event's date (2026-Q1)"},
            new String[] {"month", "Month", "Month of the event's date (2026-03)"},
            new String[] {"week", "ISO week", "ISO week of the event's date (2026-W10)"},
            new String[] {"day", "Day", "Day of the event's date"},
            new String[] {"mode", "Encounter mode", "virtual (class VR) or in-person"},
            new String[] {
                "status",
                "Vaccination status",
                "vaccinated or unvaccinated, splitting a coverage's cohort; completed or dropped-out, a drop-out's"
            });

    private IndicatorMeasures() {}

    /** The Measures of the catalogue and the code systems of their reports, as one collection Bundle. */
    static Bundle catalogue(List<Indicator> indicators) {
        Bundle bundle = new Bundle().setType(Bundle.BundleType.COLLECTION);
        indicators.forEach(i -> add(bundle, of(i)));
        add(bundle, indicatorCodes(indicators));
        add(bundle, dimensionCodes());
        return bundle;
    }

    private static void add(Bundle bundle, org.hl7.fhir.r4.model.MetadataResource resource) {
        bundle.addEntry().setFullUrl(resource.getUrl()).setResource(resource);
    }

    static Measure of(Indicator indicator) {
        Measure measure = new Measure();
        measure.setId(indicator.id());
        measure.setUrl(IndicatorMeasureReport.MEASURE_BASE + indicator.id());
        measure.setName(name(indicator.id()));
        measure.setTitle(indicator.title());
        measure.setStatus(PublicationStatus.ACTIVE);
        measure.setExperimental(false);
        measure.setPublisher(PUBLISHER);
        measure.setDescription(indicator.definition());
        measure.setSubject(new CodeableConcept(new Coding("http://hl7.org/fhir/resource-types", "Patient", "Patient")));
        measure.setScoring(new CodeableConcept(new Coding(
                "http://terminology.hl7.org/CodeSystem/measure-scoring",
                indicator.ratio() == null ? "cohort" : "proportion",
                null)));
        if (!indicator.parameters().isEmpty()) {
            StringBuilder usage = new StringBuilder("Parameters: ");
            indicator.parameters().entrySet().stream()
                    .sorted(java.util.Map.Entry.comparingByKey())
                    .forEach(p -> usage.append(p.getKey())
                            .append(" (")
                            .append(p.getValue())
                            .append("); "));
            measure.setUsage(usage.toString().trim());
        }
        MeasureGroupComponent group = measure.addGroup()
                .setCode(new CodeableConcept(
                        new Coding(IndicatorMeasureReport.INDICATOR_SYSTEM, indicator.id(), indicator.title())));
        if (indicator.ratio() == null) {
            population(group, "measure-population", indicator.numerator() + ", from " + indicator.sources());
        } else {
            population(group, "initial-population", indicator.denominator());
            population(group, "denominator", indicator.denominator());
            population(group, "numerator", indicator.numerator());
        }
        for (String[] dimension : DIMENSIONS) {
            if (indicator.dimensions().contains(dimension[0])) {
                group.addStratifier()
                        .setCode(new CodeableConcept(
                                new Coding(IndicatorMeasureReport.DIMENSION_SYSTEM, dimension[0], dimension[1])))
                        .setDescription(dimension[2]);
            }
        }
        return measure;
    }

    private static void population(MeasureGroupComponent group, String code, String description) {
        group.addPopulation()
                .setCode(new CodeableConcept(
                        new Coding("http://terminology.hl7.org/CodeSystem/measure-population", code, null)))
                .setDescription(description)
                // Counted by the server's own query over its analytical store, not by CQL: the criteria
                // are prose. R4's expression-language value set (extensible) has no code for prose.
                .setCriteria(new Expression().setLanguage(PROSE).setExpression(description));
    }

    private static CodeSystem indicatorCodes(List<Indicator> indicators) {
        CodeSystem codes =
                codeSystem(IndicatorMeasureReport.INDICATOR_SYSTEM, "SehatHubIndicators", "Sehat Hub indicators");
        indicators.forEach(
                i -> codes.addConcept().setCode(i.id()).setDisplay(i.title()).setDefinition(i.definition()));
        return codes;
    }

    private static CodeSystem dimensionCodes() {
        CodeSystem codes = codeSystem(
                IndicatorMeasureReport.DIMENSION_SYSTEM,
                "SehatHubIndicatorDimensions",
                "Sehat Hub indicator dimensions");
        DIMENSIONS.forEach(
                d -> codes.addConcept().setCode(d[0]).setDisplay(d[1]).setDefinition(d[2]));
        return codes;
    }

    private static CodeSystem codeSystem(String url, String name, String title) {
        CodeSystem codes = new CodeSystem();
        codes.setId(url.substring(url.lastIndexOf('/') + 1)); // its canonical url is its address too
        codes.setUrl(url);
        codes.setName(name);
        codes.setTitle(title);
        codes.setStatus(PublicationStatus.ACTIVE);
        codes.setPublisher(PUBLISHER);
        codes.setContent(CodeSystem.CodeSystemContentMode.COMPLETE);
        codes.setCaseSensitive(true);
        return codes;
    }

    /** A computable name: people-with-condition to PeopleWithCondition. */
    private static String name(String id) {
        StringBuilder name = new StringBuilder();
        for (String word : id.split("[^A-Za-z0-9]+")) {
            if (!word.isEmpty()) {
                name.append(Character.toUpperCase(word.charAt(0))).append(word.substring(1));
            }
        }
        return name.toString();
    }
}
