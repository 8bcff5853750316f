package org.sehathub.ingest;

import java.time.Clock;
import org.sehathub.ingest.support.InMemoryDeadLetterStore;
import org.sehathub.ingest.support.RecordingBundleSink;
import org.sehathub.mappers.terminology.TerminologyMaps;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

/**
 * The smallest application the routes run in: what the FHIR server provides (sink, dead-letter
 * store, code maps, clock; the meter registry comes from Spring Boot) as test doubles, and the
 * routes' own configuration imported exactly as the server imports it.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import(IngestRoutesConfig.class)
public class IngestTestApplication {

    @Bean
    public RecordingBundleSink bundleSink() {
        return new RecordingBundleSink();
    }

    @Bean
    public InMemoryDeadLetterStore deadLetterStore() {
        return new InMemoryDeadLetterStore();
    }

    @Bean
    public TerminologyMaps terminologyMaps() {
        return TerminologyMaps.loadDefault();
    }

    @Bean
    public Clock clock() {
        return Clock.systemUTC();
    }
}
