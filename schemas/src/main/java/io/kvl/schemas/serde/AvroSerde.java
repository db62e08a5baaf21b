package io.kvl.schemas.serde;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.message.BadHeaderException;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.message.MissingSchemaException;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Kafka serde of an Avro-generated record class in Avro's <a
 * href="https://avro.apache.org/docs/1.12.0/specification/#single-object-encoding">single-object
 * encoding</a>: marker {@code C3 01}, the 8-byte little-endian CRC-64-AVRO fingerprint of the
 * writer schema, then the Avro binary body. No schema registry is needed: the deserializer knows
 * every schema the type was ever written with (see {@link SchemaHistory}) and resolves the
 * fingerprint to one of them, so records written by older versions are read into the current class
 * with new fields set to their defaults.
 *
 * <p>{@code null} is passed through in both directions (tombstones). Bytes that are not a record of
 * this type (bad marker, unknown fingerprint, truncated or over-long body) throw Kafka's {@link
 * SerializationException}, never a partly read object; route them to the dead-letter topic.
 *
 * <p>Thread-safe, as Kafka Streams requires: the Avro encoder and decoder keep their buffers in
 * thread-locals and their writer-schema table in a concurrent map, and the datum readers cache
 * schema resolvers per thread. (Avro builds its fast datum reader lazily without locking; the race
 * is idempotent, and {@code AvroSerdeTest} runs the serde from many threads.) {@link #configure}
 * and {@link #close} do nothing: the schema is fixed by the record class.
 *
 * @param <T> the generated record class
 */
public final class AvroSerde<T extends SpecificRecordBase>
        implements Serde<T>, Serializer<T>, Deserializer<T> {

    private static final int HEADER_LENGTH = 10;

    static {
        AvroLimits.apply();
    }

    private final String typeName;
    private final BinaryMessageEncoder<T> encoder;
    private final BinaryMessageDecoder<T> decoder;
    private final String knownFingerprints;

    /**
     * A serde for {@code type} that reads every version in its schema history.
     *
     * @throws IllegalStateException if {@code type} has no schema history on the classpath
     */
    public AvroSerde(Class<T> type) {
        this(type, SchemaHistory.load(type));
    }

    AvroSerde(Class<T> type, List<Schema> writerSchemas) {
        // The generated class's model carries its logical-type conversions (Instant).
        SpecificData model = SpecificData.getForClass(type);
        Schema current = model.getSchema(type);
        this.typeName = type.getSimpleName();
        this.encoder = new BinaryMessageEncoder<>(model, current);
        this.decoder = new BinaryMessageDecoder<>(model, current);
        writerSchemas.forEach(decoder::addSchema);
        // Last, so the current fingerprint maps to the exact generated schema.
        decoder.addSchema(current);
        this.knownFingerprints =
                writerSchemas.stream()
                        .map(schema -> hex(SchemaNormalization.parsingFingerprint64(schema)))
                        .distinct()
                        .collect(Collectors.joining(", ", "[", "]"));
    }

    @Override
    public byte[] serialize(String topic, T data) {
        if (data == null) {
            return null;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try {
            encoder.encode(data, out);
        } catch (IOException | RuntimeException e) {
            // e.g. a null in a non-nullable field: Avro throws NullPointerException
            throw new SerializationException(
                    "Cannot serialize " + typeName + " for topic " + topic + ": " + describe(e), e);
        }
        return out.toByteArray();
    }

    @Override
    public T deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        ByteArrayInputStream in = new ByteArrayInputStream(data);
        T record;
        try {
            record = decoder.decode(in);
        } catch (BadHeaderException e) {
            throw failure(topic, data, "not Avro single-object encoded: " + e.getMessage(), e);
        } catch (MissingSchemaException e) {
            throw failure(
                    topic,
                    data,
                    "unknown schema fingerprint "
                            + hex(fingerprintOf(data))
                            + " (known: "
                            + knownFingerprints
                            + "); written by a newer version or another type?",
                    e);
        } catch (IOException | RuntimeException e) {
            throw failure(topic, data, "corrupt or truncated body: " + describe(e), e);
        }
        // The single-object encoding has no length: leftovers mean the bytes were not one record.
        if (in.available() > 0) {
            throw failure(topic, data, in.available() + " bytes left over after the record", null);
        }
        return record;
    }

    @Override
    public Serializer<T> serializer() {
        return this;
    }

    @Override
    public Deserializer<T> deserializer() {
        return this;
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        // Nothing to configure: the schema and its history are fixed by the record class.
    }

    @Override
    public void close() {
        // No resources held.
    }

    @Override
    public String toString() {
        return "AvroSerde[" + typeName + "]";
    }

    private SerializationException failure(
            String topic, byte[] data, String reason, Exception cause) {
        return new SerializationException(
                "Cannot deserialize "
                        + typeName
                        + " from topic "
                        + topic
                        + " ("
                        + data.length
                        + " bytes): "
                        + reason,
                cause);
    }

    /** Reads the fingerprint of a record whose header has already been found well-formed. */
    private static long fingerprintOf(byte[] data) {
        return ByteBuffer.wrap(data, 2, HEADER_LENGTH - 2).order(ByteOrder.LITTLE_ENDIAN).getLong();
    }

    private static String hex(long fingerprint) {
        return String.format("0x%016x", fingerprint);
    }

    /** The exception and its causes on one line: Avro's outer messages alone are too vague. */
    private static String describe(Throwable e) {
        StringBuilder text = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (text.length() > 0) {
                text.append(" <- ");
            }
            text.append(t.getClass().getSimpleName());
            if (t.getMessage() != null) {
                text.append(": ").append(t.getMessage());
            }
        }
        return text.toString();
    }
}
