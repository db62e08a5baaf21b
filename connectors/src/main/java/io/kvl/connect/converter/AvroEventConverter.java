package io.kvl.connect.converter;

import io.kvl.connect.Version;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.components.Versioned;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.storage.Converter;
import org.apache.kafka.connect.storage.ConverterConfig;
import org.apache.kafka.connect.storage.ConverterType;

/**
 * Converts the project's Avro events (single-object encoding, no schema registry) to Connect
 * Structs and back, so any sink connector (JDBC, Elasticsearch, S3, FileStream, ...) can consume
 * the labels, counts and alerts topics, and a source can write them.
 *
 * <p>Reading ({@link #toConnectData}): the type comes from the writer schema's fingerprint (or is
 * fixed by {@code type}); records of any older schema version are resolved to the current one, so a
 * topic's records all get the same Connect schema (see {@link ConnectSchemas} for the mapping).
 * Bytes that are not an event of the expected type throw {@link DataException}, which Connect's
 * error handling ({@code errors.tolerance}, dead letter queue) applies to.
 *
 * <p>Writing ({@link #fromConnectData}): a Struct named like an event type (e.g. {@code
 * io.kvl.schemas.Alert}) is encoded as that event; bytes that already are an event pass unchanged.
 * A null value is a tombstone both ways.
 */
public final class AvroEventConverter implements Converter, Versioned {
    private Optional<EventType> fixedType = Optional.empty();

    @Override
    public String version() {
        return Version.get();
    }

    @Override
    public ConfigDef config() {
        return AvroEventConverterConfig.CONFIG_DEF;
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        Map<String, Object> props = new HashMap<>(configs);
        props.putIfAbsent(
                ConverterConfig.TYPE_CONFIG,
                (isKey ? ConverterType.KEY : ConverterType.VALUE).getName());
        fixedType = new AvroEventConverterConfig(props).eventType();
    }

    @Override
    public SchemaAndValue toConnectData(String topic, byte[] value) {
        if (value == null) {
            return SchemaAndValue.NULL;
        }
        EventType type = typeOf(topic, value);
        SpecificRecordBase record = type.deserialize(topic, value);
        return new SchemaAndValue(type.connectSchema(), type.toStruct(record));
    }

    @Override
    public byte[] fromConnectData(String topic, Schema schema, Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof Struct struct) {
            EventType type = typeOf(struct);
            return type.serialize(topic, type.fromStruct(struct));
        }
        if (value instanceof byte[] || value instanceof ByteBuffer) {
            byte[] bytes = bytes(value);
            // Already encoded (e.g. by a producer using KvlSerdes): check, then pass unchanged.
            typeOf(topic, bytes).deserialize(topic, bytes);
            return bytes;
        }
        throw new DataException(
                "Expected a Struct of a kvl event or its bytes, got " + value.getClass().getName());
    }

    private EventType typeOf(String topic, byte[] value) {
        if (fixedType.isPresent()) {
            return fixedType.get();
        }
        return EventType.detect(value)
                .orElseThrow(
                        () ->
                                new DataException(
                                        "Record of "
                                                + value.length
                                                + " bytes in topic "
                                                + topic
                                                + " is not a kvl event this version knows"
                                                + " (Avro single-object encoding of "
                                                + Arrays.toString(EventType.values())
                                                + ")"));
    }

    private EventType typeOf(Struct struct) {
        String name = struct.schema().name();
        Optional<EventType> named = name == null ? Optional.empty() : EventType.forSchemaName(name);
        if (fixedType.isPresent()) {
            if (named.isPresent() && named.get() != fixedType.get()) {
                throw new DataException(
                        "Struct " + name + " is not a " + fixedType.get().configName());
            }
            return fixedType.get();
        }
        return named.orElseThrow(
                () ->
                        new DataException(
                                "Struct schema name '"
                                        + name
                                        + "' is no kvl event; set type= to convert it anyway"));
    }

    private static byte[] bytes(Object value) {
        if (value instanceof byte[] bytes) {
            return bytes;
        }
        ByteBuffer buffer = ((ByteBuffer) value).duplicate();
        byte[] copy = new byte[buffer.remaining()];
        buffer.get(copy);
        return copy;
    }
}
