package org.sehathub.server.analytics;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.rest.server.RestfulServer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Analytics (docs/analytics.md): SQL on FHIR v2 views run in process on HAPI's FHIRPath engine
 * ({@link ViewEngine}); {@code $viewdefinition-run} for operators ({@link ViewRunProvider}); the
 * built-in views ({@code analytics/views/*.json}) kept as tables of the analytical store by {@link
 * ViewRefresher}; the indicators analysts ask for at {@code /analytics} ({@link
 * AnalyticsController}).
 */
@Configuration(proxyBeanMethods = false)
public class AnalyticsConfig {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The FHIRPath engine reads the base StructureDefinitions through the server's validation support. */
    @Bean
    public ViewEngine viewEngine(FhirContext fhirContext) {
        return new ViewEngine(fhirContext, fhirContext.getValidationSupport());
    }

    @Bean
    public ViewRunProvider viewRunProvider(
            FhirContext fhirContext, ViewEngine viewEngine, DaoRegistry daos, RestfulServer fhirRestfulServer) {
        ViewRunProvider provider = new ViewRunProvider(fhirContext, viewEngine, daos);
        fhirRestfulServer.registerProvider(provider);
        return provider;
    }

    /** The built-in views, each a table of the store named as the view. */
    @Bean
    public List<ViewTable> analyticsViews(ViewEngine engine) throws IOException {
        Resource[] files = new PathMatchingResourcePatternResolver().getResources("classpath:analytics/views/*.json");
        Arrays.sort(files, Comparator.comparing(Resource::getFilename));
        List<ViewTable> tables = new ArrayList<>();
        for (Resource file : files) {
            try (InputStream in = file.getInputStream()) {
                String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                JsonNode json = JSON.readTree(text);
                ViewDefinition view = ViewDefinition.parse(json);
                tables.add(ViewTable.of(
                        view.name(),
                        text,
                        engine.compile(view),
                        Indicators.INDEXES.getOrDefault(view.name(), List.of())));
            }
        }
        return List.copyOf(tables);
    }

    @Bean
    public AnalyticsStore analyticsStore(JdbcTemplate jdbc, PlatformTransactionManager transactions) {
        return new AnalyticsStore(jdbc, new TransactionTemplate(transactions));
    }

    @Bean(destroyMethod = "close")
    public ViewRefresher viewRefresher(
            List<ViewTable> analyticsViews,
            AnalyticsStore store,
            JdbcTemplate jdbc,
            DaoRegistry daos,
            @Value("${sehat.analytics.settle:30s}") Duration settle,
            MeterRegistry meters) {
        return new ViewRefresher(analyticsViews, store, jdbc, daos, settle, meters);
    }

    /** The views are refreshed once the server is up (HAPI's tables exist), then every interval. */
    @Bean
    public ApplicationListener<ApplicationReadyEvent> viewRefreshStart(
            ViewRefresher refresher, @Value("${sehat.analytics.refresh-interval:10s}") Duration interval) {
        return event -> refresher.start(interval);
    }

    @Bean
    Indicators indicators() {
        return new Indicators();
    }

    @Bean
    IndicatorAnswers indicatorAnswers(
            JdbcTemplate jdbc,
            Clock clock,
            @Value("${sehat.analytics.suppression-threshold:10}") int threshold,
            @Value("${sehat.analytics.years-shown:10}") int yearsShown) {
        if (threshold < 1) {
            throw new IllegalArgumentException("sehat.analytics.suppression-threshold must be at least 1");
        }
        if (yearsShown < 1) {
            throw new IllegalArgumentException("sehat.analytics.years-shown must be at least 1");
        }
        return new IndicatorAnswers(jdbc, threshold, clock, yearsShown);
    }
}
