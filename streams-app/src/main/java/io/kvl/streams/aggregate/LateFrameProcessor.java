package io.kvl.streams.aggregate;

import io.kvl.schemas.LabeledFrame;
import io.kvl.streams.deadletter.DeadLetterRouter;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Sends frames that arrived after their counting windows closed to the dead letters, through the
 * same {@link DeadLetterRouter} as bad input: original key and value bytes, source topic, partition
 * and offset (the labels topic; nothing is repartitioned in between, so the metadata is the frame's
 * own), {@code kvl.dlq.*} headers.
 */
public final class LateFrameProcessor implements Processor<String, TimedFrame, byte[], byte[]> {
    private final DeadLetterRouter dlq;
    private final Serializer<LabeledFrame> serializer;
    private ProcessorContext<byte[], byte[]> ctx;

    /**
     * @param serializer writes the frame back to the bytes it was read from
     */
    public LateFrameProcessor(DeadLetterRouter dlq, Serializer<LabeledFrame> serializer) {
        this.dlq = dlq;
        this.serializer = serializer;
    }

    @Override
    public void init(ProcessorContext<byte[], byte[]> context) {
        this.ctx = context;
    }

    @Override
    public void process(Record<String, TimedFrame> record) {
        LabeledFrame f = record.value().frame();
        String topic = ctx.recordMetadata().map(m -> m.topic()).orElse("");
        Record<byte[], byte[]> original =
                new Record<>(
                        record.key() == null ? null : record.key().getBytes(StandardCharsets.UTF_8),
                        serializer.serialize(topic, f),
                        record.timestamp(),
                        record.headers());
        dlq.route(
                ctx,
                original,
                "aggregate",
                "late-frame",
                f.getCameraId(),
                "captured "
                        + f.getCaptureTimestamp()
                        + ", after its windows closed (stream time "
                        + Instant.ofEpochMilli(record.value().streamTimeMs())
                        + ")",
                null);
    }
}
