package io.kvl.registry;

import com.microsoft.kiota.ApiException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Writes one wire format, reads both by their first bytes. {@link #configure} and {@link #close} do
 * nothing: the delegates are configured when made and closed by {@link EventSerdes#close()} (Kafka
 * Streams shares one serde instance between its tasks).
 */
final class FormatSerde<T> implements Serde<T>, Serializer<T>, Deserializer<T> {
    private static final byte CONFLUENT_MAGIC = 0;
    private static final int CONFLUENT_HEADER = 5;
    private static final int HTTP_NOT_FOUND = 404;

    private final String typeName;
    private final Serializer<T> writer;
    private final Deserializer<T> singleObject;
    private final Deserializer<T> confluent;
    private final String registryUrl;

    FormatSerde(
            String typeName,
            Serializer<T> writer,
            Deserializer<T> singleObject,
            Deserializer<T> confluent,
            String registryUrl) {
        this.typeName = typeName;
        this.writer = writer;
        this.singleObject = singleObject;
        this.confluent = confluent;
        this.registryUrl = registryUrl;
    }

    @Override
    public byte[] serialize(String topic, T data) {
        return data == null ? null : writer.serialize(topic, data);
    }

    @Override
    public byte[] serialize(String topic, Headers headers, T data) {
        // Never the headers: the schema id belongs in the payload (Confluent framing).
        return serialize(topic, data);
    }

    @Override
    public T deserialize(String topic, Headers headers, byte[] data) {
        return deserialize(topic, data);
    }

    @Override
    public T deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        if (data.length > 0 && data[0] == CONFLUENT_MAGIC) {
            return readConfluent(topic, data);
        }
        try {
            return singleObject.deserialize(topic, data);
        } catch (SerializationException e) {
            throw new UnreadableRecordException(
                    UnreadableRecordException.CORRUPT, e.getMessage(), e);
        }
    }

    private T readConfluent(String topic, byte[] data) {
        if (data.length < CONFLUENT_HEADER) {
            throw new UnreadableRecordException(
                    UnreadableRecordException.CORRUPT,
                    prefix(topic, data) + "Confluent framing needs 5 header bytes",
                    null);
        }
        int id = ByteBuffer.wrap(data, 1, 4).getInt();
        if (confluent == null) {
            throw new UnreadableRecordException(
                    UnreadableRecordException.UNKNOWN_SCHEMA_ID,
                    prefix(topic, data)
                            + "Confluent-framed (schema id "
                            + id
                            + ") but no schema registry is configured (serde.format=single-object)",
                    null);
        }
        try {
            T value = confluent.deserialize(topic, data);
            if (value == null) {
                throw new UnreadableRecordException(
                        UnreadableRecordException.CORRUPT,
                        prefix(topic, data) + "schema id " + id + " decoded to nothing",
                        null);
            }
            return value;
        } catch (UnreadableRecordException e) {
            throw e;
        } catch (RuntimeException e) {
            throw classify(topic, data, id, e);
        }
    }

    /** Unknown id and corrupt bytes are the record's fault; anything else is the registry's. */
    private RuntimeException classify(String topic, byte[] data, int id, RuntimeException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ApiException api) {
                if (api.getResponseStatusCode() == HTTP_NOT_FOUND) {
                    return new UnreadableRecordException(
                            UnreadableRecordException.UNKNOWN_SCHEMA_ID,
                            prefix(topic, data)
                                    + "schema id "
                                    + id
                                    + " is not in the registry at "
                                    + registryUrl,
                            e);
                }
                return new RegistryUnavailableException(
                        "Schema registry at "
                                + registryUrl
                                + " answered HTTP "
                                + api.getResponseStatusCode()
                                + " for schema id "
                                + id
                                + ": "
                                + api.getMessage(),
                        e);
            }
            if (isNetworkFailure(t)) {
                return new RegistryUnavailableException(
                        "Schema registry at " + registryUrl + " unreachable: " + t, e);
            }
        }
        return new UnreadableRecordException(
                UnreadableRecordException.CORRUPT,
                prefix(topic, data) + "schema id " + id + ", corrupt or truncated body: " + e,
                e);
    }

    private static boolean isNetworkFailure(Throwable t) {
        String name = t.getClass().getName();
        return t instanceof SocketException
                || t instanceof SocketTimeoutException
                || t instanceof UnknownHostException
                || t instanceof TimeoutException
                || name.startsWith("io.vertx.")
                || name.startsWith("io.netty.");
    }

    private String prefix(String topic, byte[] data) {
        return "Cannot deserialize "
                + typeName
                + " from topic "
                + topic
                + " ("
                + data.length
                + " bytes): ";
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
        // Configured when made.
    }

    @Override
    public void close() {
        // Closed by EventSerdes.
    }
}
