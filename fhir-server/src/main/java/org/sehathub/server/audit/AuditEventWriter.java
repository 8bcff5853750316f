package org.sehathub.server.audit;

import ca.uhn.fhir.storage.interceptor.balp.IBalpAuditEventSink;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Stores AuditEvents in the server's own database, off the request's path: requests put their
 * events in a bounded queue; one thread writes them in batches, each batch one database
 * transaction of {@link AuditEventStore} (clients can never write AuditEvents themselves, see
 * {@link AuditEventProvider}). A full queue makes requests wait for room rather than go
 * unrecorded; what is still queued at shutdown is written before the database closes.
 *
 * <p>What this costs: an event reaches the database within about {@value #MAX_DELAY_MILLIS} ms of
 * the request; a process killed in that window loses those events (docs/security.md).
 */
public class AuditEventWriter implements IBalpAuditEventSink, SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(AuditEventWriter.class);
    static final long MAX_DELAY_MILLIS = 200;

    /** Held while a batch is taken from the queue and written (flush() waits at most MAX_DELAY_MILLIS for it). */
    private final Object batches = new Object();
    /** The identifier system of the resources an AuditEvent names: {@code Patient/123}. */
    public static final String RESOURCE_SYSTEM = "https://fhir.sehathub.pk/sid/fhir-resource";

    private final AuditEventStore store;
    private final BlockingQueue<AuditEvent> queue;
    private final AuditProperties properties;
    private final Counter written;
    private final Counter dropped;
    private final AuditRetention retention;
    private volatile Thread worker;
    private volatile boolean running;

    public AuditEventWriter(
            AuditEventStore store, AuditProperties properties, MeterRegistry meters, AuditRetention retention) {
        this.store = store;
        this.retention = retention;
        this.properties = properties;
        this.queue = new ArrayBlockingQueue<>(properties.queueCapacity());
        this.written = Counter.builder("sehat.audit.events.written")
                .description("AuditEvents stored")
                .register(meters);
        this.dropped = Counter.builder("sehat.audit.events.dropped")
                .description("AuditEvents not stored because the queue stayed full")
                .register(meters);
    }

    /**
     * Queues an event. A client agent known by identifier only (as {@link CallerAuditContext} names
     * it) gets the client id as its {@code name} too, so that {@code AuditEvent?agent-name=<client>}
     * finds a client's events; an event without an outcome (BALP's) gets 0, success. References to
     * our resources become identifiers ({@link #detach}), also kept as the entity's {@code name}
     * ({@code entity-name:exact=Patient/123}) and a person agent's {@code altId}
     * ({@code altid=Practitioner/45}).
     */
    @Override
    public void recordAuditEvent(AuditEvent event) {
        prepare(event);
        try {
            if (!queue.offer(event, properties.queueWait().toMillis(), TimeUnit.MILLISECONDS)) {
                dropped.increment();
                log.error("An AuditEvent was dropped: the audit queue stayed full for {}", properties.queueWait());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            dropped.increment();
        }
    }

    /**
     * Queues an event of someone not authenticated (a request without a valid token, a refused token
     * request) only if there is room at once: strangers must not be able to make the requests of
     * authenticated clients wait by filling the queue. What does not fit is counted as dropped.
     */
    public void recordIfRoom(AuditEvent event) {
        prepare(event);
        if (!queue.offer(event)) {
            dropped.increment();
        }
    }

    private static void prepare(AuditEvent event) {
        if (!event.hasOutcome()) {
            // BALP's events, which record only what succeeded, carry no outcome; searching outcome=0 finds them.
            event.setOutcome(AuditEvent.AuditEventOutcome._0);
        }
        for (AuditEvent.AuditEventAgentComponent agent : event.getAgent()) {
            if (!agent.hasName() && agent.getWho().hasIdentifier()) {
                agent.setName(agent.getWho().getIdentifier().getValue());
            }
            if (detach(agent.getWho())) {
                agent.setAltId(agent.getWho().getIdentifier().getValue());
            }
        }
        for (AuditEvent.AuditEventEntityComponent entity : event.getEntity()) {
            if (detach(entity.getWhat()) && !entity.hasName()) {
                entity.setName(entity.getWhat().getIdentifier().getValue());
            }
        }
    }

    /**
     * Turns a reference to one of our resources ({@code Patient/123/_history/2}) into an identifier
     * ({@value #RESOURCE_SYSTEM} | {@code Patient/123}). An AuditEvent must outlive what it names,
     * which a reference would not (it dangles once the resource is deleted), and is recorded before
     * the request that read it commits; the identifier is also what the trail is searched by.
     *
     * @return true when the reference was one of ours and was turned into an identifier
     */
    static boolean detach(Reference reference) {
        IdType id = new IdType(reference.getReference());
        // Relative, or absolute as a SMART fhirUser is: either way one of ours.
        if (!reference.hasReference() || !id.hasResourceType() || !id.hasIdPart()) {
            return false;
        }
        reference.setReference(null);
        reference.setType(id.getResourceType());
        reference.setIdentifier(
                new Identifier().setSystem(RESOURCE_SYSTEM).setValue(id.getResourceType() + "/" + id.getIdPart()));
        return true;
    }

    /**
     * Writes everything queued so far, on the caller's thread: for tests and shutdown. Returns only
     * once a batch the writer thread has already taken from the queue is stored too.
     */
    public void flush() {
        synchronized (batches) {
            List<AuditEvent> batch = new ArrayList<>();
            while (queue.drainTo(batch, properties.batchSize()) > 0) {
                write(batch);
                batch.clear();
            }
        }
    }

    private void drain() {
        List<AuditEvent> batch = new ArrayList<>();
        long nextPurge = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
        while (running || !queue.isEmpty()) {
            if (System.nanoTime() - nextPurge > 0) {
                purgeExpired();
                nextPurge = System.nanoTime() + TimeUnit.DAYS.toNanos(1);
            }
            try {
                // Taken and written under one lock, so flush() cannot return between the two.
                synchronized (batches) {
                    AuditEvent first = queue.poll(MAX_DELAY_MILLIS, TimeUnit.MILLISECONDS);
                    if (first == null) {
                        continue;
                    }
                    batch.add(first);
                    queue.drainTo(batch, properties.batchSize() - 1);
                    write(batch);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                running = false;
            } finally {
                batch.clear();
            }
        }
    }

    private void purgeExpired() {
        try {
            retention.purge();
        } catch (RuntimeException e) {
            log.error("Deleting expired AuditEvents failed; tried again tomorrow", e);
        }
    }

    private synchronized void write(List<AuditEvent> events) {
        try {
            store.insert(events);
            written.increment(events.size());
        } catch (RuntimeException e) {
            if (events.size() > 1) {
                // One event the database refuses must not take the others with it: each on its own.
                events.forEach(event -> write(List.of(event)));
                return;
            }
            // Not retried: an event the database refuses would block every later one.
            dropped.increment();
            log.error("An AuditEvent could not be stored ({})", e.getClass().getSimpleName(), e);
        }
    }

    @Override
    public void start() {
        running = true;
        Thread thread = new Thread(this::drain, "sehat-audit-writer");
        thread.setDaemon(true);
        worker = thread;
        thread.start();
    }

    @Override
    public void stop() {
        running = false;
        Thread thread = worker;
        if (thread != null) {
            try {
                thread.join(30_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        flush();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Stopped before the database (default phase), so the last events are written. */
    @Override
    public int getPhase() {
        return Integer.MAX_VALUE - 100;
    }
}
