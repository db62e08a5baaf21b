package io.kvl.streams.deadletter;

import io.kvl.schemas.DeadLetter;
import io.kvl.streams.metrics.LabelerMetrics;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a record that cannot be processed to the dead-letter topic: a {@link DeadLetter} envelope
 * holding the original key and value bytes and where they came from (topic, partition, offset),
 * with the reason also in {@code kvl.dlq.*} headers so tools can filter without decoding. The one
 * dead-letter contract of the application: bad input of the labeling processors and late frames of
 * the aggregation alike. Nothing is dropped silently; the pipeline keeps running.
 */
public final class DeadLetterRouter {
    public static final String REASON_HEADER = "kvl.dlq.reason";
    public static final String STAGE_HEADER = "kvl.dlq.stage";
    public static final String TOPIC_HEADER = "kvl.dlq.source.topic";
    public static final String PARTITION_HEADER = "kvl.dlq.source.partition";
    public static final String OFFSET_HEADER = "kvl.dlq.source.offset";
    public static final String ERROR_HEADER = "kvl.dlq.error";
    public static final String TRUNCATED_HEADER = "kvl.dlq.original.size";

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterRouter.class);

    private final String sinkName;
    private final String deadLetterTopic;
    private final Serializer<DeadLetter> serializer;
    private final LabelerMetrics metrics;
    private final int maxOriginalBytes;

    /**
     * @param sinkName the child (sink) node that writes the dead-letter topic, or null to forward
     *     to every child (a DSL processor whose only child is the sink)
     * @param deadLetterTopic the topic the sink writes (the serializer's subject in a registry)
     * @param maxOriginalBytes originals larger than this (only oversize records can be) are cut to
     *     it, with the full size in the {@code kvl.dlq.original.size} header
     */
    public DeadLetterRouter(
            String sinkName,
            String deadLetterTopic,
            Serializer<DeadLetter> serializer,
            LabelerMetrics metrics,
            int maxOriginalBytes) {
        this.sinkName = sinkName;
        this.deadLetterTopic = deadLetterTopic;
        this.serializer = serializer;
        this.metrics = metrics;
        this.maxOriginalBytes = maxOriginalBytes;
    }

    private byte[] kept(byte[] value) {
        return value.length <= maxOriginalBytes ? value : Arrays.copyOf(value, maxOriginalBytes);
    }

    /**
     * @param stage where it failed: deserialize, validate, decode, aggregate
     * @param reason machine-readable reason, e.g. oversize, corrupt-avro, truncated, late-frame
     * @param detail human-readable explanation
     */
    public void route(
            ProcessorContext<byte[], byte[]> ctx,
            Record<byte[], byte[]> in,
            String stage,
            String reason,
            String cameraId,
            String detail,
            Throwable error) {
        RecordMetadata meta = ctx.recordMetadata().orElse(null);
        String topic = meta == null ? "" : meta.topic();
        int partition = meta == null ? -1 : meta.partition();
        long offset = meta == null ? -1 : meta.offset();
        DeadLetter envelope =
                DeadLetter.newBuilder()
                        .setReason(reason + ": " + detail)
                        .setStage(stage)
                        .setErrorClass(error == null ? null : error.getClass().getName())
                        .setSourceTopic(topic)
                        .setSourcePartition(partition)
                        .setSourceOffset(offset)
                        .setCameraId(cameraId)
                        .setFailedAt(Instant.ofEpochMilli(ctx.currentSystemTimeMs()))
                        .setOriginalKey(in.key() == null ? null : ByteBuffer.wrap(in.key()))
                        .setOriginalValue(
                                in.value() == null ? null : ByteBuffer.wrap(kept(in.value())))
                        .build();
        Headers headers = new RecordHeaders(in.headers().toArray());
        put(headers, REASON_HEADER, reason);
        put(headers, STAGE_HEADER, stage);
        put(headers, TOPIC_HEADER, topic);
        put(headers, PARTITION_HEADER, Integer.toString(partition));
        put(headers, OFFSET_HEADER, Long.toString(offset));
        put(headers, ERROR_HEADER, detail);
        if (in.value() != null && in.value().length > maxOriginalBytes) {
            // The producer could not send it whole (and would retry forever under exactly-once).
            put(headers, TRUNCATED_HEADER, Integer.toString(in.value().length));
        }
        byte[] value = serializer.serialize(deadLetterTopic, envelope);
        ctx.forward(new Record<>(in.key(), value, in.timestamp(), headers), sinkName);
        metrics.deadLetter(reason);
        LOG.warn(
                "Dead-lettered {}-{}@{} (camera {}): {}: {}",
                topic,
                partition,
                offset,
                cameraId,
                reason,
                detail);
    }

    private static void put(Headers headers, String key, String value) {
        headers.remove(key);
        headers.add(key, value.getBytes(StandardCharsets.UTF_8));
    }
}
