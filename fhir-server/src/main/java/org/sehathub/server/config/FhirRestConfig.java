package org.sehathub.server.config;

import ca.uhn.fhir.batch2.jobs.bulkmodify.reindex.ReindexProvider;
import ca.uhn.fhir.batch2.jobs.export.BulkDataExportProvider;
import ca.uhn.fhir.context.support.IValidationSupport;
import ca.uhn.fhir.jpa.api.config.JpaStorageSettings;
import ca.uhn.fhir.jpa.api.dao.IFhirSystemDao;
import ca.uhn.fhir.jpa.provider.IJpaSystemProvider;
import ca.uhn.fhir.jpa.provider.JpaCapabilityStatementProvider;
import ca.uhn.fhir.jpa.provider.ValueSetOperationProvider;
import ca.uhn.fhir.jpa.search.DatabaseBackedPagingProvider;
import ca.uhn.fhir.narrative2.NullNarrativeGenerator;
import ca.uhn.fhir.rest.api.EncodingEnum;
import ca.uhn.fhir.rest.server.HardcodedServerAddressStrategy;
import ca.uhn.fhir.rest.server.IResourceProvider;
import ca.uhn.fhir.rest.server.IncomingRequestAddressStrategy;
import ca.uhn.fhir.rest.server.RestfulServer;
import ca.uhn.fhir.rest.server.interceptor.LoggingInterceptor;
import ca.uhn.fhir.rest.server.interceptor.ResponseHighlighterInterceptor;
import ca.uhn.fhir.rest.server.interceptor.consent.ConsentInterceptor;
import ca.uhn.fhir.rest.server.provider.ResourceProviderFactory;
import ca.uhn.fhir.rest.server.util.ISearchParamRegistry;
import java.time.Duration;
import org.hl7.fhir.r4.model.AuditEvent;
import org.sehathub.server.audit.AuditEventCapabilities;
import org.sehathub.server.interceptor.EverythingSinceInterceptor;
import org.sehathub.server.interceptor.FhirNormalizationInterceptor;
import org.sehathub.server.security.FacilityTagging;
import org.sehathub.server.security.FhirAuthorizationRules;
import org.sehathub.server.security.PatientCompartmentNarrowing;
import org.sehathub.server.security.ScopeConsent;
import org.sehathub.server.security.SmartInteractionCheck;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.info.BuildProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The FHIR REST endpoint at {@code /fhir}: HAPI's {@link RestfulServer} with the JPA resource
 * providers, system operations (transaction, batch, history, {@code $meta}), {@code $everything},
 * {@code $validate}, ValueSet operations and Bulk Data {@code $export}.
 */
@Configuration
public class FhirRestConfig {

    static final String FHIR_PATH = "/fhir/*";

