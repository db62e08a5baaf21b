package io.kvl.streams.labeling;

import io.kvl.registry.UnreadableRecordException;
import io.kvl.streams.deadletter.DeadLetterRouter;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Set;
import java.util.function.Function;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * The checks every input record passes before its payload is used: a value is present, not larger
 * than the limit, valid Avro in either wire format (single-object or Confluent framing with a
 * schema id the registry knows), and from a known camera that matches the record key. A record that
 * fails goes to the dead letters with the reason.
 *
 * @param <T> the Avro type of the topic
 */
public final class InputGate<T> {
    private final DeadLetterRouter dlq;
    private final Deserializer<T> deserializer;
    private final Function<T, String> cameraOf;
    private final Set<String> cameras;
    private final int maxBytes;
    private final String limitKey;

    /**
     * @param cameraOf the camera id a value declares
     * @param cameras the accepted camera ids; empty accepts any
     * @param maxBytes larger values are dead-lettered as oversize
     * @param limitKey the configuration key of {@code maxBytes}, named in the reason
     */
    public InputGate(
            DeadLetterRouter dlq,
            Deserializer<T> deserializer,
            Function<T, String> cameraOf,
            Collection<String> cameras,
            int maxBytes,
            String limitKey) {
        this.dlq = dlq;
        this.deserializer = deserializer;
        this.cameraOf = cameraOf;
        this.cameras = Set.copyOf(cameras);
        this.maxBytes = maxBytes;
        this.limitKey = limitKey;
    }

    /** The decoded value, or null when the record was dead-lettered. */
    T admit(ProcessorContext<byte[], byte[]> ctx, Record<byte[], byte[]> in) {
        String key = in.key() == null ? null : new String(in.key(), StandardCharsets.UTF_8);
        if (in.value() == null) {
            dlq.route(
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
            dlq.route(
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
        } catch (UnreadableRecordException e) {
            dlq.route(ctx, in, "deserialize", e.reason(), key, e.getMessage(), e);
            return null;
        } catch (SerializationException e) {
            dlq.route(
                    ctx,
                    in,
                    "deserialize",
                    UnreadableRecordException.CORRUPT,
                    key,
                    e.getMessage(),
                    e);
            return null;
        }
        String camera = cameraOf.apply(value);
        String problem = validateCamera(key, camera);
        if (problem != null) {
            dlq.route(ctx, in, "validate", "unknown-camera", camera, problem, null);
            return null;
        }
        return value;
    }

    /** Null when the record is acceptable, else why not. */
    private String validateCamera(String key, String cameraId) {
        if (cameraId == null || cameraId.isBlank()) {
            return "record has no camera id";
        }
        if (key != null && !key.equals(cameraId)) {
            return "record key '" + key + "' differs from its camera id '" + cameraId + "'";
        }
        if (!cameras.isEmpty() && !cameras.contains(cameraId)) {
            return "camera '" + cameraId + "' is not in the configured cameras " + cameras;
        }
        return null;
    }
}
