package org.sehathub.server.analytics;

import ca.uhn.fhir.context.FhirContext;
import jakarta.servlet.http.HttpServletRequest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.sehathub.server.config.Problems;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The analysts' surface (docs/analytics.md, "Indicators"): the catalogue at {@code
 * /analytics/indicators} and each indicator's counts at {@code /analytics/indicators/{id}}, broken
 * down ({@code by=district,month}) and filtered ({@code sex=female}) by dimensions, as JSON, CSV or
 * a FHIR MeasureReport ({@link IndicatorMeasureReport}),
 * small cells suppressed. Analysts and operators (as all of {@code /analytics}); every question
 * audited ({@link AnalyticsEvents}). Operators may also bring the views up to date at once ({@code
 * POST /admin/analytics/refresh}).
 */
@RestController
public class AnalyticsController {

    private final Indicators indicators;
    private final IndicatorAnswers answers;
    private final ViewRefresher refresher;
    private final AnalyticsEvents events;
    private final FhirContext fhir;

    AnalyticsController(
            Indicators indicators,
            IndicatorAnswers answers,
            ViewRefresher refresher,
            AnalyticsEvents events,
            FhirContext fhir) {
        this.indicators = indicators;
        this.answers = answers;
        this.refresher = refresher;
        this.events = events;
        this.fhir = fhir;
    }

