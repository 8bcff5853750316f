package org.sehathub.server.search;

import ca.uhn.fhir.batch2.api.IJobCoordinator;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.rest.server.util.ISearchParamRegistry;
import org.springframework.boot.ApplicationRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The search parameters Sehat Hub adds to R4's ({@link DistrictSearchParameter}), stored at start-up. */
@Configuration(proxyBeanMethods = false)
public class SearchParametersConfig {

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
