package io.kvl.connect;

import static org.assertj.core.api.Assertions.assertThat;

import io.kvl.config.ConfigMarkdown;
import io.kvl.connect.converter.AvroEventConverterConfig;
import io.kvl.connect.sink.AlertWebhookSinkConfig;
import io.kvl.connect.source.CameraSourceConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.storage.ConverterConfig;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The configuration tables of README.md are generated from the ConfigDefs: this test fails when one
 * is stale, and writes the current table to {@code target/config-reference/<name>.md} to paste
 * between the table's markers.
 */
class ConfigReferenceTest {

    enum Component {
        CAMERA_SOURCE(CameraSourceConfig.CONFIG_DEF),
        AVRO_EVENT_CONVERTER(AvroEventConverterConfig.CONFIG_DEF),
        ALERT_WEBHOOK_SINK(AlertWebhookSinkConfig.CONFIG_DEF);

        final ConfigDef def;

        Component(ConfigDef def) {
            this.def = def;
        }

        String marker() {
            return name().toLowerCase().replace('_', '-');
        }
    }

    @ParameterizedTest
    @EnumSource(Component.class)
    void readmeShouldHoldTheTableGeneratedFromTheConfigDef(Component component) throws Exception {
        String table = markdown(component.def);
        Path out = Path.of("target", "config-reference", component.marker() + ".md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, table, StandardCharsets.UTF_8);

        String readme = Files.readString(Path.of("README.md"), StandardCharsets.UTF_8);
        String begin = "<!-- config:" + component.marker() + " -->\n";
        String end = "<!-- /config:" + component.marker() + " -->";
        int from = readme.indexOf(begin);
        int to = readme.indexOf(end);
        assertThat(from).as("README.md has the marker %s", begin.trim()).isNotNegative();
        assertThat(readme.substring(from + begin.length(), to))
                .as("README table of %s (the current one is in %s)", component, out)
                .isEqualTo(table);
    }

    static String markdown(ConfigDef def) {
        // converter.type is set by the worker, never by the user.
        return ConfigMarkdown.table(def, k -> !k.name.equals(ConverterConfig.TYPE_CONFIG));
    }
}
