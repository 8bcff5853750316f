package org.sehathub.server.audit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes AuditEvents recorded longer ago than {@code sehat.audit.retention}, for good (the rows
 * and their search keys). Runs once a day on the audit writer's thread, and on demand.
 */
public class AuditRetention {

    private static final Logger log = LoggerFactory.getLogger(AuditRetention.class);

    private final AuditEventStore store;
    private final Duration retention;
    private final Clock clock;

    public AuditRetention(AuditEventStore store, Duration retention, Clock clock) {
        this.store = store;
        this.retention = retention;
        this.clock = clock;
    }

    /** @return how many AuditEvents were deleted */
    public int purge() {
        Instant cutoff = clock.instant().minus(retention);
        int deleted = store.deleteRecordedBefore(cutoff);
        if (deleted > 0) {
            log.info(
                    "Deleted {} AuditEvents recorded before {} (sehat.audit.retention {})", deleted, cutoff, retention);
        }
        return deleted;
    }
}
