package org.sehathub.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

class DataDirectoryEnvironmentPostProcessorTest {

    private final DataDirectoryEnvironmentPostProcessor processor = new DataDirectoryEnvironmentPostProcessor();

    @Test
    void aRelativeFolderBecomesAbsolute() {
        StandardEnvironment environment = environmentWith("sehat-test-data/../sehat-test-data");

        processor.postProcessEnvironment(environment, new SpringApplication());

        assertThat(environment.getProperty("sehat.data-dir"))
                .isEqualTo(Path.of("sehat-test-data").toAbsolutePath().toString());
    }

    @Test
    void anEmptyFolderIsRefusedRatherThanTakenAsTheWorkingDirectory() {
        StandardEnvironment environment = environmentWith("  ");

        assertThatThrownBy(() -> processor.postProcessEnvironment(environment, new SpringApplication()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("SEHAT_DATA_DIR")
                .hasMessageContaining("empty");
    }

    private static StandardEnvironment environmentWith(String dataDir) {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new MapPropertySource("test", Map.of("sehat.data-dir", dataDir)));
        return environment;
    }
}
