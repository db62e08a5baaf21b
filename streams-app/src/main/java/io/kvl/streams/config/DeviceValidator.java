package io.kvl.streams.config;

import io.kvl.efficientnet.runtime.DeviceChoice;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

/** Accepts auto, cpu, gpu and gpu:N. */
final class DeviceValidator implements ConfigDef.Validator {
    @Override
    public void ensureValid(String name, Object value) {
        try {
            DeviceChoice.parse(value == null ? null : value.toString());
        } catch (IllegalArgumentException e) {
            throw new ConfigException(name, value, e.getMessage());
        }
    }

    @Override
    public String toString() {
        return "auto, cpu, gpu, gpu:N";
    }
}
