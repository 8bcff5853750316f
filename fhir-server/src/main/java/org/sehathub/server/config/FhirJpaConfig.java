package org.sehathub.server.config;

import ca.uhn.fhir.batch2.jobs.config.Batch2JobsConfig;
import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.jpa.api.config.JpaStorageSettings;
import ca.uhn.fhir.jpa.api.config.ThreadPoolFactoryConfig;
import ca.uhn.fhir.jpa.batch2.JpaBatch2Config;
import ca.uhn.fhir.jpa.binary.api.IBinaryStorageSvc;
import ca.uhn.fhir.jpa.binstore.DatabaseBinaryContentStorageSvcImpl;
import ca.uhn.fhir.jpa.config.HapiJpaConfig;
import ca.uhn.fhir.jpa.config.r4.JpaR4Config;
import ca.uhn.fhir.jpa.config.util.HapiEntityManagerFactoryUtil;
import ca.uhn.fhir.jpa.model.config.PartitionSettings;
import ca.uhn.fhir.jpa.model.config.SubscriptionSettings;
import ca.uhn.fhir.jpa.subscription.channel.config.SubscriptionChannelConfig;
import ca.uhn.fhir.jpa.subscription.match.deliver.email.IEmailSender;
import jakarta.persistence.EntityManagerFactory;
import java.util.Map;
import javax.sql.DataSource;
import org.sehathub.server.database.DataFolderConfig;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.DependsOn;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.core.env.Environment;
import org.springframework.orm.jpa.JpaTransactionManager;
import org.springframework.orm.jpa.LocalContainerEntityManagerFactoryBean;
import org.springframework.transaction.annotation.EnableTransactionManagement;

/**
 * The HAPI FHIR JPA storage layer for R4: DAOs, search, terminology, batch jobs (Bulk export),
 * Hibernate and Hibernate Search (Lucene) on the configured data source.
 *
 * <p>The entity manager is built only after {@link DatabaseSchemaConfig} has brought the schema up
 * to date, so Hibernate never creates or alters tables itself, and after this process has claimed
 * the data folder, so no other process shares its Lucene index.
 */
@Configuration
@EnableTransactionManagement
@Import({
    JpaR4Config.class,
    HapiJpaConfig.class,
    JpaBatch2Config.class,
    Batch2JobsConfig.class,
    SubscriptionChannelConfig.class,
    ThreadPoolFactoryConfig.class
})
public class FhirJpaConfig {

    /** HAPI's own bound for synchronous searches it runs internally (internalSynchronousSearchSize). */
    static final int SYNCHRONOUS_SEARCH_MAXIMUM = 10_000;

    /** HAPI's own storage settings, from {@code sehat.fhir.*}; everything else keeps HAPI's default. */
    @Bean
    public JpaStorageSettings jpaStorageSettings(FhirProperties fhir) {
        JpaStorageSettings settings = new JpaStorageSettings();
        settings.setAutoCreatePlaceholderReferenceTargets(fhir.autoCreatePlaceholderReferences());
        settings.setEnforceReferentialIntegrityOnWrite(true);
        settings.setEnforceReferentialIntegrityOnDelete(true);
        settings.setAllowExternalReferences(fhir.allowExternalReferences());
        settings.setAllowMultipleDelete(fhir.allowMultipleDelete());
        settings.setMaximumTransactionBundleSize(fhir.maxBundleEntries());
        // The most a synchronous search loads. Not the page size (the paging provider caps _count):
        // Bulk export reads each chunk of up to 1,000 ids with one synchronous search, and with a cap
        // of 200 every export holding more than 200 resources of a type failed (HAPI-0464).
        settings.setFetchSizeDefaultMaximum(SYNCHRONOUS_SEARCH_MAXIMUM);
        settings.setExpireSearchResultsAfterMillis(fhir.retainCachedSearchesMinutes() * 60_000L);
        // HAPI's default reuses a search's results for a minute, so a search right after a write can
        // miss it; a health record must not. Operators may trade that for speed.
        settings.setReuseCachedSearchResultsForMillis(
                fhir.reuseCachedSearchResultsMillis() > 0 ? fhir.reuseCachedSearchResultsMillis() : null);
        settings.setEnableTaskBulkExportJobExecution(fhir.bulkExportEnabled());
        // _content and _text are answered from the Lucene index (see STACK.md, pitfall 5).
        settings.setHibernateSearchIndexFullText(true);
        // HAPI's write-path levers, off by default as in HAPI: neither paid in the benchmark
        // (docs/performance.md).
        settings.setMatchUrlCacheEnabled(fhir.matchUrlCache());
        settings.setMassIngestionMode(fhir.massIngestion());
        // A token's display text is indexed again as a string row for :text, which no API of ours
        // promises; :text is then refused with a clear 405 instead of matching nothing.
        settings.setSuppressStringIndexingInTokens(!fhir.tokenTextSearch());
        return settings;
    }

    @Bean
    public PartitionSettings partitionSettings() {
        return new PartitionSettings();
    }

    @Bean
    public SubscriptionSettings subscriptionSettings() {
        return new SubscriptionSettings();
    }

    /** Subscriptions are not offered yet; HAPI's subscription wiring still asks for a sender. */
    @Bean
    public IEmailSender emailSender() {
        return details -> {
            throw new UnsupportedOperationException("E-mail subscriptions are not enabled on Sehat Hub");
        };
    }

    /** Binaries (Bulk export output files among them) live in the database, inside backups. */
    @Bean
    public IBinaryStorageSvc binaryStorageSvc() {
        return new DatabaseBinaryContentStorageSvcImpl();
    }

    @Primary
    @Bean
    @DependsOn({DatabaseSchemaConfig.MIGRATOR_BEAN, DataFolderConfig.LOCK_BEAN})
    public LocalContainerEntityManagerFactoryBean entityManagerFactory(
            DataSource dataSource,
            ConfigurableListableBeanFactory beanFactory,
            FhirContext fhirContext,
            JpaStorageSettings storageSettings,
            Environment environment) {
        LocalContainerEntityManagerFactoryBean factory =
                HapiEntityManagerFactoryUtil.newEntityManagerFactory(beanFactory, fhirContext, storageSettings);
        factory.setPersistenceUnitName("HAPI_PU");
        factory.setDataSource(dataSource);
        factory.getJpaPropertyMap().putAll(hibernateProperties(environment));
        return factory;
    }

    @Primary
    @Bean
    public JpaTransactionManager transactionManager(EntityManagerFactory entityManagerFactory) {
        return new JpaTransactionManager(entityManagerFactory);
    }

    /**
     * Everything under {@code spring.jpa.properties} goes to Hibernate as it is, on top of HAPI's
     * defaults; nested YAML keys arrive flattened ({@code hibernate.search.enabled}).
     */
    private static Map<String, String> hibernateProperties(Environment environment) {
        return Binder.get(environment)
                .bind("spring.jpa.properties", Bindable.mapOf(String.class, String.class))
                .orElse(Map.of());
    }
}
