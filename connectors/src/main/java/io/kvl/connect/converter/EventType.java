package io.kvl.connect.converter;

import io.kvl.schemas.Alert;
import io.kvl.schemas.DeadLetter;
import io.kvl.schemas.Frame;
import io.kvl.schemas.LabelCount;
import io.kvl.schemas.LabeledFrame;
import io.kvl.schemas.VideoChunk;
import io.kvl.schemas.serde.AvroSerde;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;

/**
 * The project's events, each with its Avro class, its serde (single-object encoding, every schema
 * version it was ever written with) and the Connect schema derived from its current Avro schema.
 */
public enum EventType {
    VIDEO_CHUNK("video-chunk", VideoChunk.class),
    FRAME("frame", Frame.class),
    LABELED_FRAME("labeled-frame", LabeledFrame.class),
    LABEL_COUNT("label-count", LabelCount.class),
    ALERT("alert", Alert.class),
    DEAD_LETTER("dead-letter", DeadLetter.class);

    /** Single-object encoding: marker C3 01, then the 8-byte little-endian fingerprint. */
    private static final int HEADER_LENGTH = 10;

    private static final Map<Long, EventType> BY_FINGERPRINT = fingerprints();

    private final String configName;
    private final Class<? extends SpecificRecordBase> recordClass;
    private final AvroSerde<? extends SpecificRecordBase> serde;
    private final SpecificData model;
    private final org.apache.avro.Schema avroSchema;
    private final Schema connectSchema;

    <T extends SpecificRecordBase> EventType(String configName, Class<T> recordClass) {
        this.configName = configName;
        this.recordClass = recordClass;
        this.serde = new AvroSerde<>(recordClass);
        this.model = SpecificData.getForClass(recordClass);
        this.avroSchema = model.getSchema(recordClass);
        this.connectSchema = ConnectSchemas.toConnect(avroSchema);
    }

    /** The name used in configs, e.g. {@code labeled-frame}. */
    public String configName() {
        return configName;
    }

    public Class<? extends SpecificRecordBase> recordClass() {
        return recordClass;
    }

    /** The Connect schema of this type's Structs, named like the Avro record. */
    public Schema connectSchema() {
        return connectSchema;
    }

    public static Optional<EventType> forConfigName(String name) {
        return Arrays.stream(values()).filter(t -> t.configName.equals(name)).findFirst();
    }

    /** The type whose Connect schema has this name (the Avro record's full name). */
    public static Optional<EventType> forSchemaName(String name) {
        return Arrays.stream(values())
                .filter(t -> t.avroSchema.getFullName().equals(name))
                .findFirst();
    }

    /**
     * The type of single-object-encoded bytes, from the writer schema's fingerprint (any version
     * this build knows); empty for bytes of no known type.
     */
    public static Optional<EventType> detect(byte[] bytes) {
        if (bytes == null
                || bytes.length < HEADER_LENGTH
                || bytes[0] != (byte) 0xC3
                || bytes[1] != (byte) 0x01) {
            return Optional.empty();
        }
        long fingerprint = ByteBuffer.wrap(bytes, 2, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        return Optional.ofNullable(BY_FINGERPRINT.get(fingerprint));
    }

    /**
     * Decodes bytes of this type (any known schema version) into the current class.
     *
     * @throws DataException if they are not a record of this type
     */
    public SpecificRecordBase deserialize(String topic, byte[] bytes) {
        try {
            return serde.deserialize(topic, bytes);
        } catch (SerializationException e) {
            throw new DataException(e.getMessage(), e);
        }
    }

    /**
     * Encodes a record of this type.
     *
     * @throws DataException if it is of another type or incomplete
     */
    public byte[] serialize(String topic, SpecificRecordBase record) {
        try {
            return serializeUnchecked(topic, record);
        } catch (SerializationException | ClassCastException e) {
            throw new DataException(e.getMessage(), e);
        }
    }

    @SuppressWarnings("unchecked")
    private <T extends SpecificRecordBase> byte[] serializeUnchecked(
            String topic, SpecificRecordBase record) {
        AvroSerde<T> typed = (AvroSerde<T>) serde;
        return typed.serialize(topic, (T) recordClass.cast(record));
    }

    /** A record of this type as a Struct of {@link #connectSchema()}. */
    public Struct toStruct(SpecificRecordBase record) {
        return (Struct) ConnectValues.toConnect(avroSchema, connectSchema, record);
    }

    /**
     * A Struct as a record of this type; fields are matched by name, missing ones take their Avro
     * defaults.
     *
     * @throws DataException if the Struct does not fit
     */
    public SpecificRecordBase fromStruct(Struct struct) {
        return recordClass.cast(ConnectValues.toAvro(avroSchema, struct, model));
    }

    /** Fingerprints of every schema version of every type (history files and current schema). */
    private static Map<Long, EventType> fingerprints() {
        Map<Long, EventType> index = new HashMap<>();
        for (EventType type : values()) {
            index.put(SchemaNormalization.parsingFingerprint64(type.avroSchema), type);
            for (int version = 1; ; version++) {
                org.apache.avro.Schema schema = historyVersion(type.recordClass, version);
                if (schema == null) {
                    break;
                }
                index.put(SchemaNormalization.parsingFingerprint64(schema), type);
            }
        }
        return Map.copyOf(index);
    }

    /** The schema history kvl-schemas ships (see its README), read the same way its serde does. */
    private static org.apache.avro.Schema historyVersion(Class<?> type, int version) {
        String path =
                type.getPackageName().replace('.', '/')
                        + "/history/"
                        + type.getSimpleName()
                        + "-v"
                        + version
                        + ".avsc";
        try (InputStream in = type.getClassLoader().getResourceAsStream(path)) {
            return in == null ? null : new org.apache.avro.Schema.Parser().parse(in);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + path, e);
        }
    }
}
