package io.kvl.config;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.ConfigKey;
import org.apache.kafka.common.config.types.Password;

/**
 * The configuration reference of a component as a Markdown table, generated from its {@link
 * ConfigDef} (as Connect's {@code toEnrichedRst()} does for RST): keys by group, in definition
 * order. Cells are escaped, so a {@code |} in a default or a description never adds a column.
 */
public final class ConfigMarkdown {
    /** The header row; every row of the table has as many cells. */
    public static final List<String> COLUMNS =
            List.of("key", "type", "default", "valid values", "importance", "description");

    private ConfigMarkdown() {}

    /** Every key of {@code def}. */
    public static String table(ConfigDef def) {
        return table(def, k -> true);
    }

    /** The keys of {@code def} that {@code include} accepts. */
    public static String table(ConfigDef def, Predicate<ConfigKey> include) {
        List<String> groups = def.groups();
        List<ConfigKey> keys =
                def.configKeys().values().stream()
                        .filter(include)
                        .sorted(
                                Comparator.comparingInt((ConfigKey k) -> groupIndex(groups, k))
                                        .thenComparingInt(k -> k.orderInGroup))
                        .toList();
        StringBuilder table = new StringBuilder();
        table.append(row(COLUMNS));
        table.append(row(COLUMNS.stream().map(c -> "---").toList()));
        for (ConfigKey key : keys) {
            table.append(
                    row(
                            List.of(
                                    "`" + key.name + "`",
                                    key.type.name().toLowerCase(Locale.ROOT),
                                    defaultOf(key),
                                    key.validator == null ? "" : key.validator.toString(),
                                    key.importance.name().toLowerCase(Locale.ROOT),
                                    key.documentation == null ? "" : key.documentation)));
        }
        return table.toString();
    }

    /** Splits a table row into its cells, honouring escaped {@code \|}. */
    public static List<String> cells(String row) {
        String inner = row.trim();
        if (!inner.startsWith("|") || !inner.endsWith("|") || inner.length() < 2) {
            throw new IllegalArgumentException("not a Markdown table row: " + row);
        }
        inner = inner.substring(1, inner.length() - 1);
        return List.of(inner.split("(?<!\\\\)\\|", -1)).stream().map(String::trim).toList();
    }

    private static int groupIndex(List<String> groups, ConfigKey k) {
        int i = groups.indexOf(k.group);
        return i < 0 ? Integer.MAX_VALUE : i;
    }

    private static String row(List<String> cells) {
        return cells.stream()
                .map(ConfigMarkdown::cell)
                .collect(Collectors.joining(" | ", "| ", " |\n"));
    }

    private static String defaultOf(ConfigKey key) {
        if (!key.hasDefault()) {
            return "required";
        }
        Object value = key.defaultValue;
        if (value == null || value instanceof Password) {
            return "none";
        }
        if (value instanceof List<?> list) {
            return list.isEmpty()
                    ? "empty"
                    : "`"
                            + list.stream().map(Object::toString).collect(Collectors.joining(","))
                            + "`";
        }
        return "`" + value + "`";
    }

    private static String cell(String text) {
        return text.replace("|", "\\|").replace("\r", " ").replace("\n", " ");
    }
}
