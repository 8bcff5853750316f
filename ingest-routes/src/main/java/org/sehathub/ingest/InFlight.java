package org.sehathub.ingest;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * A message in the routes as far as it got, and the exchange body between the steps of a channel:
 * received ({@link Inbound}), read (a channel's own value, such as the parsed HL7 message), mapped
 * ({@link Mapped}), and at the end its outcome ({@link Stored} or {@link Refused}). Each step takes
 * one and returns the next; when a step throws, the body is still the value it was given, so the
 * refusal handling knows the message and how far it got.
 */
public interface InFlight {

    /** The message as received. */
    Inbound inbound();

    /** The exchange's body as a {@code type}; fails loudly when a route passes something else. */
    static <T extends InFlight> T body(Exchange exchange, Class<T> type) {
        Object body = exchange.getMessage().getBody();
        if (!type.isInstance(body)) {
            throw new IllegalStateException("exchange " + exchange.getExchangeId() + " carries "
                    + (body == null ? "no body" : body.getClass().getSimpleName()) + ", not a "
                    + type.getSimpleName());
        }
        return type.cast(body);
    }

    /**
     * A channel's step as a route processor: what it returns becomes the exchange body. The body is
     * set on the message the step was given (a bean step returning a value would get a new out
     * message, without the HTTP request a later step checks the sender against).
     */
    static Processor step(Step step) {
        return exchange -> exchange.getMessage().setBody(step.apply(exchange));
    }

    /** One step of a channel: from the exchange (its body, and for a receiver its request) to the next value. */
    @FunctionalInterface
    interface Step {
        InFlight apply(Exchange exchange) throws Exception;
    }

    /** The message of the exchange, whatever step it reached; null before it was received. */
    static InFlight of(Exchange exchange) {
        return exchange.getMessage().getBody() instanceof InFlight inFlight ? inFlight : null;
    }
}
