package org.sehathub.server.search;

import ca.uhn.fhir.batch2.api.IJobCoordinator;
import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.interceptor.api.IInterceptorService;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.model.config.PartitionSettings;
import ca.uhn.fhir.jpa.searchparam.registry.SearchParameterCanonicalizer;
import ca.uhn.fhir.rest.server.util.ISearchParamRegistry;
import javax.sql.DataSource;
import org.sehathub.server.config.FhirProperties;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The search parameters Sehat Hub adds to R4's ({@link DistrictSearchParameter}), stored at
 * start-up, the built-in ones it keeps ({@link PromisedSearchParameters}), and lookups answered
 * without HAPI's search storage ({@link OnePageLookups}).
 */
@Configuration(proxyBeanMethods = false)
public class SearchParametersConfig {

    private static final String LIMIT_SWITCH = "sehat.fhir.index-only-promised-search-parameters";

    @Bean
    @ConditionalOnProperty(name = LIMIT_SWITCH, havingValue = "true", matchIfMissing = true)
    public PromisedSearchParameters promisedSearchParameters(FhirContext fhir, FhirProperties properties) {
        return new PromisedSearchParameters(fhir, properties.promisedSearchParameters(), properties.fullTextTypes());
    }

    /** Static: a post-processor is made before the other beans; it looks its inputs up when used. */
    @Bean
    @ConditionalOnProperty(name = LIMIT_SWITCH, havingValue = "true", matchIfMissing = true)
    public static PromisedSearchParameterRegistry promisedSearchParameterRegistry(
            ObjectProvider<FhirContext> fhir,
            ObjectProvider<SearchParameterCanonicalizer> canonicalizer,
            ObjectProvider<PromisedSearchParameters> promised) {
        return new PromisedSearchParameterRegistry(fhir, canonicalizer, promised);
    }

    @Bean
    @ConditionalOnProperty(name = "sehat.fhir.one-page-lookups", havingValue = "true", matchIfMissing = true)
    public OnePageLookups onePageLookups(
            DataSource dataSource,
            PartitionSettings partitionSettings,
            FhirProperties properties,
            IInterceptorService jpaInterceptors) {
        OnePageLookups lookups = new OnePageLookups(
                new JdbcTemplate(dataSource),
                partitionSettings,
                properties.defaultPageSize(),
                properties.maxPageSize());
        jpaInterceptors.registerInterceptor(lookups);
        return lookups;
    }

    @Bean
    public DistrictSearchParameter districtSearchParameter(
            DaoRegistry daos, ISearchParamRegistry registry, IJobCoordinator jobs) {
        return new DistrictSearchParameter(daos, registry, jobs);
    }

    @Bean
    public ApplicationRunner searchParameterLoader(DistrictSearchParameter district) {
        return args -> district.ensure();
    }
}
