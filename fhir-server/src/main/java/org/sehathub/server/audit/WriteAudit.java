package org.sehathub.server.audit;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.servlet.ServletRequestDetails;
import ca.uhn.fhir.storage.interceptor.balp.BalpAuditCaptureInterceptor;
import org.hl7.fhir.instance.model.api.IBaseResource;

/**
 * Hands the creates, updates and deletes of {@code /fhir} requests to HAPI's BALP interceptor. HAPI
 * broadcasts these pre-commit pointcuts on the JPA interceptor service only, not on the REST
 * server's where BALP sits for reads and searches; registered there, this forwards only what came
 * through {@code /fhir} (the ingest and the audit writer itself are system requests, audited their
 * own way or not at all).
 */
public class WriteAudit {

	private final BalpAuditCaptureInterceptor balp;

	public WriteAudit(BalpAuditCaptureInterceptor balp) {
		this.balp = balp;
	}

	@Hook(Pointcut.STORAGE_PRECOMMIT_RESOURCE_CREATED)
	public void created(IBaseResource resource, RequestDetails request) {
		if (request instanceof ServletRequestDetails rest) {
			balp.hookStoragePrecommitResourceCreated(resource, rest);
		}
	}

	@Hook(Pointcut.STORAGE_PRECOMMIT_RESOURCE_UPDATED)
	public void updated(IBaseResource previous, IBaseResource updated, RequestDetails request) {
		if (request instanceof ServletRequestDetails rest) {
			balp.hookStoragePrecommitResourceUpdated(previous, updated, rest);
		}
	}

	@Hook(Pointcut.STORAGE_PRECOMMIT_RESOURCE_DELETED)
	public void deleted(IBaseResource resource, RequestDetails request) {
		if (request instanceof ServletRequestDetails rest) {
			balp.hookStoragePrecommitResourceDeleted(resource, rest);
		}
	}
}
