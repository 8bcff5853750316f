package org.sehathub.server.database;

import com.zaxxer.hikari.HikariDataSource;
import org.sehathub.server.config.SehatProperties;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The embedded default: a PostgreSQL server under the data folder and the connection pool to it.
 * Off with {@code sehat.database.embedded.enabled=false} (the {@code postgres} profile), where
 * Spring Boot builds the pool from {@code spring.datasource.*} instead.
 *
 * <p>The pool depends on the server, so on shutdown Spring closes the pool first and stops the
 * server last.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "sehat.database.embedded.enabled", havingValue = "true", matchIfMissing = true)
public class EmbeddedDatabaseConfig {

    /** Started only once this process holds the data folder ({@code dataFolderLock} orders it). */
    @Bean(destroyMethod = "close")
    public EmbeddedPostgresServer embeddedPostgresServer(
            SehatProperties sehat, EmbeddedPostgresProperties properties, DataFolderLock dataFolderLock) {
        return EmbeddedPostgresServer.start(sehat.dataDir(), properties);
    }

    /** Hikari, tuned by the same {@code spring.datasource.hikari.*} keys as an external database. */
    @Bean
    @ConfigurationProperties("spring.datasource.hikari")
    public HikariDataSource dataSource(EmbeddedPostgresServer server) {
        HikariDataSource dataSource = new HikariDataSource();
        dataSource.setDriverClassName("org.postgresql.Driver");
        dataSource.setJdbcUrl(server.jdbcUrl());
        dataSource.setUsername(server.username());
        dataSource.setPassword(server.password());
        dataSource.setPoolName("sehat-embedded");
        return dataSource;
    }
}
