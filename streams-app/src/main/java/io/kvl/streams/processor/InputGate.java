package io.kvl.streams.processor;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * The checks every input record passes before its payload is used: a value is present, not larger
 * than the limit, valid Avro, and from a known camera that matches the record key. A record that
 * fails goes to the dead letters with the reason.
 *
 * @param <T> the Avro type of the topic
 */
final class InputGate<T> {
    private final Pipeline p;
    private final Deserializer<T> deserializer;
    private final Function<T, String> cameraOf;
    private final int maxBytes;
    private final String limitKey;

    InputGate(
            Pipeline p,
            Deserializer<T> deserializer,
            Function<T, String> cameraOf,
            int maxBytes,
            String limitKey) {
        this.p = p;
        this.deserializer = deserializer;
        this.cameraOf = cameraOf;
        this.maxBytes = maxBytes;
        this.limitKey = limitKey;
    }

    /** The decoded value, or null when the record was dead-lettered. */
    T admit(ProcessorContext<byte[], byte[]> ctx, Record<byte[], byte[]> in) {
        String key = in.key() == null ? null : new String(in.key(), StandardCharsets.UTF_8);
        if (in.value() == null) {
            p.dlq()
                    .route(
                            ctx,
                            in,
                            "validate",
                            "empty",
                            key,
                            "null value (tombstone) on an input topic",
                            null);
            return null;
        }
        if (in.value().length > maxBytes) {
            p.dlq()
                    .route(
                            ctx,
                            in,
                            "validate",
                            "oversize",
                            key,
                            in.value().length + " bytes > " + limitKey + " " + maxBytes,
                            null);
            return null;
        }
        T value;
        try {
            value =
                    deserializer.deserialize(
                            ctx.recordMetadata().map(m -> m.topic()).orElse(""), in.value());
        } catch (SerializationException e) {
            p.dlq().route(ctx, in, "deserialize", "corrupt-avro", key, e.getMessage(), e);
            return null;
        }
        String camera = cameraOf.apply(value);
        String problem = p.validateCamera(key, camera);
        if (problem != null) {
            p.dlq().route(ctx, in, "validate", "unknown-camera", camera, problem, null);
            return null;
        }
        return value;
    }

    /** The remaining bytes of an Avro {@code bytes} field, without moving its position. */
    static byte[] bytes(ByteBuffer b) {
        ByteBuffer dup = b.duplicate();
        byte[] out = new byte[dup.remaining()];
        dup.get(out);
        return out;
    }
}
