package org.sehathub.server.analytics;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.rest.server.RestfulServer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Analytics (docs/analytics.md): SQL on FHIR v2 views run in process on HAPI's FHIRPath engine
 * ({@link ViewEngine}), and {@code $viewdefinition-run} for operators ({@link ViewRunProvider}).
 */
@Configuration(proxyBeanMethods = false)
public class AnalyticsConfig {

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
}
