package org.sehathub.server.security;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The {@code jti} of every client assertion already used, in the database so that a replay is
 * refused after a restart too, and by every server sharing the database.
 */
public class SeenAssertionIds {

    private final JdbcTemplate jdbc;
    private final Clock clock;
    private final AtomicReference<Instant> lastPurge = new AtomicReference<>(Instant.EPOCH);

    public SeenAssertionIds(JdbcTemplate jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /**
     * Records {@code jti} for {@code clientId} until {@code expiresAt}; false when it was recorded
     * before, that is when the assertion is a replay.
     */
    public boolean firstUse(String clientId, String jti, Instant expiresAt) {
        purgeExpired();
        int inserted = jdbc.update(
                "INSERT INTO sehat_client_assertion (client_id, jti, expires_at) VALUES (?, ?, ?)"
                        + " ON CONFLICT (client_id, jti) DO NOTHING",
                clientId,
                jti,
                Timestamp.from(expiresAt));
        return inserted == 1;
    }

    /** At most once a minute: an expired assertion is refused for its expiry alone. */
    private void purgeExpired() {
        Instant now = clock.instant();
        Instant last = lastPurge.get();
        if (now.isAfter(last.plusSeconds(60)) && lastPurge.compareAndSet(last, now)) {
            // An hour of margin over the validator's clock skew.
            jdbc.update(
                    "DELETE FROM sehat_client_assertion WHERE expires_at < ?", Timestamp.from(now.minusSeconds(3600)));
        }
    }
}
