package io.kvl.streams.processor;

import io.kvl.efficientnet.image.ImagePreprocessor;
import io.kvl.efficientnet.image.RgbImage;
import io.kvl.schemas.Frame;
import io.kvl.schemas.LabeledFrame;
import io.kvl.streams.inference.Prediction;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Labels single JPEG/PNG frames sent by producers that do their own capture. Each record's frame
 * joins the shared micro-batch (with other threads' frames) and is forwarded before {@code
 * process()} returns.
 */
final class FrameLabelingProcessor implements Processor<byte[], byte[], byte[], byte[]> {
    private final Pipeline p;
    private ProcessorContext<byte[], byte[]> ctx;
    private ImagePreprocessor preprocessor;

    FrameLabelingProcessor(Pipeline pipeline) {
        this.p = pipeline;
    }

    @Override
    public void init(ProcessorContext<byte[], byte[]> context) {
        this.ctx = context;
        this.preprocessor = new ImagePreprocessor(p.classifier().resolution());
    }

    @Override
    public void process(Record<byte[], byte[]> in) {
        String key = in.key() == null ? null : new String(in.key(), StandardCharsets.UTF_8);
        if (in.value() == null) {
            p.dlq()
                    .route(
                            ctx,
                            in,
                            "validate",
                            "empty",
                            key,
                            "null value (tombstone) on the frame topic",
                            null);
            return;
        }
        if (in.value().length > p.maxFrameBytes()) {
            p.dlq()
                    .route(
                            ctx,
                            in,
                            "validate",
                            "oversize",
                            key,
                            in.value().length + " bytes > max.frame.bytes " + p.maxFrameBytes(),
                            null);
            return;
        }
        Frame frame;
        try {
            frame =
                    p.frameDeserializer()
                            .deserialize(
                                    ctx.recordMetadata().map(m -> m.topic()).orElse(""),
                                    in.value());
        } catch (SerializationException e) {
            p.dlq().route(ctx, in, "deserialize", "corrupt-avro", key, e.getMessage(), e);
            return;
        }
        String camera = frame.getCameraId();
        String problem = p.validateCamera(key, camera);
        if (problem != null) {
            p.dlq().route(ctx, in, "validate", "unknown-camera", camera, problem, null);
            return;
        }
        RgbImage image;
        try {
            image =
                    preprocessor.decode(
                            toArray(frame.getData()), camera + " frame " + frame.getFrameIndex());
        } catch (IOException | RuntimeException e) {
            p.dlq()
                    .route(
                            ctx,
                            in,
                            "decode",
                            "undecodable-image",
                            camera,
                            frame.getEncoding() + " image could not be decoded: " + e.getMessage(),
                            e);
            return;
        }
        Prediction prediction = p.classify(List.of(image)).get(0);
        long capture = frame.getCaptureTimestamp().toEpochMilli();
        LabeledFrame out =
                p.frames()
                        .build(
                                new LabeledFrames.Origin(
                                        camera, capture, frame.getFrameIndex(), -1, false),
                                prediction,
                                ctx.currentSystemTimeMs());
        ctx.forward(
                new Record<>(
                        camera.getBytes(StandardCharsets.UTF_8),
                        p.labelSerializer().serialize(p.labelsTopic(), out),
                        capture),
                Pipeline.LABELS_SINK);
        p.metrics().framesLabeled(1);
    }

    private static byte[] toArray(ByteBuffer b) {
        ByteBuffer dup = b.duplicate();
        byte[] out = new byte[dup.remaining()];
        dup.get(out);
        return out;
    }
}
