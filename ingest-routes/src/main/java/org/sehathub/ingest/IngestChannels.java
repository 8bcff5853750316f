package org.sehathub.ingest;

import java.util.List;
import java.util.Optional;

/**
 * The registry of channels the application assembles: who answers a message (its channel's
 * responder) and where a dead letter is processed again are found here, by the source a message
 * came from, and nowhere else.
 */
public final class IngestChannels {

    private final List<IngestChannel> channels;

    public IngestChannels(List<IngestChannel> channels) {
        this.channels = List.copyOf(channels);
    }

    /** The channel whose messages come from {@code source}, if any. */
    public Optional<IngestChannel> forSource(String source) {
        return channels.stream().filter(c -> c.owns(source)).findFirst();
    }

    /** The channel of a message in the routes; every message there came through one. */
    public IngestChannel of(Inbound inbound) {
        return forSource(inbound.source())
                .orElseThrow(() -> new IllegalStateException("no channel for source " + inbound.source()));
    }
}
