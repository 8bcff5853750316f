package org.sehathub.server.database;

import java.time.Duration;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The embedded PostgreSQL server that Sehat Hub runs under its data folder unless told to use an
 * external database ({@code sehat.database.embedded.*}).
 *
 * @param enabled run the embedded server (the default); the {@code postgres} profile turns it off
 * @param port loopback TCP port for the server; 0 picks a free one at every start
 * @param startupTimeout how long to wait for the server to accept connections, crash recovery
 *     after an unclean stop included
 * @param settings PostgreSQL settings ({@code shared_buffers}, {@code work_mem}, ...) passed to the
 *     server at start; the ones durability, security and privacy rest on are fixed by
 *     {@link EmbeddedPostgresServer} and win over these
 */
@ConfigurationProperties("sehat.database.embedded")
public record EmbeddedPostgresProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("0") int port,
        @DefaultValue("5m") Duration startupTimeout,
        Map<String, String> settings) {

    public EmbeddedPostgresProperties {
        settings = settings == null ? Map.of() : Map.copyOf(settings);
    }
}
