package io.kvl.config;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Validator;
import org.apache.kafka.common.config.ConfigDef.Width;

/**
 * Defines the keys of one group of a {@link ConfigDef}, numbering them in the order they are
 * defined: the one {@code define} helper of every component's configuration, so a key's name, type,
 * default, validator, importance, documentation and display name are always given together.
 */
public final class ConfigGroup {
    private final ConfigDef def;
    private final String group;
    private int order;

    public ConfigGroup(ConfigDef def, String group) {
        this.def = def;
        this.group = group;
    }

    /** A key with a default and a validator ({@code null} for none). */
    public ConfigGroup define(
            String name,
            Type type,
            Object defaultValue,
            Validator validator,
            Importance importance,
            String doc,
            String display) {
        def.define(
                name,
                type,
                defaultValue,
                validator,
                importance,
                doc,
                group,
                ++order,
                width(type),
                display);
        return this;
    }

    /** A key without a default: the configuration fails when it is missing. */
    public ConfigGroup defineRequired(
            String name,
            Type type,
            Validator validator,
            Importance importance,
            String doc,
            String display) {
        return define(name, type, ConfigDef.NO_DEFAULT_VALUE, validator, importance, doc, display);
    }

    private static Width width(Type type) {
        return switch (type) {
            case STRING, LIST, CLASS, PASSWORD -> Width.LONG;
            default -> Width.SHORT;
        };
    }
}
