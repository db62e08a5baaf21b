package io.kvl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.kvl.streams.config.LabelerConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Keeps the README's configuration reference and test command true. */
class ReadmeTest {
    private static String readme() throws Exception {
        return Files.readString(Path.of(System.getProperty("kvl.home", ".."), "README.md"));
    }

    @Test
    void configurationReferenceShouldBeTheGeneratedOne() throws Exception {
        assertThat(readme()).contains(LabelerConfig.toMarkdown());
    }

    @Test
    void ciShouldRunTheReadmeTestCommand() throws Exception {
        String ci = Files.readString(Path.of(System.getProperty("kvl.home", ".."), ".ci", "run"));
        assertThat(readme()).contains("mvn -B -ntp verify");
        assertThat(ci).contains("mvn -B -ntp verify");
    }
}
