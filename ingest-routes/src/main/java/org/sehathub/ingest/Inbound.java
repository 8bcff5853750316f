package org.sehathub.ingest;

import java.time.Instant;
import java.util.Objects;

/**
 * One message as it was received: the bytes exactly as they came (kept byte for byte for the
 * dead-letter store whatever the steps make of them), from whom, over which transport, through
 * which route, and the channel's own reading of its envelope (an HL7 MSH, a CSV upload's layout
 * and clinic). Immutable: a step that learns more (the sender and message id once the message is
 * parsed) returns a new one with {@link #identified}.
 *
 * <p>It is the exchange body from the receiver on, and every later value carries it ({@link
 * InFlight}), so whichever step refuses a message, the refusal handling knows what it refuses.
 */
public final class Inbound implements InFlight {

    /** A channel's typed reading of a message's envelope: the HL7 header, the CSV upload. */
    public interface Envelope {}

    /**
     * A dead letter being processed again.
     *
     * @param deadLetterId the dead letter
     * @param attempt 1 for its first replay, 2 for the second...
     */
    public record Replay(long deadLetterId, int attempt) {}

    private final String source;
    private final String transport;
    private final String route;
    private final Instant receivedAt;
    private final long startNanos;
    private final byte[] payload;
    private final String contentType;
    private final Replay replay;
    private final String sender;
    private final String messageId;
    private final Envelope envelope;

    private Inbound(Builder b, long startNanos) {
        this.source = Objects.requireNonNull(b.source, "source");
        this.transport = Objects.requireNonNull(b.transport, "transport");
        this.route = Objects.requireNonNull(b.route, "route");
        this.receivedAt = Objects.requireNonNull(b.receivedAt, "receivedAt");
        this.startNanos = startNanos;
        this.payload = b.payload != null ? b.payload : new byte[0];
        this.contentType = b.contentType;
        this.replay = b.replay;
        this.sender = b.sender;
        this.messageId = b.messageId;
        this.envelope = b.envelope;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The same message, now known to come from {@code sender} under the id {@code messageId}. */
    public Inbound identified(String sender, String messageId) {
        return toBuilder().sender(sender).messageId(messageId).build(startNanos);
    }

    /** The same message with the channel's fuller reading of its envelope. */
    public Inbound withEnvelope(Envelope envelope) {
        return toBuilder().envelope(envelope).build(startNanos);
    }

    @Override
    public Inbound inbound() {
        return this;
    }

    /** {@code hl7v2}, {@code csv/<layout>}, {@code telehealth} or {@code fhir}. */
    public String source() {
        return source;
    }

    /** {@code mllp}, {@code http} or {@code file}. */
    public String transport() {
        return transport;
    }

    /** The id of the route it came in by, e.g. {@code hl7v2-mllp-inbound}; a metrics tag. */
    public String route() {
        return route;
    }

    public Instant receivedAt() {
        return receivedAt;
    }

    /** {@link System#nanoTime()} when it was received: the start of its answer's latency. */
    public long startNanos() {
        return startNanos;
    }

    /** The bytes exactly as received (not copied: callers do not write to them). */
    public byte[] payload() {
        return payload;
    }

    public String contentType() {
        return contentType;
    }

    /** The replay this is, or null for a message that just arrived. */
    public Replay replay() {
        return replay;
    }

    public boolean isReplay() {
        return replay != null;
    }

    /** The dead letter being replayed, or null for a message that just arrived. */
    public Long replayOf() {
        return replay != null ? replay.deadLetterId() : null;
    }

    /** The sending facility or app, once known (HL7 MSH-4, the clinic, the telehealth app). */
    public String sender() {
        return sender;
    }

    /** The sender's id for the message, once known (MSH-10, file content id, consultation id). */
    public String messageId() {
        return messageId;
    }

    /** The channel's reading of the envelope when it is a {@code type}, else null. */
    public <T extends Envelope> T envelope(Class<T> type) {
        return type.isInstance(envelope) ? type.cast(envelope) : null;
    }

    private Builder toBuilder() {
        return builder()
                .source(source)
                .transport(transport)
                .route(route)
                .receivedAt(receivedAt)
                .payload(payload)
                .contentType(contentType)
                .replay(replay)
                .sender(sender)
                .messageId(messageId)
                .envelope(envelope);
    }

    /** Builds an {@link Inbound}. */
    public static final class Builder {
        private String source;
        private String transport;
        private String route;
        private Instant receivedAt;
        private byte[] payload;
        private String contentType;
        private Replay replay;
        private String sender;
        private String messageId;
        private Envelope envelope;

        public Builder source(String source) {
            this.source = source;
            return this;
        }

        public Builder transport(String transport) {
            this.transport = transport;
            return this;
        }

        public Builder route(String route) {
            this.route = route;
            return this;
        }

        public Builder receivedAt(Instant receivedAt) {
            this.receivedAt = receivedAt;
            return this;
        }

        public Builder payload(byte[] payload) {
            this.payload = payload;
            return this;
        }

        public Builder contentType(String contentType) {
            this.contentType = contentType;
            return this;
        }

        public Builder replay(Replay replay) {
            this.replay = replay;
            return this;
        }

        public Builder sender(String sender) {
            this.sender = sender;
            return this;
        }

        public Builder messageId(String messageId) {
            this.messageId = messageId;
            return this;
        }

        public Builder envelope(Envelope envelope) {
            this.envelope = envelope;
            return this;
        }

        /** Received now: the latency of its answer counts from here. */
        public Inbound build() {
            return build(System.nanoTime());
        }

        private Inbound build(long startNanos) {
            return new Inbound(this, startNanos);
        }
    }
}
