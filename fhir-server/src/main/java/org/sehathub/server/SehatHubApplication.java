package org.sehathub.server;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.autoconfigure.elasticsearch.ElasticsearchRestClientAutoConfiguration;
import org.springframework.boot.autoconfigure.orm.jpa.HibernateJpaAutoConfiguration;
import org.springframework.boot.autoconfigure.quartz.QuartzAutoConfiguration;
import org.springframework.boot.autoconfigure.security.oauth2.server.servlet.OAuth2AuthorizationServerAutoConfiguration;
import org.springframework.boot.autoconfigure.security.oauth2.server.servlet.OAuth2AuthorizationServerJwtAutoConfiguration;
import org.springframework.boot.autoconfigure.security.servlet.UserDetailsServiceAutoConfiguration;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * Sehat Hub: the central FHIR R4 health record. Each feature is one {@code @Configuration}, in
 * {@code org.sehathub.server.config} or in the feature's own package ({@code .database},
 * {@code .backup}); this class only starts Spring.
 *
 * <p>Excluded auto-configurations: HAPI builds its own entity manager factory (Hibernate's
 * auto-configuration would build a second one), Elasticsearch's client is on the classpath only
 * because HAPI's JPA module needs its classes (we index with Lucene), and HAPI runs its own
 * scheduler. Access control is configured whole in {@code security.SecurityConfig} (Spring Boot's
 * authorization server and its generated user would otherwise add keys and a password of their
 * own). Flyway stays on, but only for Sehat Hub's own tables (see application.yaml).
 */
@SpringBootApplication(
        exclude = {
            HibernateJpaAutoConfiguration.class,
            ElasticsearchRestClientAutoConfiguration.class,
            QuartzAutoConfiguration.class,
            OAuth2AuthorizationServerAutoConfiguration.class,
            OAuth2AuthorizationServerJwtAutoConfiguration.class,
            UserDetailsServiceAutoConfiguration.class
        })
@ConfigurationPropertiesScan
public class SehatHubApplication {

    public static void main(String[] args) {
        SpringApplication.run(SehatHubApplication.class, args);
    }
}
