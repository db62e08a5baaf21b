package io.kvl.streams.labeling;

import io.kvl.efficientnet.image.ImagePreprocessor;
import io.kvl.image.RgbImage;
import io.kvl.schemas.Frame;
import io.kvl.schemas.serde.AvroBytes;
import io.kvl.streams.deadletter.DeadLetterRouter;
import java.io.IOException;
import java.util.List;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Labels single JPEG/PNG frames sent by producers that do their own capture. Each record's frame
 * joins the shared micro-batch (with other threads' frames) and is forwarded before {@code
 * process()} returns.
 */
public final class FrameLabelingProcessor implements Processor<byte[], byte[], byte[], byte[]> {
    private final InputGate<Frame> gate;
    private final FrameLabeler labeler;
    private final DeadLetterRouter dlq;
    private ProcessorContext<byte[], byte[]> ctx;
    private ImagePreprocessor preprocessor;

    public FrameLabelingProcessor(
            InputGate<Frame> gate, FrameLabeler labeler, DeadLetterRouter dlq) {
        this.gate = gate;
        this.labeler = labeler;
        this.dlq = dlq;
    }

    @Override
    public void init(ProcessorContext<byte[], byte[]> context) {
        this.ctx = context;
        this.preprocessor = new ImagePreprocessor(labeler.resolution());
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
            dlq.route(
                    ctx,
                    in,
                    "validate",
                    "invalid-frame",
                    camera,
                    "captureTimestamp must not be before 1970, got " + frame.getCaptureTimestamp(),
                    null);
            return;
        }
        RgbImage image;
        try {
            image =
                    preprocessor.decode(
                            AvroBytes.copy(frame.getData()),
                            camera + " frame " + frame.getFrameIndex());
        } catch (IOException | RuntimeException e) {
            dlq.route(
                    ctx,
                    in,
                    "decode",
                    "undecodable-image",
                    camera,
                    frame.getEncoding() + " image could not be decoded: " + e.getMessage(),
                    e);
            return;
        }
        labeler.label(
                ctx,
                List.of(image),
                List.of(
                        new LabeledFrames.Origin(
                                camera,
                                frame.getCaptureTimestamp().toEpochMilli(),
                                frame.getFrameIndex(),
                                -1,
                                false)));
    }
}