    @GetMapping(path = "/analytics/indicators", produces = MediaType.APPLICATION_JSON_VALUE)
    List<Map<String, Object>> catalogue() {
        List<Map<String, Object>> list = new ArrayList<>();
        for (Indicator indicator : indicators.all()) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("id", indicator.id());
            entry.put("title", indicator.title());
            entry.put("definition", indicator.definition());
            entry.put("numerator", indicator.numerator());
            entry.put("denominator", indicator.denominator());
            entry.put("sources", indicator.sources());
            entry.put("counts", indicator.counts().label);
            entry.put("parameters", new TreeMap<>(indicator.parameters()));
            entry.put("dimensions", indicator.dimensions().stream().sorted().toList());
            list.add(entry);
        }
        return list;
    }

    @GetMapping(path = "/analytics/indicators/{id}")
    ResponseEntity<?> indicator(
            @PathVariable String id,
            @RequestParam(name = "by", required = false) String by,
            @RequestParam(name = "format", defaultValue = "json") String format,
            @RequestParam Map<String, String> query,
            HttpServletRequest request) {
        String asked = id + (request.getQueryString() == null ? "" : "?" + request.getQueryString());
        try {
            ResponseEntity<?> response = answer(id, by, format, query, asked);
            events.asked(asked, null);
            return response;
        } catch (IllegalArgumentException e) {
            events.asked(asked, "bad-request");
            throw e;
        } catch (NotFound e) {
            events.asked(asked, "not-found");
            throw e;
        }
    }

    private ResponseEntity<?> answer(String id, String by, String format, Map<String, String> query, String asked) {
        Indicator indicator = indicators
                .find(id)
                .orElseThrow(() -> new NotFound("no indicator " + id + "; the catalogue is at /analytics/indicators"));
        List<String> breakdown = by == null || by.isBlank()
                ? List.of()
                : Arrays.stream(by.split(",")).map(String::trim).toList();
        Map<String, String> filters = new TreeMap<>();
        Map<String, String> parameters = new TreeMap<>();
        query.forEach((name, value) -> {
            if (name.equals("by") || name.equals("format")) {
                return;
            }
            if (Dimensions.ALL.contains(name)) {
                filters.put(name, value);
            } else if (indicator.parameters().containsKey(name)) {
                parameters.put(name, value);
            } else {
                throw new IllegalArgumentException("unknown parameter " + name + " for " + id);
            }
        });
        IndicatorAnswers.Answer answer = answers.answer(indicator, breakdown, filters, parameters);
        return switch (format) {
            case "json" ->
                ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(json(answer));
            case "csv" ->
                ResponseEntity.ok()
                        .contentType(new MediaType("text", "csv", java.nio.charset.StandardCharsets.UTF_8))
                        .header("Content-Disposition", "attachment; filename=\"" + id + ".csv\"")
                        .body(csv(answer));
            case "measurereport" ->
                ResponseEntity.ok()
                        .contentType(MediaType.parseMediaType("application/fhir+json"))
                        .body(fhir.newJsonParser()
                                .encodeResourceToString(
                                        IndicatorMeasureReport.of(answer, asked, new java.util.Date())));
            default -> throw new IllegalArgumentException("format must be json, csv or measurereport, not " + format);
        };
    }

    /**
     * The catalogue as FHIR Measures, with the code systems of the reports (IHE mADX: what a DHIS2
     * bridge maps its data elements and category options from).
     */
    @GetMapping(path = "/analytics/measures")
    ResponseEntity<String> measures() {
        return ResponseEntity.ok()
                .contentType(FHIR_JSON)
                .body(fhir.newJsonParser().encodeResourceToString(IndicatorMeasures.catalogue(indicators.all())));
    }

    @GetMapping(path = "/analytics/measures/{id}")
    ResponseEntity<String> measure(@PathVariable String id) {
        Indicator indicator = indicators
                .find(id)
                .orElseThrow(() -> new NotFound("no Measure " + id + "; the catalogue is at /analytics/measures"));
        return ResponseEntity.ok()
                .contentType(FHIR_JSON)
                .body(fhir.newJsonParser().encodeResourceToString(IndicatorMeasures.of(indicator)));
    }

    private static final MediaType FHIR_JSON = MediaType.parseMediaType("application/fhir+json");

    @PostMapping(path = "/admin/analytics/refresh", produces = MediaType.APPLICATION_JSON_VALUE)
    Map<String, Object> refresh() {
        return Map.of("resources", refresher.refresh());
    }

    private static Map<String, Object> json(IndicatorAnswers.Answer answer) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("indicator", answer.indicator().id());
        body.put("title", answer.indicator().title());
        body.put("counts", answer.indicator().counts().label);
        body.put("parameters", answer.parameters());
        body.put("filters", answer.filters());
        body.put("breakdown", answer.columns());
        body.put("suppressionThreshold", answer.threshold());
        List<Map<String, Object>> rows = new ArrayList<>();
        for (IndicatorAnswers.Row row : answer.rows()) {
            Map<String, Object> cell = new LinkedHashMap<>();
            for (int i = 0; i < answer.columns().size(); i++) {
                cell.put(answer.columns().get(i), row.coordinates().get(i));
            }
            rows.add(counts(row, cell, answer.indicator()));
        }
        body.put("rows", rows);
        body.put("total", counts(answer.total(), new LinkedHashMap<>(), answer.indicator()));
        if (answer.totalRatio() != null) {
            Map<String, Object> ratio = counts(answer.totalRatio(), new LinkedHashMap<>(), answer.indicator());
            ratio.remove("atLeast");
            body.put(answer.indicator().ratio().label(), ratio);
        }
        return body;
    }

    private static Map<String, Object> counts(IndicatorAnswers.Row row, Map<String, Object> cell, Indicator indicator) {
        if (row.suppressed()) {
            cell.put("value", null);
            cell.put("suppressed", true);
        } else {
            cell.put("value", row.value());
            if (indicator.counts() == Indicator.Counts.PEOPLE) {
                cell.put("atLeast", row.atLeast());
            }
        }
        if (row.denominator() != null) {
            cell.put("denominator", row.denominator());
            cell.put(indicator.ratio().label(), row.ratio());
        }
        return cell;
    }

    private static String csv(IndicatorAnswers.Answer answer) {
        Indicator.Ratio ratio = answer.indicator().ratio();
        StringBuilder csv = new StringBuilder(String.join(",", answer.columns()));
        csv.append(answer.columns().isEmpty() ? "" : ",").append("value,at_least,suppressed");
        csv.append(ratio == null ? "" : ",denominator," + ratio.label()).append("\r\n");
        for (IndicatorAnswers.Row row : answer.rows()) {
            for (String coordinate : row.coordinates()) {
                csv.append(quote(coordinate)).append(',');
            }
            csv.append(row.suppressed() ? "" : row.value())
                    .append(',')
                    .append(row.suppressed() ? "" : row.atLeast())
                    .append(',')
                    .append(row.suppressed());
            if (ratio != null) {
                csv.append(',')
                        .append(row.denominator() == null ? "" : row.denominator())
                        .append(',')
                        .append(row.ratio() == null ? "" : row.ratio());
            }
            csv.append("\r\n");
        }
        return csv.toString();
    }

    private static String quote(String value) {
        return value.contains(",") || value.contains("\"") ? '"' + value.replace("\"", "\"\"") + '"' : value;
    }

    /** An indicator the catalogue does not have. */
    static final class NotFound extends RuntimeException {
        NotFound(String message) {
            super(message);
        }
    }

    @ExceptionHandler(IllegalArgumentException.class)
    ResponseEntity<ProblemDetail> badRequest(IllegalArgumentException e) {
        return Problems.of(HttpStatus.BAD_REQUEST, "bad-request", e.getMessage());
    }

    @ExceptionHandler(NotFound.class)
    ResponseEntity<ProblemDetail> notFound(NotFound e) {
        return Problems.of(HttpStatus.NOT_FOUND, "not-found", e.getMessage());
    }
}
