package org.sehathub.server.audit;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.interceptor.api.IInterceptorService;
import ca.uhn.fhir.rest.server.RestfulServer;
import ca.uhn.fhir.storage.interceptor.balp.BalpAuditCaptureInterceptor;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.Optional;
import org.sehathub.server.security.IngestSenderPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The audit trail (docs/security.md, "Audit trail"): HAPI's BALP interceptor records every FHIR
 * read, search, create, update and delete that succeeded, {@link RefusedRequestAudit} every one that
 * did not, the ingest, the token endpoint and the dead-letter API record theirs; all are stored as
 * AuditEvents by {@link AuditEventWriter} in the trail's own tables ({@link AuditEventStore}), which
 * clients read at {@code /fhir/AuditEvent} (operators, privacy officers; {@link AuditEventProvider})
 * but never write.
 */
@Configuration
@EnableConfigurationProperties(AuditProperties.class)
public class AuditConfig {

    private static final Logger log = LoggerFactory.getLogger(AuditConfig.class);

    @Bean
    public AuditEventStore auditEventStore(
            JdbcTemplate jdbc, PlatformTransactionManager transactionManager, FhirContext fhirContext, Clock clock) {
        return new AuditEventStore(jdbc, new TransactionTemplate(transactionManager), fhirContext, clock);
    }

    @Bean
    public AuditRetention auditRetention(AuditEventStore store, AuditProperties audit, Clock clock) {
        return new AuditRetention(store, audit.retention(), clock);
    }

    @Bean
    public AuditEventWriter auditEventWriter(
            AuditEventStore store, AuditProperties audit, MeterRegistry meters, AuditRetention retention) {
        return new AuditEventWriter(store, audit, meters, retention);
    }

    /** The ingest's messages and the dead-letter API's uses. */
    @Bean
    public IngestAuditEvents ingestAudit(AuditTrail trail, ObjectProvider<IngestSenderPolicy> senders) {
        IngestSenderPolicy policy = senders.getIfAvailable();
        return new IngestAuditEvents(trail, policy != null ? policy::clientOf : exchange -> Optional.empty());
    }

    /** Operators' decisions about persons (patient linking's review queue, splits, merges). */
    @Bean
    public PersonLinkAuditEvents personLinkAudit(AuditTrail trail) {
        return new PersonLinkAuditEvents(trail);
    }

    /** Analysts' questions: which indicator, broken down and filtered how. */
    @Bean
    public AnalyticsAuditEvents analyticsAudit(AuditTrail trail) {
        return new AnalyticsAuditEvents(trail);
    }

    /** Tokens issued and refused, requests refused by access control before /fhir's own checks. */
    @Bean
    public AccessAuditEvents accessAudit(AuditTrail trail) {
        return new AccessAuditEvents(trail);
    }

    /** What records and protects the trail, registered on the FHIR endpoint. */
    @Bean
    public AuditTrail auditTrail(
            RestfulServer fhirRestfulServer,
            IInterceptorService jpaInterceptors,
            AuditEventWriter writer,
            AuditEventStore store,
            AuditProperties audit) {
        fhirRestfulServer.registerProvider(new AuditEventProvider(store));
        fhirRestfulServer.registerInterceptor(new AuditSearchPaging());
        fhirRestfulServer.registerInterceptor(new AuditEventProtection());
        if (!audit.enabled()) {
            log.warn("sehat.audit.enabled=false: no AuditEvent is recorded");
            return new AuditTrail(false, writer);
        }
        CallerAuditContext context = new CallerAuditContext();
        fhirRestfulServer.registerInterceptor(new ReadAudit(writer, context));
        jpaInterceptors.registerInterceptor(new WriteAudit(new BalpAuditCaptureInterceptor(writer, context)));
        fhirRestfulServer.registerInterceptor(new RefusedRequestAudit(writer));
        fhirRestfulServer.registerInterceptor(new OperationAudit(writer));
        return new AuditTrail(true, writer);
    }
}
