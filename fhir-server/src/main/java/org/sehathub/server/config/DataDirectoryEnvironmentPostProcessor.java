package org.sehathub.server.config;

import java.nio.file.Path;
import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Turns {@code sehat.data-dir} into an absolute, normalised path before anything reads it.
 *
 * <p>The Lucene root and the disk-space health check are written as {@code ${sehat.data-dir}/...},
 * and the embedded PostgreSQL is started with paths under it; one absolute form means every part
 * names the same folder whatever the working directory of a child process.
 */
public class DataDirectoryEnvironmentPostProcessor implements EnvironmentPostProcessor, Ordered {

    static final String KEY = "sehat.data-dir";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        String configured = environment.getProperty(KEY, "./data");
        if (configured.isBlank()) {
            // SEHAT_DATA_DIR= (set but empty) would otherwise put the database and the index in
            // whatever folder the server was started from.
            throw new IllegalStateException(
                    "sehat.data-dir (SEHAT_DATA_DIR) is empty: name a folder, or leave it unset for ./data");
        }
        String absolute = Path.of(configured).toAbsolutePath().normalize().toString();
        environment.getPropertySources().addFirst(new MapPropertySource("sehatDataDir", Map.of(KEY, absolute)));
    }

    @Override
    public int getOrder() {
        // After the config files are loaded (ConfigDataEnvironmentPostProcessor), so overrides count.
        return Ordered.LOWEST_PRECEDENCE;
    }
}
