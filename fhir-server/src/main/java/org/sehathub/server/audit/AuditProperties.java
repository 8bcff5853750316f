package org.sehathub.server.audit;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The audit trail ({@code sehat.audit.*}, docs/security.md "Audit trail").
 *
 * @param enabled false records nothing (development only; an operator's choice, logged at start)
 * @param retention an AuditEvent older than this is deleted by the daily clean-up
 * @param queueCapacity events waiting to be written; when full, a request waits up to
 *     {@code queueWait} for room rather than go unrecorded
 * @param queueWait how long a request waits for room in a full queue before its event is counted
 *     as dropped ({@code sehat_audit_events_dropped_total}) and logged
 * @param batchSize the most events written in one database transaction
 */
@Validated
@ConfigurationProperties("sehat.audit")
public record AuditProperties(
        @DefaultValue("true") boolean enabled,
        @NotNull @DefaultValue("2190d") Duration retention,
        @Min(100) @DefaultValue("20000") int queueCapacity,
        @NotNull @DefaultValue("5s") Duration queueWait,
        @Min(1) @DefaultValue("500") int batchSize) {}
