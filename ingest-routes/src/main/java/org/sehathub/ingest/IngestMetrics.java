package org.sehathub.ingest;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.function.Predicate;
import org.sehathub.mappers.csv.CsvLayout;

/**
 * Micrometer meters per route, source and sending facility:
 *
 * <ul>
 *   <li>{@code sehat.ingest.messages} (Prometheus {@code sehat_ingest_messages_total}), tag {@code
 *       outcome} = {@code received}, {@code stored}, {@code duplicate}, {@code refused}, {@code
 *       dead-lettered}; tag {@code reason} = the refusal kind for refusals ({@code rejected}, {@code
 *       unmappable}, {@code conflict}, {@code unavailable}...), {@code none} otherwise;
 *   <li>{@code sehat.ingest.latency} ({@code sehat_ingest_latency_seconds}), from arrival to answer,
 *       tag {@code outcome} = {@code stored}, {@code duplicate} or {@code refused}.
 * </ul>
 *
 * Facility names are senders' names, not patients', so they are fit for a tag; a message whose
 * facility was never read (unparseable) is counted under {@code unknown}.
 */
public class IngestMetrics {

    public static final String MESSAGES = "sehat.ingest.messages";
    public static final String LATENCY = "sehat.ingest.latency";

    /** The label of every facility no sender is registered for, and of unknown CSV layouts. */
    static final String OTHER = "other";

    private final MeterRegistry registry;
    private final Predicate<String> registeredFacility;

    /**
     * @param registeredFacility whether a facility is one a sender is registered for; any other
     *     is labelled {@value #OTHER}, so that what strangers send cannot grow the metrics without bound
     */
    public IngestMetrics(MeterRegistry registry, Predicate<String> registeredFacility) {
        this.registry = registry;
        this.registeredFacility = registeredFacility;
    }

    /** Counts a stored (or duplicate) message: received, and stored or duplicate. */
    public void stored(Inbound inbound, boolean duplicate) {
        finish(inbound, duplicate ? "duplicate" : "stored", null);
    }

    /** Counts a refused message: received and refused. */
    public void refused(Inbound inbound, Refusal refusal) {
        finish(inbound, "refused", refusal.kind().slug());
    }

    public void deadLettered(Inbound inbound) {
        counter(inbound, "dead-lettered", null).increment();
    }

    private void finish(Inbound inbound, String outcome, String reason) {
        counter(inbound, "received", null).increment();
        counter(inbound, outcome, reason).increment();
        Timer.builder(LATENCY)
                .description("Time from receiving a message to answering it")
                .tag("route", inbound.route())
                .tag("source", source(inbound))
                .tag("outcome", outcome)
                .publishPercentileHistogram()
                .register(registry)
                .record(Duration.ofNanos(System.nanoTime() - inbound.startNanos()));
    }

    private Counter counter(Inbound inbound, String outcome, String reason) {
        // Every counter carries the same tag keys: Prometheus refuses one name with differing keys.
        return Counter.builder(MESSAGES)
                .description("Messages received by the ingest routes, by outcome")
                .tag("route", inbound.route())
                .tag("source", source(inbound))
                .tag("facility", facility(inbound))
                .tag("outcome", outcome)
                .tag("reason", reason != null ? reason : "none")
                .register(registry);
    }

    private String facility(Inbound inbound) {
        if (inbound.sender() == null || inbound.sender().isBlank()) {
            return "unknown";
        }
        return registeredFacility.test(inbound.sender()) ? SafeLog.value(inbound.sender()) : OTHER;
    }

    /** {@code csv/<layout>} for the layouts there are; a layout name from the URL that is none of them is {@code csv/other}. */
    private static String source(Inbound inbound) {
        String source = inbound.source();
        if (source != null
                && source.startsWith("csv/")
                && CsvLayout.fromName(source.substring(4)).isEmpty()) {
            return "csv/" + OTHER;
        }
        return source;
    }
}
