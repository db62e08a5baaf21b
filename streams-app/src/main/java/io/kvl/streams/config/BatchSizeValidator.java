package io.kvl.streams.config;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

/** Accepts {@code auto} or a whole number from 1 to 256. */
final class BatchSizeValidator implements ConfigDef.Validator {
    static final String AUTO = "auto";

    @Override
    public void ensureValid(String name, Object value) {
        String text = value == null ? "" : value.toString().trim();
        if (text.equalsIgnoreCase(AUTO)) {
            return;
        }
        try {
            int n = Integer.parseInt(text);
            if (n >= 1 && n <= 256) {
                return;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new ConfigException(name, value, "expected auto or a number from 1 to 256");
    }

    @Override
    public String toString() {
        return "auto, [1,...,256]";
    }
}
