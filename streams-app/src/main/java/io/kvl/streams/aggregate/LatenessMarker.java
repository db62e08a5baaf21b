package io.kvl.streams.aggregate;

import io.kvl.schemas.LabeledFrame;
import io.kvl.streams.metrics.LabelerMetrics;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;

/**
 * Marks frames that arrive after all their windows closed ({@code window end + grace <= stream
 * time}), which the windowed aggregation would drop silently. Late frames are counted in a metric
 * and routed to the dead-letter topic instead.
 */
public final class LatenessMarker implements FixedKeyProcessor<String, LabeledFrame, TimedFrame> {
    private final long sizeMs;
    private final long advanceMs;
    private final long graceMs;
    private final LabelerMetrics metrics;
    private FixedKeyProcessorContext<String, TimedFrame> ctx;

    public LatenessMarker(long sizeMs, long advanceMs, long graceMs, LabelerMetrics metrics) {
        this.sizeMs = sizeMs;
        this.advanceMs = advanceMs;
        this.graceMs = graceMs;
        this.metrics = metrics;
    }

    @Override
    public void init(FixedKeyProcessorContext<String, TimedFrame> context) {
        this.ctx = context;
    }

    @Override
    public void process(FixedKeyRecord<String, LabeledFrame> record) {
        long ts = record.timestamp();
        long latestWindowStart = Math.floorDiv(ts, advanceMs) * advanceMs;
        long streamTime = ctx.currentStreamTimeMs();
        boolean late = latestWindowStart + sizeMs <= streamTime - graceMs;
        FixedKeyRecord<String, TimedFrame> out =
                record.withValue(new TimedFrame(record.value(), late, streamTime));
        if (late) {
            metrics.lateFrame(); // its dead letter (and headers) come from LateFrameProcessor
        }
        ctx.forward(out);
    }
}
