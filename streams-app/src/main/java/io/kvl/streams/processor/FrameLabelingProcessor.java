package io.kvl.streams.processor;

import io.kvl.efficientnet.image.ImagePreprocessor;
import io.kvl.efficientnet.image.RgbImage;
import io.kvl.schemas.Frame;
import io.kvl.schemas.LabeledFrame;
import io.kvl.streams.inference.Prediction;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
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
    private final InputGate<Frame> gate;

    FrameLabelingProcessor(Pipeline pipeline) {
        this.p = pipeline;
        this.gate =
                new InputGate<>(
                        pipeline,
                        pipeline.frameDeserializer(),
                        Frame::getCameraId,
                        pipeline.maxFrameBytes(),
                        "max.frame.bytes");
    }

    @Override
    public void init(ProcessorContext<byte[], byte[]> context) {
        this.ctx = context;
        this.preprocessor = new ImagePreprocessor(p.classifier().resolution());
    }

    @Override
    public void process(Record<byte[], byte[]> in) {
        Frame frame = gate.admit(ctx, in);
        if (frame == null) {
            return;
        }
        String camera = frame.getCameraId();
        if (frame.getCaptureTimestamp().toEpochMilli() < 0) {
            // The label is a Kafka record timestamped with the capture time, and Kafka rejects
            // negative timestamps: forwarding would throw and stop the stream thread on this same
            // record after every restart. Found by InputGateFuzzTest.
            p.dlq()
                    .route(
                            ctx,
                            in,
                            "validate",
                            "invalid-frame",
                            camera,
                            "captureTimestamp must not be before 1970, got "
                                    + frame.getCaptureTimestamp(),
                            null);
            return;
        }
        RgbImage image;
        try {
            image =
                    preprocessor.decode(
                            InputGate.bytes(frame.getData()),
                            camera + " frame " + frame.getFrameIndex());
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
}
