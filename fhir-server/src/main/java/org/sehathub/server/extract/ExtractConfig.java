package org.sehathub.server.extract;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import java.time.Clock;
import org.sehathub.server.analytics.AnalyticsEvents;
import org.sehathub.server.config.SehatProperties;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

/** De-identified extracts (docs/analytics.md): written under {@code <data-dir>/extracts}. */
@Configuration(proxyBeanMethods = false)
public class ExtractConfig {

    @Bean(destroyMethod = "close")
    public Extracts extracts(
            FhirContext fhirContext, DaoRegistry daos, JdbcTemplate jdbc, Clock clock, SehatProperties sehat) {
        return new Extracts(
                new ExtractJob(fhirContext, daos, jdbc, clock), sehat.dataDir().resolve("extracts"));
    }

    @Bean
    ExtractController extractController(
            Extracts extracts, ObjectProvider<AnalyticsEvents> events, @Value("${sehat.analytics.extract-k:5}") int k) {
        if (k < 2) {
            throw new IllegalArgumentException("sehat.analytics.extract-k must be at least 2");
        }
        return new ExtractController(extracts, events.getIfAvailable(() -> AnalyticsEvents.NONE), k);
    }
}
