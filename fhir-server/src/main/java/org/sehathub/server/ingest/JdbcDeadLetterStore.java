package org.sehathub.server.ingest;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.sehathub.ingest.IngestProperties;
import org.sehathub.ingest.deadletter.DeadLetter;
import org.sehathub.ingest.deadletter.DeadLetterStore;
import org.sehathub.ingest.deadletter.NewDeadLetter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.jdbc.support.KeyHolder;

/** Dead letters in the {@code sehat_dead_letter} table of the central record's database. */
public class JdbcDeadLetterStore implements DeadLetterStore {

    private static final Logger log = LoggerFactory.getLogger(JdbcDeadLetterStore.class);

    private static final String COLUMNS = "id, source, transport, sender, message_id, received_at, reason,"
            + " content_type, payload, status, replay_count, last_outcome, updated_at";

    private final JdbcTemplate jdbc;
    private final Clock clock;

    private final IngestProperties.DeadLetters bounds;
    private final AtomicReference<Instant> lastPurge = new AtomicReference<>(Instant.EPOCH);

    public JdbcDeadLetterStore(JdbcTemplate jdbc, Clock clock, IngestProperties.DeadLetters bounds) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.bounds = bounds;
    }

    @Override
    public DeadLetter save(NewDeadLetter letter) {
        purgeBeyondBounds();
        OffsetDateTime now = OffsetDateTime.now(clock);
        KeyHolder key = new GeneratedKeyHolder();
        jdbc.update(
                connection -> {
                    var statement = connection.prepareStatement(
                            "INSERT INTO sehat_dead_letter (source, transport, sender, message_id, received_at, reason,"
                                    + " content_type, payload, status, replay_count, updated_at)"
                                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?)",
                            new String[] {"id"});
                    statement.setString(1, letter.source());
                    statement.setString(2, letter.transport());
                    statement.setString(3, letter.sender());
                    statement.setString(4, letter.messageId());
                    statement.setObject(5, letter.receivedAt().atOffset(now.getOffset()));
                    statement.setString(6, letter.reason());
                    statement.setString(7, letter.contentType());
                    statement.setBytes(8, letter.payload());
                    statement.setString(9, DeadLetter.Status.NEW.name());
                    statement.setObject(10, now);
                    return statement;
                },
                key);
        return find(key.getKey().longValue()).orElseThrow();
    }

    /**
     * At most every ten minutes, on the next refusal: deletes dead letters older than the retention,
     * then the oldest beyond the maximum count. Returns how many went.
     */
    int purgeBeyondBounds() {
        Instant now = clock.instant();
        Instant last = lastPurge.get();
        if (now.isBefore(last.plus(Duration.ofMinutes(10))) || !lastPurge.compareAndSet(last, now)) {
            return 0;
        }
        int expired = jdbc.update(
                "DELETE FROM sehat_dead_letter WHERE received_at < ?",
                now.minus(bounds.retention()).atOffset(OffsetDateTime.now(clock).getOffset()));
        int excess = jdbc.update(
                "DELETE FROM sehat_dead_letter WHERE id IN (SELECT id FROM sehat_dead_letter"
                        + " ORDER BY received_at DESC, id DESC OFFSET ?)",
                bounds.maxCount());
        if (expired + excess > 0) {
            log.info(
                    "Deleted {} dead letters older than {} and {} beyond the {} kept",
                    expired,
                    bounds.retention(),
                    excess,
                    bounds.maxCount());
        }
        return expired + excess;
    }

    @Override
    public List<DeadLetter> list(DeadLetter.Status status, String source, int limit) {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM sehat_dead_letter WHERE 1 = 1");
        List<Object> args = new ArrayList<>();
        if (status != null) {
            sql.append(" AND status = ?");
            args.add(status.name());
        }
        if (source != null && !source.isBlank()) {
            sql.append(" AND source = ?");
            args.add(source);
        }
        sql.append(" ORDER BY received_at DESC, id DESC LIMIT ?");
        args.add(limit);
        return jdbc.query(sql.toString(), JdbcDeadLetterStore::read, args.toArray());
    }

    @Override
    public Optional<DeadLetter> find(long id) {
        return jdbc
                .query("SELECT " + COLUMNS + " FROM sehat_dead_letter WHERE id = ?", JdbcDeadLetterStore::read, id)
                .stream()
                .findFirst();
    }

    @Override
    public void recordReplay(long id, DeadLetter.Status status, String outcome) {
        jdbc.update(
                "UPDATE sehat_dead_letter SET status = ?, replay_count = replay_count + 1, last_outcome = ?,"
                        + " updated_at = ? WHERE id = ?",
                status.name(),
                outcome,
                OffsetDateTime.now(clock),
                id);
    }

    @Override
    public void discard(long id) {
        jdbc.update(
                "UPDATE sehat_dead_letter SET status = ?, updated_at = ? WHERE id = ?",
                DeadLetter.Status.DISCARDED.name(),
                OffsetDateTime.now(clock),
                id);
    }

    private static DeadLetter read(ResultSet rs, int row) throws SQLException {
        return new DeadLetter(
                rs.getLong("id"),
                rs.getString("source"),
                rs.getString("transport"),
                rs.getString("sender"),
                rs.getString("message_id"),
                rs.getObject("received_at", OffsetDateTime.class).toInstant(),
                rs.getString("reason"),
                rs.getString("content_type"),
                rs.getBytes("payload"),
                DeadLetter.Status.valueOf(rs.getString("status")),
                rs.getInt("replay_count"),
                rs.getString("last_outcome"),
                rs.getObject("updated_at", OffsetDateTime.class).toInstant());
    }
}
