package org.sehathub.server.storage;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.interceptor.api.IInterceptorService;
import ca.uhn.fhir.jpa.config.HibernatePropertiesProvider;
import ca.uhn.fhir.jpa.dao.EncodeOnceHistoryCalculator;
import ca.uhn.fhir.jpa.dao.ResourceHistoryCalculator;
import ca.uhn.fhir.jpa.dao.index.SearchParamWithInlineReferencesExtractor;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;

/**
 * HAPI's write path without the work it throws away: a new resource in a FHIR transaction is
 * indexed, encoded and its full text extracted once, in the second pass, instead of in both
 * ({@link TransactionFirstPass}). The extractor and the encoder take the place of HAPI's own
 * ({@code @Primary}; HAPI's DAOs ask for them by type); the full text is skipped by a hook.
 * {@code sehat.fhir.index-new-resources-once=false} (and the benchmark's {@code stock-hapi}
 * profile) puts HAPI's behaviour back.
 */
@Configuration
@ConditionalOnProperty(name = "sehat.fhir.index-new-resources-once", havingValue = "true", matchIfMissing = true)
public class WritePathConfig {

    @Primary
    @Bean
    public SearchParamWithInlineReferencesExtractor indexOnceExtractor() {
        return new IndexOnceExtractor();
    }

    @Bean
    public FirstPassFullTextSkip firstPassFullTextSkip(IInterceptorService jpaInterceptors) {
        FirstPassFullTextSkip skip = new FirstPassFullTextSkip();
        jpaInterceptors.registerInterceptor(skip);
        return skip;
    }

    @Primary
    @Bean
    public ResourceHistoryCalculator encodeOnceHistoryCalculator(
            FhirContext fhirContext, HibernatePropertiesProvider hibernate) {
        return new EncodeOnceHistoryCalculator(fhirContext, hibernate.isOracleDialect());
    }
}
