package org.sehathub.server.mpi;

import ca.uhn.fhir.interceptor.api.IInterceptorService;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.rest.server.RestfulServer;
import java.time.Clock;
import org.hl7.fhir.r4.model.Patient;
import org.sehathub.mappers.mpi.PatientMatcher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Patient linking (docs/mpi.md), first part: every Patient's blocking keys kept in step with the
 * Patients ({@link PersonIndexer} on HAPI's storage hooks; those stored before, once, by {@link
 * PersonIndexBackfill}), {@code Patient/$match} and {@code Patient/$ihe-pix} on the FHIR endpoint.
 */
@Configuration(proxyBeanMethods = false)
public class MpiConfig {

    @Bean
    public PersonIndex personIndex(JdbcTemplate jdbc) {
        return new PersonIndex(jdbc);
    }

    @Bean
    public PersonIndexer personIndexer(PersonIndex index, Clock clock, IInterceptorService jpaInterceptors) {
        PersonIndexer indexer = new PersonIndexer(index, clock);
        jpaInterceptors.registerInterceptor(indexer);
        return indexer;
    }

    @Bean
    public PersonIndexBackfill personIndexBackfill(PersonIndex index, PersonIndexer indexer, DaoRegistry daos) {
        return new PersonIndexBackfill(index, indexer, daos.getResourceDao(Patient.class));
    }

    @Bean
    public PatientMatchProvider patientMatchProvider(
            PersonIndex index, DaoRegistry daos, Clock clock, RestfulServer fhirRestfulServer) {
        PatientMatchProvider provider = new PatientMatchProvider(
                index, daos.getResourceDao(Patient.class), PatientMatcher.DEFAULT_THRESHOLDS, clock);
        fhirRestfulServer.registerProvider(provider);
        fhirRestfulServer.registerProvider(
                new PatientIdentifierCrossReference(daos.getResourceDao(Patient.class), provider));
        return provider;
    }
}
