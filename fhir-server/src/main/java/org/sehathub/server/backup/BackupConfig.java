package org.sehathub.server.backup;

import java.nio.file.Path;
import java.time.Clock;
import javax.sql.DataSource;
import org.sehathub.server.config.SehatProperties;
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

	@Bean
	public EmbeddedDatabaseBackup embeddedDatabaseBackup(DataSource dataSource, SehatProperties sehat, BackupProperties backup) {
		Path dir = backup.dir() == null ? sehat.dataDir().resolve("backups") : backup.dir().toAbsolutePath().normalize();
		return new EmbeddedDatabaseBackup(dataSource, sehat.dataDir(), dir, Clock.systemUTC());
	}
}
