package org.sehathub.ingest;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.apache.camel.Exchange;
import org.sehathub.ingest.sink.StoreOutcome;

/**
 * One message on its way through the routes: what arrived, from where, and what became of it. It
 * travels as an exchange property rather than in headers, so that nothing of it leaks into HTTP
 * response headers and the raw payload is kept byte for byte for the dead-letter store whatever the
 * routes do to the body.
 */
public final class Inbound {

    /** The exchange property holding it. */
    public static final String PROPERTY = "sehat.inbound";

    private final String source;
    private final String transport;
    private final String route;
    private final Instant receivedAt;
    private final long startNanos;
    private final byte[] payload;
    private final String contentType;
    private final Long replayOf;
    private final int replayAttempt;

    private String sender;
    private String messageId;
    private StoreOutcome outcome;
    private Refusal refusal;
    private Long deadLetterId;
    private boolean replayRecorded;

    private Inbound(Builder b) {
        this.source = Objects.requireNonNull(b.source, "source");
        this.transport = Objects.requireNonNull(b.transport, "transport");
        this.route = Objects.requireNonNull(b.route, "route");
        this.receivedAt = Objects.requireNonNull(b.receivedAt, "receivedAt");
        this.startNanos = System.nanoTime();
        this.payload = b.payload != null ? b.payload : new byte[0];
        this.contentType = b.contentType;
        this.replayOf = b.replayOf;
        this.replayAttempt = b.replayAttempt;
        this.sender = b.sender;
        this.messageId = b.messageId;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The message of this exchange; fails loudly when a route forgot to receive it. */
    public static Inbound of(Exchange exchange) {
        Inbound inbound = exchange.getProperty(PROPERTY, Inbound.class);
        if (inbound == null) {
            throw new IllegalStateException("exchange " + exchange.getExchangeId() + " carries no " + PROPERTY);
        }
        return inbound;
    }

    /** {@code hl7v2}, {@code csv/<layout>} or {@code telehealth}. */
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

    public long startNanos() {
        return startNanos;
    }

    /** The bytes exactly as received. */
    public byte[] payload() {
        return payload;
    }

    public String contentType() {
        return contentType;
    }

    /** The dead letter being replayed, or null for a message that just arrived. */
    public Long replayOf() {
        return replayOf;
    }

    public boolean isReplay() {
        return replayOf != null;
    }

    /** 1 for the first replay of a dead letter, 2 for the second... */
    public int replayAttempt() {
        return replayAttempt;
    }

    /** The sending facility or app, once known (HL7 MSH-4, the clinic, the telehealth app). */
    public String sender() {
        return sender;
    }

    public void sender(String sender) {
        this.sender = sender;
    }

    /** The sender's id for the message, once known (MSH-10, file content id, consultation id). */
    public String messageId() {
        return messageId;
    }

    public void messageId(String messageId) {
        this.messageId = messageId;
    }

    /** What the sink did, when it was reached. */
    public StoreOutcome outcome() {
        return outcome;
    }

    public void outcome(StoreOutcome outcome) {
        this.outcome = outcome;
    }

    /** Why it was refused, when it was. */
    public Refusal refusal() {
        return refusal;
    }

    public void refusal(Refusal refusal) {
        this.refusal = refusal;
    }

    /** The dead letter this message became, when it became one. */
    public Long deadLetterId() {
        return deadLetterId;
    }

    public void deadLetterId(Long deadLetterId) {
        this.deadLetterId = deadLetterId;
    }

    /** True once the outcome of this replay was written to the dead letter. */
    public boolean replayRecorded() {
        return replayRecorded;
    }

    public void replayRecorded(boolean recorded) {
        this.replayRecorded = recorded;
    }

    public List<String> storedIds() {
        return outcome != null ? outcome.resourceIds() : List.of();
    }

    /** Builds an {@link Inbound}. */
    public static final class Builder {
        private String source;
        private String transport;
        private String route;
        private Instant receivedAt;
        private byte[] payload;
        private String contentType;
        private Long replayOf;
        private int replayAttempt;
        private String sender;
        private String messageId;

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

        public Builder replayOf(Long replayOf, int attempt) {
            this.replayOf = replayOf;
            this.replayAttempt = attempt;
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

        public Inbound build() {
            return new Inbound(this);
        }
    }
}