    @Bean
    public RestfulServer fhirRestfulServer(
            IFhirSystemDao<?, ?> systemDao,
            ResourceProviderFactory resourceProviders,
            IJpaSystemProvider systemProvider,
            ValueSetOperationProvider valueSetOperations,
            BulkDataExportProvider bulkExport,
            ReindexProvider reindex,
            DatabaseBackedPagingProvider pagingProvider,
            JpaStorageSettings storageSettings,
            ISearchParamRegistry searchParamRegistry,
            IValidationSupport validationSupport,
            FhirProperties fhir,
            FhirNormalizationInterceptor normalization,
            ObjectProvider<BuildProperties> buildProperties,
            ObjectProvider<FhirAuthorizationRules> authorization,
            ObjectProvider<SmartInteractionCheck> smartInteractions,
            ObjectProvider<ScopeConsent> scopeConsent,
            ObjectProvider<FacilityTagging> facilityTagging,
            ObjectProvider<PatientCompartmentNarrowing> patientCompartment) {
        RestfulServer server = new RestfulServer(systemDao.getContext());
        // Stored resources keep the narrative their sender wrote; the server does not invent one.
        server.getFhirContext().setNarrativeGenerator(new NullNarrativeGenerator());
        server.setServerName("Sehat Hub");
        BuildProperties build = buildProperties.getIfAvailable();
        server.setServerVersion(build != null ? build.getVersion() : "development");
        server.setImplementationDescription("Sehat Hub central health record (HAPI FHIR JPA, R4)");

        // AuditEvent is served from the audit trail's own tables (audit.AuditEventProvider), not by HAPI's JPA.
        server.registerProviders(resourceProviders.createProviders().stream()
                .filter(p -> !(p instanceof IResourceProvider r && r.getResourceType() == AuditEvent.class))
                .toList());
        server.registerProvider(systemProvider);
        server.registerProvider(valueSetOperations);
        // $reindex (a HAPI batch job): search indexes and the full-text index rebuilt from the stored
        // resources, after a restore or a new search parameter.
        server.registerProvider(reindex);
        if (fhir.bulkExportEnabled()) {
            server.registerProvider(bulkExport);
        }

        pagingProvider.setDefaultPageSize(fhir.defaultPageSize());
        pagingProvider.setMaximumPageSize(fhir.maxPageSize());
        server.setPagingProvider(pagingProvider);
        server.setDefaultResponseEncoding(EncodingEnum.JSON);
        server.setServerAddressStrategy(
                fhir.serverAddress().isBlank()
                        ? new IncomingRequestAddressStrategy()
                        : new HardcodedServerAddressStrategy(fhir.serverAddress()));

        JpaCapabilityStatementProvider capabilities = new JpaCapabilityStatementProvider(
                server, systemDao, storageSettings, searchParamRegistry, validationSupport);
        capabilities.setImplementationDescription("Sehat Hub central health record");
        server.setServerConformanceProvider(capabilities);

        // Access control (security.SecurityConfig; absent when sehat.security.enabled=false): scopes
        // checked first, resources of types not granted left out of responses, then HAPI's rules for
        // every resource read, written or returned.
        smartInteractions.ifAvailable(server::registerInterceptor);
        patientCompartment.ifAvailable(server::registerInterceptor);
        scopeConsent.ifAvailable(consent -> server.registerInterceptor(new ConsentInterceptor(consent)));
        authorization.ifAvailable(server::registerInterceptor);
        facilityTagging.ifAvailable(server::registerInterceptor);
        server.registerInterceptor(new TurtleRefusal(server.getFhirContext()));
        server.registerInterceptor(new BundleEntryLimit(fhir.maxBundleEntries()));
        server.registerInterceptor(new ResponseHighlighterInterceptor());
        server.registerInterceptor(requestLog());
        server.registerInterceptor(normalization);
        server.registerInterceptor(
                new EverythingSinceInterceptor(Duration.ofMinutes(fhir.retainCachedSearchesMinutes())));
        // The CapabilityStatement describes AuditEvent as the trail's provider serves it.
        server.registerInterceptor(new AuditEventCapabilities());
        return server;
    }

    @Bean
    public ServletRegistrationBean<RestfulServer> fhirServlet(RestfulServer fhirRestfulServer) {
        ServletRegistrationBean<RestfulServer> registration =
                new ServletRegistrationBean<>(fhirRestfulServer, FHIR_PATH);
        registration.setName("fhir");
        registration.setLoadOnStartup(1);
        return registration;
    }

    /** Request bodies bounded before HAPI buffers them (413), gzip bombs included. */
    @Bean
    public FilterRegistrationBean<RequestBodyLimit> fhirRequestBodyLimit(FhirProperties fhir) {
        FilterRegistrationBean<RequestBodyLimit> registration =
                new FilterRegistrationBean<>(new RequestBodyLimit(fhir.maxRequestBytes()));
        registration.addUrlPatterns(FHIR_PATH);
        registration.setName("fhir-request-body-limit");
        // After Spring Security (-100): a request without a valid token is refused before its body is read.
        registration.setOrder(0);
        return registration;
    }

    /**
     * One line per request with the operation, the resource type or id and the time taken. Query
     * strings and exception messages are left out on purpose: they can carry identities
     * ({@code ?identifier=}, a conditional-create match URL). Clients get the details in the
     * OperationOutcome.
     */
    private static LoggingInterceptor requestLog() {
        LoggingInterceptor interceptor = new LoggingInterceptor();
        interceptor.setLoggerName("sehat.fhir.requests");
        interceptor.setMessageFormat(
                "${requestVerb} ${operationType} ${idOrResourceName} ${operationName} -> ${processingTimeMillis} ms");
        interceptor.setErrorMessageFormat(
                "FAILED ${requestVerb} ${operationType} ${idOrResourceName} ${operationName} -> ${processingTimeMillis} ms");
        interceptor.setLogExceptions(false);
        return interceptor;
    }
}
