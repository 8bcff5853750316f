package org.sehathub.server.database;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class EmbeddedPostgresServerTest {

	@Test
	void operatorSettingsCannotTurnDurabilityOrLoopbackOff() {
		Map<String, String> settings = EmbeddedPostgresServer.serverSettings(Map.of(
				"shared_buffers", "256MB",
				"fsync", "off",
				"synchronous_commit", "off",
				"listen_addresses", "*"));

		assertThat(settings)
				.containsEntry("shared_buffers", "256MB")
				.containsEntry("fsync", "on")
				.containsEntry("synchronous_commit", "on")
				.containsEntry("full_page_writes", "on")
				.containsEntry("listen_addresses", "127.0.0.1")
				.containsEntry("unix_socket_directories", "")
				.containsEntry("log_min_error_statement", "panic");
	}
}
