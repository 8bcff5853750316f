package org.sehathub.server;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Starts the real application the way {@code java -jar} does (on a free port), for tests that must
 * stop and start it again or need settings of their own.
 */
final class RunningServer implements AutoCloseable {

    private final ConfigurableApplicationContext context;
    private final FhirTestClient client;

    private RunningServer(ConfigurableApplicationContext context) {
        this.context = context;
        this.client =
                new FhirTestClient(context.getEnvironment().getRequiredProperty("local.server.port", Integer.class));
    }

    static RunningServer start(Map<String, String> properties, String... profiles) {
        List<String> args = new ArrayList<>();
        args.add("--server.port=0");
        if (!properties.containsKey("sehat.ingest.mllp.port")) {
            args.add("--sehat.ingest.mllp.port=" + TestDatabases.freePort());
        }
        args.addAll(TestClients.arguments());
        properties.forEach((key, value) -> args.add("--" + key + "=" + value));
        ConfigurableApplicationContext context = new SpringApplicationBuilder(SehatHubApplication.class)
                .profiles(profiles)
                .run(args.toArray(String[]::new));
        return new RunningServer(context);
    }

    /** Properties that point the {@code postgres} profile at a fresh embedded PostgreSQL database. */
    static Map<String, String> postgres(String jdbcUrl, String dataDir) {
        return Map.of(
                "SEHAT_DB_URL",
                jdbcUrl,
                "SEHAT_DB_USER",
                "postgres",
                "SEHAT_DB_PASSWORD",
                "postgres",
                "sehat.data-dir",
                dataDir);
    }

    int mllpPort() {
        return context.getEnvironment().getRequiredProperty("sehat.ingest.mllp.port", Integer.class);
    }

    FhirTestClient client() {
        return client;
    }

    <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    @Override
    public void close() {
        context.close();
    }
}
