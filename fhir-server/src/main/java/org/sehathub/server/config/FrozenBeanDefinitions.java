package org.sehathub.server.config;

import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.stereotype.Component;

/**
 * Freezes the bean definitions as soon as every post-processor has seen them, so that Spring
 * caches its by-type lookups from then on.
 *
 * <p>Why: Spring freezes the definitions only just before it creates the remaining singletons, but
 * Spring Boot starts Tomcat earlier, and Tomcat's start creates the servlets and filters: HAPI's
 * RestfulServer and the security chain, and with them nearly all of HAPI's ~1,000 beans. Until the
 * freeze, every by-type injection point (HAPI's DAOs have dozens each) scans all ~2,000 definitions
 * again; measured with JFR, that was about a third of a start. Nothing registers definitions after
 * the post-processors have run (a test starts the whole server with it), and Spring clears the
 * cache if anything does.
 */
@Component
class FrozenBeanDefinitions implements BeanFactoryPostProcessor {

    @Override
    public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) {
        beanFactory.freezeConfiguration();
    }
}
