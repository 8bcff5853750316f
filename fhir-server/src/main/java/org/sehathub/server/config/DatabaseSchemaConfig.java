package org.sehathub.server.config;

import ca.uhn.fhir.jpa.migrate.DriverTypeEnum;
import ca.uhn.fhir.jpa.migrate.HapiMigrator;
import ca.uhn.fhir.jpa.migrate.MigrationResult;
import ca.uhn.fhir.jpa.migrate.tasks.HapiFhirJpaMigrationTasks;
import ca.uhn.fhir.util.VersionEnum;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Set;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.flyway.FlywayMigrationStrategy;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Creates the database schema on first start and upgrades it on later ones with HAPI FHIR's own
 * migration tasks, the path HAPI supports for production databases.
 *
 * <p>On an empty database HAPI's first task runs the complete schema script for the current
 * version and records every later task as done; on an existing database only the tasks added
 * since the last start run. Each task is recorded in {@code FLY_HFJ_MIGRATION}, and a lock row
 * there keeps two nodes from migrating at once. Hibernate's {@code hbm2ddl} is off: it cannot
 * rename, migrate data or build indexes concurrently, and would silently diverge from HAPI's
 * schema (see docs/operations.md).
 */
@Configuration
public class DatabaseSchemaConfig {

    static final String MIGRATOR_BEAN = "sehatSchemaMigration";
    static final String MIGRATION_TABLE = "FLY_HFJ_MIGRATION";
    private static final Logger log = LoggerFactory.getLogger(DatabaseSchemaConfig.class);

    /** Runs the migration while the context starts; the entity manager factory depends on it. */
    @Bean(MIGRATOR_BEAN)
    public MigrationResult sehatSchemaMigration(DataSource dataSource) {
        DriverTypeEnum driverType = driverTypeOf(dataSource);
        HapiMigrator migrator = new HapiMigrator(MIGRATION_TABLE, dataSource, driverType);
        migrator.addTasks(new HapiFhirJpaMigrationTasks(Set.of()).getAllTasks(VersionEnum.values()));
        migrator.createMigrationTableIfRequired();
        MigrationResult result = migrator.migrate();
        log.info("Database schema ({}) is current: {}", driverType, result.summary());
        return result;
    }

    /**
     * Sehat Hub's own migrations (Flyway) run after HAPI's: those in {@code db/sehat-on-hapi} change
     * HAPI's tables (V8 indexes {@code hfj_res_link}, V9 sets its statistics), which exist only once
     * HAPI's have run, and V9 must come after HAPI's own statistics settings.
     */
    @Bean
    public FlywayMigrationStrategy sehatMigrationsAfterHapis(@Qualifier(MIGRATOR_BEAN) MigrationResult hapiSchema) {
        return Flyway::migrate;
    }

    static DriverTypeEnum driverTypeOf(DataSource dataSource) {
        try (Connection connection = dataSource.getConnection()) {
            String product = connection.getMetaData().getDatabaseProductName();
            return switch (product) {
                case "PostgreSQL" -> DriverTypeEnum.POSTGRES_9_4;
                default -> throw new IllegalStateException("Sehat Hub runs on PostgreSQL, not on " + product);
            };
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot reach the database to check its schema", e);
        }
    }
}
