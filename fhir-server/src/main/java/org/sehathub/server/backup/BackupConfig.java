package org.sehathub.server.backup;

import java.nio.file.Path;
import java.time.Clock;
import org.sehathub.server.config.SehatProperties;
import org.sehathub.server.database.EmbeddedPostgresServer;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Online backups of the embedded database. An external PostgreSQL is backed up with PostgreSQL's
 * own tools ({@code pg_basebackup}, {@code pg_dump}), so nothing here runs then.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "sehat.database.embedded.enabled", havingValue = "true", matchIfMissing = true)
public class BackupConfig {

    /**
     * The backup's session is a connection of its own, outside the pool: if a backup fails half-way,
     * closing that connection is what ends it in PostgreSQL; a pooled one would go back to the pool
     * with the backup still open.
     */
    @Bean
    public EmbeddedDatabaseBackup embeddedDatabaseBackup(
            EmbeddedPostgresServer server, SehatProperties sehat, BackupProperties backup) {
        Path dir = backup.dir() == null
                ? sehat.dataDir().resolve("backups")
                : backup.dir().toAbsolutePath().normalize();
        return new EmbeddedDatabaseBackup(server.unpooledDataSource(), sehat.dataDir(), dir, Clock.systemUTC());
    }
}
