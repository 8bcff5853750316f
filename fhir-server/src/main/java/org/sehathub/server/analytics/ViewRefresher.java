package org.sehathub.server.analytics;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.param.TokenOrListParam;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Keeps the analytical store's view tables up to date, in the background: every {@code
 * interval} it asks HAPI's resource table which resources of each view's type changed since the
 * view's watermark, runs the view on their current versions and replaces their rows ({@link
 * AnalyticsStore#apply}); deleted resources lose theirs. Off the write path, so ingest does not
 * wait for it.
 *
 * <p>Only changes at least {@code settle} old are taken: HAPI stamps a resource's {@code
 * res_updated} before its transaction commits, so a newer stamp may become visible after an older
 * one; waiting until no transaction that old can still be open keeps the watermark from passing
 * a change not yet committed.
 *
 * <p>Meters: {@code sehat.analytics.refresh} (timer: each refresh that brought something in), {@code
 * sehat.analytics.refresh.resources} (resources brought in) and {@code sehat.analytics.refresh.cpu}
 * (this server's CPU seconds spent refreshing), so an operator sees what analytics costs ingest.
 */
public class ViewRefresher implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ViewRefresher.class);
    private static final int BATCH = 500;

    private final List<ViewTable> tables;
    private final AnalyticsStore store;
    private final JdbcTemplate jdbc;
    private final DaoRegistry daos;
    private final Duration settle;
    private final Timer refreshes;
    private final Counter resources;
    private final Counter cpuSeconds;
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "analytics-refresh");
        thread.setDaemon(true);
        return thread;
    });

    public ViewRefresher(
            List<ViewTable> tables,
            AnalyticsStore store,
            JdbcTemplate jdbc,
            DaoRegistry daos,
            Duration settle,
            MeterRegistry meters) {
        this.tables = tables;
        this.store = store;
        this.jdbc = jdbc;
        this.daos = daos;
        this.settle = settle;
        this.refreshes = Timer.builder("sehat.analytics.refresh")
                .description("Refreshes of the analytical store's views that brought resources in")
                .register(meters);
        this.resources = Counter.builder("sehat.analytics.refresh.resources")
                .description("Resources brought into the analytical store's views")
                .register(meters);
        this.cpuSeconds = Counter.builder("sehat.analytics.refresh.cpu")
                .description("Server CPU spent refreshing the analytical store's views")
                .baseUnit("seconds")
                .register(meters);
    }

    /** Refreshes now, then every {@code interval}. */
    public void start(Duration interval) {
        scheduler.scheduleWithFixedDelay(this::refreshQuietly, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void refreshQuietly() {
        try {
            refresh();
        } catch (RuntimeException e) {
            log.warn("analytics: refreshing the views failed, will try again: {}", e.toString());
        }
    }

    /** Brings every view up to the changes that have settled; returns how many resources were brought in. */
    public synchronized int refresh() {
        long started = System.nanoTime();
        long cpuStarted = threads.getCurrentThreadCpuTime();
        int total = 0;
        try {
            for (ViewTable table : tables) {
                total += refresh(table);
            }
        } finally {
            // Counted even when a refresh fails half way: its batches are committed.
            cpuSeconds.increment(Math.max(0, threads.getCurrentThreadCpuTime() - cpuStarted) / 1e9);
            resources.increment(total);
            if (total > 0) {
                refreshes.record(Duration.ofNanos(System.nanoTime() - started));
            }
        }
        return total;
    }

    private int refresh(ViewTable table) {
        AnalyticsStore.Watermark mark = store.prepare(table);
        int count = 0;
        while (true) {
            List<Changed> changes = changedSince(table.view().resourceType(), mark);
            if (changes.isEmpty()) {
                return count;
            }
            Map<String, List<List<Object>>> rows = rows(table, changes);
            Changed last = changes.get(changes.size() - 1);
            mark = new AnalyticsStore.Watermark(last.updated(), last.resId());
            store.apply(table, changes.stream().map(Changed::id).distinct().toList(), rows, mark);
            count += changes.size();
        }
    }

    private record Changed(long resId, String id, Timestamp updated, boolean deleted) {}

    private List<Changed> changedSince(String type, AnalyticsStore.Watermark mark) {
        return jdbc.query(
                "SELECT res_id, fhir_id, res_updated, res_deleted_at IS NOT NULL AS deleted FROM hfj_resource"
                        + " WHERE res_type = ? AND (res_updated > ? OR (res_updated = ? AND res_id > ?))"
                        + " AND res_updated <= LOCALTIMESTAMP - make_interval(secs => ?)"
                        + " ORDER BY res_updated, res_id LIMIT ?",
                (rs, i) -> new Changed(
                        rs.getLong("res_id"),
                        rs.getString("fhir_id"),
                        rs.getTimestamp("res_updated"),
                        rs.getBoolean("deleted")),
                type,
                mark.updatedTo(),
                mark.updatedTo(),
                mark.lastResId(),
                settle.toMillis() / 1000.0,
                BATCH);
    }

    /** The current rows of each changed resource still there. */
    private Map<String, List<List<Object>>> rows(ViewTable table, List<Changed> changes) {
        TokenOrListParam ids = new TokenOrListParam();
        changes.stream().filter(c -> !c.deleted()).forEach(c -> ids.add(null, c.id()));
        Map<String, List<List<Object>>> rows = new HashMap<>();
        if (ids.getValuesAsQueryTokens().isEmpty()) {
            return rows;
        }
        SearchParameterMap search = SearchParameterMap.newSynchronous().add("_id", ids);
        List<IBaseResource> resources = daos.getResourceDao(table.view().resourceType())
                .search(search, new SystemRequestDetails())
                .getAllResources();
        for (IBaseResource resource : resources) {
            String id = resource.getIdElement().getIdPart();
            try {
                rows.computeIfAbsent(id, k -> new ArrayList<>())
                        .addAll(table.view().rows(resource));
            } catch (ViewDefinitionException e) {
                // One resource the view cannot read must not hold back the others: it has no rows.
                log.warn(
                        "analytics: view {} skips {}/{}: {}",
                        table.name(),
                        table.view().resourceType(),
                        id,
                        e.getMessage());
            }
        }
        return rows;
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
