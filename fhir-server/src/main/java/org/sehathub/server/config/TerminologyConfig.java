package org.sehathub.server.config;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.api.dao.IFhirResourceDao;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import java.nio.file.Files;
import org.hl7.fhir.r4.model.ConceptMap;
import org.sehathub.mappers.normalize.ResourceNormalizer;
import org.sehathub.mappers.terminology.TerminologyMaps;
import org.sehathub.server.interceptor.FhirNormalizationInterceptor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The code maps from {@code config/terminology/}: given to the mappers and the normalization
 * interceptor, and stored as ConceptMap resources so {@code $translate} gives the same answers.
 */
@Configuration
public class TerminologyConfig {

    private static final Logger log = LoggerFactory.getLogger(TerminologyConfig.class);

    @Bean
    public TerminologyMaps terminologyMaps(TerminologyProperties properties) {
        if (Files.isDirectory(properties.dir())) {
            log.info(
                    "Code maps from {} (tables missing there come from the jar)",
                    properties.dir().toAbsolutePath());
            return TerminologyMaps.load(properties.dir());
        }
        log.info("Code maps from the jar ({} not found)", properties.dir().toAbsolutePath());
        return TerminologyMaps.loadDefault();
    }

    @Bean
    public ResourceNormalizer resourceNormalizer(TerminologyMaps terminologyMaps, java.time.Clock clock) {
        return new ResourceNormalizer(terminologyMaps, clock);
    }

    @Bean
    public FhirNormalizationInterceptor fhirNormalizationInterceptor(ResourceNormalizer normalizer) {
        return new FhirNormalizationInterceptor(normalizer);
    }

    /**
     * Updates each ConceptMap by its fixed id; HAPI writes a new version only when the table changed,
     * so a restart with unchanged tables writes nothing.
     */
    @Bean
    public ApplicationRunner conceptMapLoader(
            TerminologyMaps terminologyMaps, DaoRegistry daoRegistry, TerminologyProperties properties) {
        return args -> {
            if (!properties.loadConceptMaps()) {
                return;
            }
            IFhirResourceDao<ConceptMap> dao = daoRegistry.getResourceDao(ConceptMap.class);
            for (ConceptMap map : terminologyMaps.toConceptMaps()) {
                dao.update(map, new SystemRequestDetails());
            }
            log.info(
                    "Stored {} ConceptMaps from the terminology tables",
                    terminologyMaps.names().size());
        };
    }
}
