package io.kvl.registry;

import io.apicurio.registry.serde.avro.AvroKafkaDeserializer;
import io.apicurio.registry.serde.avro.AvroKafkaSerializer;
import io.kvl.schemas.serde.AvroSerde;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The serdes of the project's events in the configured wire format. Serializers write the format
 * (single-object, or Confluent framing through Apicurio's {@link AvroKafkaSerializer}); every
 * deserializer reads both, recognised by the first bytes ({@code C3 01} single-object, {@code 00}
 * Confluent), so producers of either kind work against one application. In single-object mode no
 * registry is configured and Confluent-framed input is rejected as {@link
 * UnreadableRecordException#UNKNOWN_SCHEMA_ID}.
 *
 * <p>Serdes are thread-safe and shared; {@link #close()} releases the registry clients of every
 * serde this factory made.
 */
public final class EventSerdes implements AutoCloseable {
    private final SerdeFormat format;
    private final RegistryOptions registry;
    private final List<AutoCloseable> opened = new ArrayList<>();

    private EventSerdes(SerdeFormat format, RegistryOptions registry) {
        this.format = format;
        this.registry = registry;
    }

    /**
     * Serdes writing {@code format}; with {@code registry} (required for {@link
     * SerdeFormat#CONFLUENT}, optional otherwise) Confluent-framed input is read through it.
     */
    public static EventSerdes create(SerdeFormat format, RegistryOptions registry) {
        if (format == SerdeFormat.CONFLUENT && registry == null) {
            throw new IllegalArgumentException("the confluent format needs a schema registry");
        }
        return new EventSerdes(format, registry);
    }

    /** Single-object encoding, no registry (the default). */
    public static EventSerdes singleObject() {
        return new EventSerdes(SerdeFormat.SINGLE_OBJECT, null);
    }

    /** Confluent framing with the registry of {@code options}. */
    public static EventSerdes confluent(RegistryOptions options) {
        return new EventSerdes(SerdeFormat.CONFLUENT, options);
    }

    public SerdeFormat format() {
        return format;
    }

    /** The registry, or null in single-object mode. */
    public RegistryOptions registry() {
        return registry;
    }

    /** A serde of {@code type}: writes this factory's format, reads both. */
    public synchronized <T extends SpecificRecordBase> Serde<T> serde(Class<T> type) {
        AvroSerde<T> singleObject = new AvroSerde<>(type);
        Deserializer<T> confluentReader = null;
        Serializer<T> writer = singleObject;
        if (registry != null) {
            AvroKafkaDeserializer<T> deserializer = new AvroKafkaDeserializer<>();
            deserializer.configure(registry.serdeConfig(), false);
            opened.add(deserializer);
            confluentReader = deserializer;
            if (format == SerdeFormat.CONFLUENT) {
                AvroKafkaSerializer<T> serializer = new AvroKafkaSerializer<>();
                serializer.configure(registry.serdeConfig(), false);
                opened.add(serializer);
                writer = serializer;
            }
        }
        return new FormatSerde<>(
                type.getSimpleName(),
                writer,
                singleObject,
                confluentReader,
                registry == null ? null : registry.apiUrl());
    }

    @Override
    public synchronized void close() {
        for (AutoCloseable c : opened) {
            try {
                c.close();
            } catch (Exception e) {
                // Closing a registry client only releases its connections.
            }
        }
        opened.clear();
    }
}
