package org.sehathub.server;

import java.io.IOException;
import java.nio.file.Files;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The FHIR capabilities on the embedded default: file-based H2 and Lucene under a data folder. */
class FhirServerOnH2IT extends AbstractFhirServerIT {

	@DynamicPropertySource
	static void embeddedDefault(DynamicPropertyRegistry registry) throws IOException {
		String dataDir = Files.createTempDirectory("sehat-h2-it").toString();
		registry.add("sehat.data-dir", () -> dataDir);
	}
}
