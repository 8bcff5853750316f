package org.sehathub.server.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.sehathub.ingest.IngestProperties;
import org.sehathub.ingest.deadletter.DeadLetter;
import org.sehathub.ingest.deadletter.NewDeadLetter;
import org.sehathub.server.TestPostgres;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/** The dead-letter store keeps refused messages within their retention and count, on PostgreSQL. */
class JdbcDeadLetterStoreIT {

    @Test
    void oldLettersAndTheOldestBeyondTheCountAreDeleted() {
        DriverManagerDataSource database =
                new DriverManagerDataSource(TestPostgres.newDatabase("deadletters"), "postgres", "postgres");
        Flyway.configure()
                .dataSource(database)
                .locations("classpath:db/sehat/postgresql")
                .table("sehat_schema_history")
                .load()
                .migrate();
        Clock clock = Clock.fixed(Instant.parse("2026-12-05T10:00:00Z"), ZoneId.of("Asia/Karachi"));
        JdbcDeadLetterStore store = new JdbcDeadLetterStore(
                new JdbcTemplate(database), clock, new IngestProperties.DeadLetters(Duration.ofDays(30), 3));

        DeadLetter expired = store.save(letter(clock.instant().minus(Duration.ofDays(31))));
        DeadLetter oldest = store.save(letter(clock.instant().minus(Duration.ofDays(20))));
        DeadLetter[] recent = {
            store.save(letter(clock.instant().minus(Duration.ofDays(3)))),
            store.save(letter(clock.instant().minus(Duration.ofDays(2)))),
            store.save(letter(clock.instant().minus(Duration.ofDays(1))))
        };

        // The purge runs on a save at most every ten minutes: a store eleven minutes on runs it now.
        JdbcDeadLetterStore later = new JdbcDeadLetterStore(
                new JdbcTemplate(database),
                Clock.offset(clock, Duration.ofMinutes(11)),
                new IngestProperties.DeadLetters(Duration.ofDays(30), 3));
        assertThat(later.purgeBeyondBounds()).isEqualTo(2);
        assertThat(later.find(expired.id())).as("older than the retention").isEmpty();
        assertThat(later.find(oldest.id())).as("the oldest beyond three").isEmpty();
        for (DeadLetter kept : recent) {
            assertThat(later.find(kept.id())).isPresent();
        }
        assertThat(later.purgeBeyondBounds()).as("not again within ten minutes").isZero();
    }

    private static NewDeadLetter letter(Instant receivedAt) {
        return new NewDeadLetter(
                "hl7v2",
                "mllp",
                "Mayo Hospital Lahore",
                "MSG-" + receivedAt.toEpochMilli(),
                receivedAt,
                "MSH-4: refused",
                "x-application/hl7-v2+er7",
                "MSH|".getBytes());
    }
}
