package io.kvl.registry;

import java.util.Locale;

/** The wire format of the events the application writes ({@code serde.format}). */
public enum SerdeFormat {
    /**
     * Avro single-object encoding: {@code C3 01}, the 8-byte schema fingerprint, the Avro body. No
     * registry: readers know every schema version from the schemas jar.
     */
    SINGLE_OBJECT,
    /**
     * The Confluent wire format: byte {@code 00}, the 4-byte big-endian schema id of a schema
     * registry, the Avro body. Any Confluent-compatible consumer or Connect converter reads it.
     */
    CONFLUENT;

    /** The name in configuration files ({@code single-object}, {@code confluent}). */
    public String configValue() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The constant of a configuration value, case-insensitive. */
    public static SerdeFormat fromConfig(String value) {
        for (SerdeFormat f : values()) {
            if (f.configValue().equalsIgnoreCase(value.trim())) {
                return f;
            }
        }
        throw new IllegalArgumentException(
                "unknown serde format '" + value + "' (single-object or confluent)");
    }

    /** Every configuration value, for validators and documentation. */
    public static String[] configValues() {
        SerdeFormat[] all = values();
        String[] out = new String[all.length];
        for (int i = 0; i < all.length; i++) {
            out[i] = all[i].configValue();
        }
        return out;
    }
}
