package org.sehathub.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sehat.security.enabled=false} is for development on one machine: honoured on loopback
 * (no token needed), refused at start-up when the server would listen beyond it.
 */
class SecurityOffIT {

    @TempDir
    Path dataDir;

    @Test
    void refusedUnlessEveryListenerIsOnLoopback() {
        assertThatThrownBy(() -> RunningServer.start(Map.of(
                        "sehat.data-dir", dataDir.resolve("open").toString(),
                        "sehat.security.enabled", "false",
                        "server.address", "0.0.0.0")))
                .hasStackTraceContaining("sehat.security.enabled=false is for development on loopback only")
                .hasStackTraceContaining("server.address");
        assertThatThrownBy(() -> RunningServer.start(Map.of(
                        "sehat.data-dir", dataDir.resolve("mllp").toString(),
                        "sehat.security.enabled", "false",
                        "sehat.ingest.mllp.host", "0.0.0.0")))
                .hasStackTraceContaining("sehat.ingest.mllp.host");
    }

    @Test
    void onLoopbackEveryRequestIsServedWithoutAToken() {
        try (RunningServer server = RunningServer.start(
                Map.of("sehat.data-dir", dataDir.resolve("loopback").toString(), "sehat.security.enabled", "false"))) {
            FhirTestClient anonymous = new FhirTestClient(server.client().port(), null, "");
            assertThat(anonymous.get("/fhir/Patient").statusCode()).isEqualTo(200);
            assertThat(anonymous.get("/ingest/dead-letters").statusCode()).isEqualTo(200);
        }
    }
}
