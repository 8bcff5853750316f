package org.sehathub.ingest;

import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteConfigurationBuilder;

/**
 * Error handling for every ingest route, in one place. Any exception a step throws (the mappers'
 * {@code MappingException}, our {@link MessageRejectedException}, the sink's conflict, rejection or
 * unavailability, or a bug) ends in {@link RefusalHandler}: kept, counted, logged, answered. There
 * are no redeliveries here: the sink is one transaction that either committed or did not, and the
 * sender (or the file inbox) is the one to try again.
 *
 * <p>The one exception left unhandled is a file that could not be stored because the database is
 * down: the file consumer then rolls back and leaves the file in place for the next poll.
 */
public class IngestErrorHandling extends RouteConfigurationBuilder {

    /** The route configuration id the ingest routes name. */
    public static final String ID = "sehat-ingest-errors";

    private final RefusalHandler refusals;

    public IngestErrorHandling(RefusalHandler refusals) {
        this.refusals = refusals;
    }

    @Override
    public void configuration() {
        routeConfiguration(ID)
                .onException(Exception.class)
                .handled(exchange -> !retryFromInbox(exchange))
                // RefusalHandler has logged the one line that matters; the only failure left
                // unhandled (a file waiting for the database) needs no stack trace at every poll.
                .logExhausted(false)
                .bean(refusals, "handle");
    }

    private static boolean retryFromInbox(Exchange exchange) {
        InFlight message = InFlight.of(exchange);
        Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        return message != null
                && failure != null
                && RefusalHandler.retriedFromInbox(message.inbound(), Refusal.of(failure));
    }
}
