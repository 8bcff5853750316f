package org.sehathub.server.audit;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import ca.uhn.fhir.rest.server.servlet.ServletRequestDetails;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.AuditEvent;

/**
 * AuditEvents are written by the server only ({@link AuditEventWriter}, a system request): a
 * create, update, patch or delete of one through {@code /fhir} is refused with 403, whoever asks,
 * operators included, in a transaction too. The retention clean-up deletes old ones, also as a
 * system request.
 */
public class AuditEventProtection {

	@Hook(Pointcut.STORAGE_PRESTORAGE_RESOURCE_CREATED)
	public void created(RequestDetails request, IBaseResource resource) {
		refuse(request, resource);
	}

	@Hook(Pointcut.STORAGE_PRESTORAGE_RESOURCE_UPDATED)
	public void updated(RequestDetails request, IBaseResource previous) {
		refuse(request, previous);
	}

	@Hook(Pointcut.STORAGE_PRESTORAGE_RESOURCE_DELETED)
	public void deleted(RequestDetails request, IBaseResource resource) {
		refuse(request, resource);
	}

	private static void refuse(RequestDetails request, IBaseResource resource) {
		if (resource instanceof AuditEvent && request instanceof ServletRequestDetails) {
			throw new ForbiddenOperationException("AuditEvents are written by the server only");
		}
	}
}
