package io.kvl.connect.converter;

import io.kvl.config.ConfigGroup;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.ValidString;
import org.apache.kafka.connect.storage.ConverterConfig;

/** Configuration of {@link AvroEventConverter} ({@code value.converter.type=...}). */
public final class AvroEventConverterConfig extends ConverterConfig {
    private static final String GROUP = "Events";

    public static final String EVENT_TYPE_CONFIG = "type";
    public static final String EVENT_TYPE_AUTO = "auto";
    public static final String EVENT_TYPE_DOC =
            "Which event the topic holds: auto (the writer schema's fingerprint in each record"
                    + " tells), or one of "
                    + typeNames()
                    + " to accept only that type (a record of another type is then a"
                    + " DataException).";
    public static final String EVENT_TYPE_DEFAULT = EVENT_TYPE_AUTO;
    public static final String EVENT_TYPE_DISPLAY = "Event type";

    public static final ConfigDef CONFIG_DEF = configDef();

    public AvroEventConverterConfig(Map<String, ?> props) {
        super(CONFIG_DEF, props);
    }

    private static ConfigDef configDef() {
        List<String> allowed = new ArrayList<>();
        allowed.add(EVENT_TYPE_AUTO);
        allowed.addAll(typeNames());
        ConfigDef def = ConverterConfig.newConfigDef();
        new ConfigGroup(def, GROUP)
                .define(
                        EVENT_TYPE_CONFIG,
                        Type.STRING,
                        EVENT_TYPE_DEFAULT,
                        ValidString.in(allowed.toArray(String[]::new)),
                        Importance.MEDIUM,
                        EVENT_TYPE_DOC,
                        EVENT_TYPE_DISPLAY);
        return def;
    }

    /** The one type accepted, or empty for auto-detection. */
    public Optional<EventType> eventType() {
        return EventType.forConfigName(getString(EVENT_TYPE_CONFIG));
    }

    private static List<String> typeNames() {
        return Arrays.stream(EventType.values()).map(EventType::configName).toList();
    }
}
