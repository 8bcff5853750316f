package org.sehathub.server.config;

import jakarta.validation.constraints.NotNull;
import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Settings shared by every feature: where Sehat Hub keeps its files.
 *
 * @param dataDir the one folder holding the embedded database, the Lucene index and the ingest
 *     inboxes; {@code ./data} unless {@code SEHAT_DATA_DIR} says otherwise. Made absolute at start-up
 *     by {@link DataDirectoryEnvironmentPostProcessor}.
 */
@Validated
@ConfigurationProperties("sehat")
public record SehatProperties(@NotNull Path dataDir) {}
