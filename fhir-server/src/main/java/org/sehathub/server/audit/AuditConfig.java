package org.sehathub.server.audit;

import ca.uhn.fhir.interceptor.api.IInterceptorService;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.api.dao.IFhirResourceDao;
import ca.uhn.fhir.jpa.api.dao.IFhirSystemDao;
import ca.uhn.fhir.rest.server.RestfulServer;
import ca.uhn.fhir.storage.interceptor.balp.BalpAuditCaptureInterceptor;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.Optional;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Meta;
import org.sehathub.server.security.IngestSenderPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The audit trail (docs/security.md, "Audit trail"): HAPI's BALP interceptor records every FHIR
 * read, search, create, update and delete that succeeded, {@link RefusedRequestAudit} every one that
 * did not, the ingest, the token endpoint and the dead-letter API record theirs; all are stored as
 * AuditEvents by {@link AuditEventWriter}, which clients can read (operators, privacy officers) but
 * never write ({@link AuditEventProtection}).
 */
@Configuration
@EnableConfigurationProperties(AuditProperties.class)
public class AuditConfig {

	private static final Logger log = LoggerFactory.getLogger(AuditConfig.class);

	@Bean
	public AuditRetention auditRetention(DaoRegistry daos, PlatformTransactionManager transactionManager,
			AuditProperties audit, Clock clock) {
		IFhirResourceDao<AuditEvent> auditEvents = daos.getResourceDao(AuditEvent.class);
		return new AuditRetention(auditEvents, new TransactionTemplate(transactionManager), audit.retention(), clock);
	}

	@Bean
	public AuditEventWriter auditEventWriter(IFhirSystemDao<Bundle, Meta> systemDao, AuditProperties audit,
			MeterRegistry meters, AuditRetention retention) {
		return new AuditEventWriter(systemDao, audit, meters, retention);
	}

	/** The ingest's messages and the dead-letter API's uses. */
	@Bean
	public IngestAuditEvents ingestAudit(AuditTrail trail, ObjectProvider<IngestSenderPolicy> senders) {
		IngestSenderPolicy policy = senders.getIfAvailable();
		return new IngestAuditEvents(trail, policy != null ? policy::clientOf : exchange -> Optional.empty());
	}

	/** Tokens issued and refused, requests refused by access control before /fhir's own checks. */
	@Bean
	public AccessAuditEvents accessAudit(AuditTrail trail) {
		return new AccessAuditEvents(trail);
	}

	/** What records and protects the trail, registered on the FHIR endpoint. */
	@Bean
	public AuditTrail auditTrail(RestfulServer fhirRestfulServer, IInterceptorService jpaInterceptors, AuditEventWriter writer,
			AuditProperties audit) {
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
