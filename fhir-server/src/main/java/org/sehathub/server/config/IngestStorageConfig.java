package org.sehathub.server.config;

import ca.uhn.fhir.interceptor.api.IInterceptorService;
import ca.uhn.fhir.jpa.api.dao.IFhirSystemDao;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.ZoneId;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Meta;
import org.sehathub.ingest.IngestProperties;
import org.sehathub.ingest.deadletter.DeadLetterStore;
import org.sehathub.ingest.sink.BundleSink;
import org.sehathub.server.ingest.InProcessBundleSink;
import org.sehathub.server.ingest.JdbcDeadLetterStore;
import org.sehathub.server.ingest.KnownReferenceData;
import org.sehathub.server.ingest.MessageReceipts;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The server's side of the ingest ports: the in-process {@link BundleSink} (HAPI's system DAO and
 * the receipt table in one database transaction) and the database-backed {@link DeadLetterStore}.
 */
@Configuration
public class IngestStorageConfig {

    /** Pakistan time: a timestamp that arrives without an offset is local time in Pakistan. */
    @Bean
    public Clock clock() {
        return Clock.system(ZoneId.of("Asia/Karachi"));
    }

    @Bean
    public BundleSink bundleSink(
            IFhirSystemDao<Bundle, Meta> systemDao,
            JdbcTemplate jdbc,
            Clock clock,
            ObjectProvider<KnownReferenceData> referenceData,
            FhirProperties fhir,
            MeterRegistry meters) {
        FhirProperties.GroupCommit grouping = fhir.groupCommit();
        return new InProcessBundleSink(
                systemDao,
                new MessageReceipts(jdbc, clock),
                referenceData.getIfAvailable(),
                new InProcessBundleSink.Grouping(
                        grouping.maxMessages(),
                        // A transaction of more entries than a Bundle may hold would be refused.
                        Math.min(grouping.maxEntries(), fhir.maxBundleEntries()),
                        grouping.transactions()),
                meters);
    }

    /** {@code sehat.fhir.skip-known-reference-data}: what the sink leaves out of a mapped message. */
    @Bean
    @ConditionalOnProperty(name = "sehat.fhir.skip-known-reference-data", havingValue = "true", matchIfMissing = true)
    public KnownReferenceData knownReferenceData(
            IFhirSystemDao<Bundle, Meta> systemDao, Clock clock, IInterceptorService jpaInterceptors) {
        KnownReferenceData referenceData = new KnownReferenceData(systemDao.getContext(), clock);
        // It forgets when anyone changes reference data, through any door.
        jpaInterceptors.registerInterceptor(referenceData);
        return referenceData;
    }

    @Bean
    public DeadLetterStore deadLetterStore(JdbcTemplate jdbc, Clock clock, IngestProperties ingest) {
        return new JdbcDeadLetterStore(jdbc, clock, ingest.deadLetters());
    }
}
