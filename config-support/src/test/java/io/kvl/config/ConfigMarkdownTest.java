package io.kvl.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.ValidString;
import org.junit.jupiter.api.Test;

class ConfigMarkdownTest {
    private static ConfigDef def() {
        ConfigDef def = new ConfigDef();
        new ConfigGroup(def, "Second")
                .define("z.key", Type.INT, 1, null, Importance.LOW, "Later group.", "Z");
        new ConfigGroup(def, "First")
                .define(
                        "b.key",
                        Type.STRING,
                        "a|b",
                        ValidString.in("a|b", "c"),
                        Importance.HIGH,
                        "Keyed camera|label|window.",
                        "B")
                .defineRequired("a.key", Type.LIST, null, Importance.MEDIUM, "Required.", "A");
        return def;
    }

    @Test
    void shouldEscapePipesSoEveryRowHasTheHeadersColumnCount() {
        String[] rows = ConfigMarkdown.table(def()).split("\n");
        assertThat(rows).hasSize(5);
        for (String row : rows) {
            assertThat(ConfigMarkdown.cells(row)).as(row).hasSize(ConfigMarkdown.COLUMNS.size());
        }
        assertThat(ConfigMarkdown.cells(rows[2]))
                .containsExactly("`z.key`", "int", "`1`", "", "low", "Later group.");
        assertThat(rows[3]).contains("Keyed camera\\|label\\|window.");
    }

    @Test
    void shouldOrderKeysByGroupThenDefinitionAndMarkRequiredOnes() {
        ConfigDef def = def();
        String table = ConfigMarkdown.table(def);
        // Groups in the order they were first defined, keys in definition order within them.
        assertThat(table.indexOf("`z.key`")).isLessThan(table.indexOf("`b.key`"));
        assertThat(table.indexOf("`b.key`")).isLessThan(table.indexOf("`a.key`"));
        assertThat(ConfigMarkdown.cells(table.split("\n")[4]).get(2)).isEqualTo("required");
        assertThat(def.configKeys().get("a.key").orderInGroup).isEqualTo(2);
        assertThat(def.configKeys().get("a.key").displayName).isEqualTo("A");
    }

    @Test
    void shouldSplitCellsOnUnescapedPipesOnly() {
        assertThat(ConfigMarkdown.cells("| a | b\\|c | d |")).isEqualTo(List.of("a", "b\\|c", "d"));
    }
}
