package io.kvl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.kvl.config.ConfigMarkdown;
import io.kvl.streams.config.LabelerConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Keeps the README's configuration reference, its tables and its test command true. */
class ReadmeTest {
    private static Path home() {
        return Path.of(System.getProperty("kvl.home", ".."));
    }

    private static String readme() throws Exception {
        return Files.readString(home().resolve("README.md"), StandardCharsets.UTF_8);
    }

    @Test
    void configurationReferenceShouldBeTheGeneratedOne() throws Exception {
        String table = LabelerConfig.toMarkdown();
        // The current table, to paste into the README when a key changed.
        Path out = Path.of("target", "config-reference", "labeler.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, table, StandardCharsets.UTF_8);
        assertThat(readme())
                .as("README configuration table (current one: %s)", out)
                .contains(table);
    }

    @Test
    void configurationTableRowsShouldHaveTheHeadersColumns() throws Exception {
        List<String> rows = tableAt(readme(), "| key | type | default |");
        assertThat(rows).hasSizeGreaterThan(20);
        for (String row : rows) {
            assertThat(ConfigMarkdown.cells(row)).as(row).hasSize(ConfigMarkdown.COLUMNS.size());
        }
    }

    @Test
    void everyReadmeTableShouldHaveAsManyCellsPerRowAsItsHeader() throws Exception {
        List<List<String>> tables = tables(readme());
        assertThat(tables).hasSizeGreaterThan(3);
        for (List<String> table : tables) {
            int columns = ConfigMarkdown.cells(table.get(0)).size();
            for (String row : table) {
                assertThat(ConfigMarkdown.cells(row)).as(row).hasSize(columns);
            }
        }
    }

    @Test
    void ciShouldRunTheReadmeTestCommand() throws Exception {
        String ci = Files.readString(home().resolve(".ci").resolve("run"));
        assertThat(readme()).contains("mvn -B -ntp verify");
        assertThat(ci).contains("mvn -B -ntp verify");
    }

    /** The rows of the table whose header starts with {@code header}. */
    private static List<String> tableAt(String text, String header) {
        return tables(text).stream()
                .filter(t -> t.get(0).startsWith(header))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no table with header " + header));
    }

    /** Every Markdown table outside code blocks: consecutive lines starting with '|'. */
    private static List<List<String>> tables(String text) {
        List<List<String>> tables = new ArrayList<>();
        List<String> current = null;
        boolean code = false;
        for (String line : text.split("\n", -1)) {
            if (line.startsWith("```")) {
                code = !code;
            }
            if (!code && line.startsWith("|")) {
                if (current == null) {
                    current = new ArrayList<>();
                    tables.add(current);
                }
                current.add(line);
            } else {
                current = null;
            }
        }
        return tables;
    }
}
