package org.sehathub.server.mpi;

import ca.uhn.fhir.interceptor.api.IInterceptorService;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.api.dao.IFhirResourceDao;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.server.RestfulServer;
import ca.uhn.fhir.rest.server.exceptions.ResourceGoneException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import java.time.Clock;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Patient;
import org.sehathub.mappers.mpi.PatientMatcher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Patient linking (docs/mpi.md): every Patient put into its person when it is written ({@link
 * PersonLinkHooks} on HAPI's storage hooks; those stored before, once, by {@link
 * PersonLinkBackfill}), {@code Patient/$match}, {@code Patient/$ihe-pix} and the person behind a record
 * ({@link PersonExpansion}) on the FHIR endpoint, the review queue for operators ({@link
 * PersonLinkController}).
 */
@Configuration(proxyBeanMethods = false)
public class MpiConfig {

    private static final Logger log = LoggerFactory.getLogger(MpiConfig.class);

    @Bean
    public PersonIndex personIndex(JdbcTemplate jdbc) {
        return new PersonIndex(jdbc);
    }

    @Bean
    public PersonLinks personLinks(JdbcTemplate jdbc) {
        return new PersonLinks(jdbc);
    }

    /** The matcher's thresholds at 10,000 records (they rise with the index: docs/mpi.md, "Weights"). */
    @Bean
    public PatientMatcher.Thresholds matchThresholds(
            @Value("${sehat.mpi.match-threshold:#{null}}") Double match,
            @Value("${sehat.mpi.possible-threshold:#{null}}") Double possible) {
        PatientMatcher.Thresholds defaults = PatientMatcher.DEFAULT_THRESHOLDS;
        return new PatientMatcher.Thresholds(
                match == null ? defaults.match() : match, possible == null ? defaults.possible() : possible);
    }

    @Bean
    public PersonLinker personLinker(PersonIndex index, PersonLinks links, PatientMatcher.Thresholds thresholds) {
        return new PersonLinker(index, links, thresholds);
    }

    @Bean
    public PersonLinkHooks personLinkHooks(
            PersonLinker linker,
            DaoRegistry daos,
            Clock clock,
            IInterceptorService jpaInterceptors,
            @Value("${sehat.mpi.link-on-write:true}") boolean linkOnWrite) {
        jpaInterceptors.registerInterceptor(new SeeAlsoUnlink());
        PersonLinkHooks hooks =
                new PersonLinkHooks(linker, id -> stored(daos.getResourceDao(Patient.class), id), clock);
        if (linkOnWrite) {
            jpaInterceptors.registerInterceptor(hooks);
        } else {
            log.warn("patient linking on write is off (sehat.mpi.link-on-write=false): Patients written now are"
                    + " neither indexed nor linked");
        }
        return hooks;
    }

    private static Patient stored(IFhirResourceDao<Patient> patients, String id) {
        try {
            return patients.read(new IdType("Patient", id), new SystemRequestDetails());
        } catch (ResourceNotFoundException | ResourceGoneException e) {
            return null;
        }
    }

    @Bean
    public PersonLinkBackfill personLinkBackfill(
            PersonLinks links, PersonLinkHooks hooks, DaoRegistry daos, PlatformTransactionManager transactions) {
        return new PersonLinkBackfill(
                links, hooks, daos.getResourceDao(Patient.class), new TransactionTemplate(transactions));
    }

    @Bean
    public PatientMatchProvider patientMatchProvider(
            PersonIndex index,
            PersonLinks links,
            DaoRegistry daos,
            Clock clock,
            RestfulServer fhirRestfulServer,
            PatientMatcher.Thresholds thresholds) {
        PatientMatchProvider provider =
                new PatientMatchProvider(index, daos.getResourceDao(Patient.class), thresholds, clock);
        fhirRestfulServer.registerProvider(provider);
        fhirRestfulServer.registerProvider(
                new PatientIdentifierCrossReference(daos.getResourceDao(Patient.class), links));
        fhirRestfulServer.registerInterceptor(new PersonExpansion(links, daos.getResourceDao(Patient.class)));
        return provider;
    }

    @Bean
    public PersonCuration personCuration(
            PersonLinks links, PlatformTransactionManager transactions, PersonLinkEvents events) {
        return new PersonCuration(links, new TransactionTemplate(transactions), events);
    }
}
