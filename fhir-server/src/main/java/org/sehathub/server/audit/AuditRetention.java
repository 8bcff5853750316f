package org.sehathub.server.audit;

import ca.uhn.fhir.jpa.api.dao.IFhirResourceDao;
import ca.uhn.fhir.jpa.api.model.ExpungeOptions;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.param.DateParam;
import ca.uhn.fhir.rest.param.ParamPrefixEnum;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.hl7.fhir.instance.model.api.IIdType;
import org.hl7.fhir.r4.model.AuditEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Deletes AuditEvents recorded longer ago than {@code sehat.audit.retention}, for good: each is
 * deleted and expunged (its versions and search indexes removed) in one database transaction, as a
 * system request, so HAPI's {@code $expunge} need not be enabled for clients. Runs once a day on the
 * audit writer's thread, and on demand.
 */
public class AuditRetention {

	private static final Logger log = LoggerFactory.getLogger(AuditRetention.class);
	private static final int PAGE = 200;

	private final IFhirResourceDao<AuditEvent> auditEvents;
	private final TransactionTemplate transactions;
	private final Duration retention;
	private final Clock clock;

	public AuditRetention(IFhirResourceDao<AuditEvent> auditEvents, TransactionTemplate transactions, Duration retention,
			Clock clock) {
		this.auditEvents = auditEvents;
		this.transactions = transactions;
		this.retention = retention;
		this.clock = clock;
	}

	/** @return how many AuditEvents were deleted */
	public int purge() {
		Instant cutoff = clock.instant().minus(retention);
		ExpungeOptions everything = new ExpungeOptions().setExpungeDeletedResources(true).setExpungeOldVersions(true);
		int deleted = 0;
		List<IIdType> expired;
		do {
			SearchParameterMap older = SearchParameterMap.newSynchronous(AuditEvent.SP_DATE,
					new DateParam(ParamPrefixEnum.LESSTHAN, Date.from(cutoff)));
			older.setCount(PAGE);
			expired = auditEvents.searchForResourceIds(older, new SystemRequestDetails());
			for (IIdType id : expired) {
				transactions.executeWithoutResult(status -> {
					SystemRequestDetails request = new SystemRequestDetails();
					auditEvents.delete(id, request);
					auditEvents.forceExpungeInExistingTransaction(id, everything, request);
				});
			}
			deleted += expired.size();
		} while (expired.size() == PAGE);
		if (deleted > 0) {
			log.info("Deleted {} AuditEvents recorded before {} (sehat.audit.retention {})", deleted, cutoff, retention);
		}
		return deleted;
	}
}
