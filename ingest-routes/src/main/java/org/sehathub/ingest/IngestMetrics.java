package org.sehathub.ingest;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;

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

	private final MeterRegistry registry;

	public IngestMetrics(MeterRegistry registry) {
		this.registry = registry;
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
				.tag("source", inbound.source())
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
				.tag("source", inbound.source())
				.tag("facility", facility(inbound))
				.tag("outcome", outcome)
				.tag("reason", reason != null ? reason : "none")
				.register(registry);
	}

	private static String facility(Inbound inbound) {
		return inbound.sender() == null || inbound.sender().isBlank() ? "unknown" : SafeLog.value(inbound.sender());
	}
}
