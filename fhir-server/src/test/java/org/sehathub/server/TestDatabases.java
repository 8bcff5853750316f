package org.sehathub.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.Map;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;

/** Points a test application context at a fresh database and data folder of its own. */
final class TestDatabases {

    private TestDatabases() {}

    /** The embedded default: the server runs its own PostgreSQL in the fresh data folder. */
    static final class Embedded implements ApplicationContextInitializer<ConfigurableApplicationContext> {
        @Override
        public void initialize(ConfigurableApplicationContext context) {
            Map<String, Object> properties = new HashMap<>(TestClients.properties());
            properties.put("sehat.data-dir", tempDir("sehat-embedded-it"));
            properties.put("sehat.ingest.mllp.port", freePort());
            add(context, properties);
            // Spring keeps test contexts cached and does not close them when the JVM exits; this one
            // must close, or the PostgreSQL it started outlives the test run.
            context.registerShutdownHook();
        }
    }

    static final class Postgres implements ApplicationContextInitializer<ConfigurableApplicationContext> {
        @Override
        public void initialize(ConfigurableApplicationContext context) {
            Map<String, Object> properties =
                    new HashMap<>(RunningServer.postgres(TestPostgres.newDatabase("server"), tempDir("sehat-pg-it")));
            properties.put("sehat.ingest.mllp.port", freePort());
            // Tests bring the analytics views up to date themselves, with what they have just written.
            properties.put("sehat.analytics.settle", "0s");
            properties.put("sehat.analytics.refresh-interval", "1h");
            properties.putAll(TestClients.properties());
            add(context, properties);
        }
    }

    private static void add(ConfigurableApplicationContext context, Map<String, ?> properties) {
        context.getEnvironment()
                .getPropertySources()
                .addFirst(new MapPropertySource("testDatabase", Map.copyOf(properties)));
    }

    /** A port free right now, for the MLLP listener: contexts stay cached side by side in one JVM. */
    static String freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return String.valueOf(socket.getLocalPort());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String tempDir(String prefix) {
        try {
            return Files.createTempDirectory(prefix).toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
