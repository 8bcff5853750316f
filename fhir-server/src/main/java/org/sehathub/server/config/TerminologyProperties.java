package org.sehathub.server.config;

import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Where the operator-editable code maps live.
 *
 * @param dir folder of terminology CSV tables; a table missing there falls back to the copy shipped
 *     in the jar, so the server also starts where the folder does not exist
 * @param loadConceptMaps store each table as a FHIR ConceptMap at start-up, so
 *     {@code ConceptMap/$translate} answers as the mappers do
 */
@Validated
@ConfigurationProperties("sehat.terminology")
public record TerminologyProperties(
        @DefaultValue("./config/terminology") Path dir,
        @DefaultValue("true") boolean loadConceptMaps) {}
