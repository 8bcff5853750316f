package org.sehathub.server.config;

import org.sehathub.ingest.IngestRoutesConfig;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * The ingest routes (HL7 v2 over MLLP and HTTP, clinic CSV, telehealth JSON, dead letters) run in
 * this application by default, writing through the in-process sink of {@link IngestStorageConfig}.
 * {@code sehat.ingest.enabled=false} leaves them out.
 */
@Configuration
@Import(IngestRoutesConfig.class)
public class IngestConfig {}
