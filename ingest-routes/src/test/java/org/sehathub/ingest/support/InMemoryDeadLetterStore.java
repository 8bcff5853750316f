package org.sehathub.ingest.support;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.sehathub.ingest.deadletter.DeadLetter;
import org.sehathub.ingest.deadletter.DeadLetterStore;
import org.sehathub.ingest.deadletter.NewDeadLetter;

/** A dead-letter store in memory, newest first, as the real one behaves. */
public class InMemoryDeadLetterStore implements DeadLetterStore {

    private final Map<Long, DeadLetter> letters = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();
    private volatile boolean unavailable;

    @Override
    public DeadLetter save(NewDeadLetter l) {
        if (unavailable) {
            throw new IllegalStateException("database down");
        }
        long id = ids.incrementAndGet();
        DeadLetter letter = new DeadLetter(
                id,
                l.source(),
                l.transport(),
                l.sender(),
                l.messageId(),
                l.receivedAt(),
                l.reason(),
                l.contentType(),
                l.payload(),
                DeadLetter.Status.NEW,
                0,
                null,
                l.receivedAt());
        letters.put(id, letter);
        return letter;
    }

    @Override
    public List<DeadLetter> list(DeadLetter.Status status, String source, int limit) {
        List<DeadLetter> all = new ArrayList<>(letters.values());
        all.sort(Comparator.comparingLong(DeadLetter::id).reversed());
        return all.stream()
                .filter(d -> status == null || d.status() == status)
                .filter(d -> source == null || d.source().equals(source))
                .limit(limit)
                .toList();
    }

    @Override
    public Optional<DeadLetter> find(long id) {
        return Optional.ofNullable(letters.get(id));
    }

    @Override
    public void recordReplay(long id, DeadLetter.Status status, String outcome) {
        letters.computeIfPresent(
                id,
                (k, d) -> new DeadLetter(
                        d.id(),
                        d.source(),
                        d.transport(),
                        d.sender(),
                        d.messageId(),
                        d.receivedAt(),
                        d.reason(),
                        d.contentType(),
                        d.payload(),
                        status,
                        d.replayCount() + 1,
                        outcome,
                        Instant.now()));
    }

    @Override
    public void discard(long id) {
        letters.computeIfPresent(
                id,
                (k, d) -> new DeadLetter(
                        d.id(),
                        d.source(),
                        d.transport(),
                        d.sender(),
                        d.messageId(),
                        d.receivedAt(),
                        d.reason(),
                        d.contentType(),
                        d.payload(),
                        DeadLetter.Status.DISCARDED,
                        d.replayCount(),
                        d.lastOutcome(),
                        Instant.now()));
    }

    public List<DeadLetter> all() {
        return list(null, null, Integer.MAX_VALUE);
    }

    public void unavailable(boolean unavailable) {
        this.unavailable = unavailable;
    }

    public void reset() {
        letters.clear();
        unavailable = false;
    }
}
