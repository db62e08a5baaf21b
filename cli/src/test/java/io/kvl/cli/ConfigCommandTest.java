package io.kvl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.kvl.streams.config.LabelerConfig;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.kafka.common.config.ConfigDef;
import org.junit.jupiter.api.Test;

class ConfigCommandTest {

    @Test
    void shouldPrintAMarkdownRowForEveryConfigurationKey() {
        CliRun run = CliRun.of("config");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).isEqualTo(LabelerConfig.toMarkdown());
        List<String> lines = run.outLines();
        assertThat(lines.get(0))
                .isEqualTo("| key | type | default | valid values | importance | description |");
        assertThat(lines.get(1)).isEqualTo("| --- | --- | --- | --- | --- | --- |");
        Set<String> keys = LabelerConfig.configDef().names();
        assertThat(lines).hasSize(2 + keys.size());
        assertThat(lines.subList(2, lines.size()))
                .allMatch(l -> l.startsWith("| `") && l.endsWith(" |"))
                .extracting(l -> l.substring(3, l.indexOf('`', 3)))
                .containsExactlyInAnyOrderElementsOf(keys);
        // Each row says the key's type and documentation as the ConfigDef has them.
        for (ConfigDef.ConfigKey key : LabelerConfig.configDef().configKeys().values()) {
            assertThat(lines)
                    .filteredOn(l -> l.startsWith("| `" + key.name + "` |"))
                    .singleElement()
                    .satisfies(
                            l ->
                                    assertThat(l)
                                            .contains(
                                                    " | "
                                                            + key.type
                                                                    .name()
                                                                    .toLowerCase(Locale.ROOT)
                                                            + " | ")
                                            .endsWith(
                                                    " | "
                                                            + key.documentation.replace("|", "\\|")
                                                            + " |"));
        }
    }

    @Test
    void shouldRejectAnUnknownOption() {
        CliRun run = CliRun.of("config", "--format");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).startsWith("Unknown option: '--format'");
        assertThat(run.out()).isEmpty();
    }
}
