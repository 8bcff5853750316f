package org.sehathub.server;

import java.io.IOException;
import java.nio.file.Files;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The FHIR capabilities on a real PostgreSQL server, through the {@code postgres} profile. */
@ActiveProfiles("postgres")
class FhirServerOnPostgresIT extends AbstractFhirServerIT {

	@DynamicPropertySource
	static void postgres(DynamicPropertyRegistry registry) throws IOException {
		String url = TestPostgres.newDatabase("capabilities");
		String dataDir = Files.createTempDirectory("sehat-pg-it").toString();
		registry.add("SEHAT_DB_URL", () -> url);
		registry.add("SEHAT_DB_USER", () -> "postgres");
		registry.add("SEHAT_DB_PASSWORD", () -> "postgres");
		registry.add("sehat.data-dir", () -> dataDir);
	}
}
