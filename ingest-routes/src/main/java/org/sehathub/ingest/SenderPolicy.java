package org.sehathub.ingest;

import org.apache.camel.Exchange;

/**
 * Whether whoever sent a message may send for the facility it names (HL7 MSH-4, the CSV clinic,
 * the telehealth provider). The routes know facilities but not callers; the server that assembles
 * them knows who authenticated (a token, a client certificate) and says yes or throws {@link
 * SenderNotPermittedException}. The refusal is answered (HL7 AR, HTTP 403) and kept as a dead
 * letter like any other.
 */
@FunctionalInterface
public interface SenderPolicy {

    /** No check at all: the routes on their own, and the server with access control off. */
    SenderPolicy ANYONE = (exchange, location, facility) -> {};

    /**
     * @param exchange the message as received (HTTP request or MLLP connection headers)
     * @param location where the message names its facility ({@code MSH-4}, {@code X-Sehat-Facility})
     * @param facility the facility the message names, possibly null when it names none
     */
    void check(Exchange exchange, String location, String facility);

    /**
     * Whether some sender is registered for {@code facility}: metrics label only those by name,
     * so that what strangers send cannot grow them without bound. Without a registry, every one.
     */
    default boolean isRegistered(String facility) {
        return true;
    }
}
