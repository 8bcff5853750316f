package org.sehathub.server.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.jwk.JWK;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;

/** The operator's command line: the lines it prints are configuration the server accepts. */
class SmartClientToolTest {

    @TempDir
    Path dir;

    @Test
    void aNewHospitalGetsAPrivateKeyFileAndRegistersOnlyThePublicHalf() throws Exception {
        Path config = dir.resolve("security/application.yaml");
        Path key = dir.resolve("lgh.private-key.json");
        String out = run(Map.of(
                "id",
                List.of("lgh"),
                "role",
                List.of("hospital"),
                "facility",
                List.of("Lahore General"),
                "scope",
                List.of("system/*.cruds"),
                "key-file",
                List.of(key.toString()),
                "register",
                List.of(config.toString()),
                "mllp-loopback",
                List.of("true")));

        assertThat(JWK.parse(Files.readString(key)).isPrivate()).isTrue();
        assertThat(Files.getPosixFilePermissions(key))
                .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        String yaml = Files.readString(config);
        assertThat(yaml)
                .startsWith("# Registered clients")
                .contains("sehat:\n  security:\n    clients:\n")
                .contains(
                        "- id: lgh",
                        "role: hospital",
                        "facilities: [\"Lahore General\"]",
                        "mllp-loopback: true",
                        "jwks: '");
        assertThat(yaml).doesNotContain("\"d\":");
        assertThat(out).contains("Registered in");
    }

    @Test
    void aPublicAppHasRedirectUrisAndNoKey() throws Exception {
        String out = run(Map.of(
                "id",
                List.of("kahani"),
                "role",
                List.of("app"),
                "public",
                List.of("true"),
                "redirect-uri",
                List.of("https://app.example/callback"),
                "scope",
                List.of("patient/*.rs")));

        assertThat(out)
                .contains("redirect-uris: [\"https://app.example/callback\"]")
                .doesNotContain("jwks");
        assertThat(Files.exists(Path.of("kahani.private-key.json"))).isFalse();
    }

    @Test
    void aPasswordHashIsBcryptWithItsAlgorithmAndMatches() {
        String hash = SmartClientTool.hashPassword("a-long-password");

        assertThat(hash).startsWith("{bcrypt}$2a$");
        assertThat(PasswordEncoderFactories.createDelegatingPasswordEncoder().matches("a-long-password", hash))
                .isTrue();
        assertThatThrownBy(() -> SmartClientTool.hashPassword("short")).isInstanceOf(IllegalArgumentException.class);
    }

    private static String run(Map<String, List<String>> options) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        SmartClientTool.newClient(options, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
