package io.kvl.streams.labeling;

import io.kvl.image.RgbImage;
import io.kvl.schemas.LabeledFrame;
import io.kvl.streams.inference.FrameClassifier;
import io.kvl.streams.inference.Prediction;
import io.kvl.streams.inference.Submission;
import io.kvl.streams.metrics.LabelerMetrics;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * What both labeling processors do with the images they admitted: classify them through the shared
 * micro-batcher (blocking, so nothing is held across a commit) and forward one {@link LabeledFrame}
 * per image to the labels sink. Stateless and thread-safe: one instance serves every task.
 */
public final class FrameLabeler {
    private final FrameClassifier classifier;
    private final LabeledFrames frames;
    private final Serializer<LabeledFrame> serializer;
    private final String labelsTopic;
    private final String sinkName;
    private final LabelerMetrics metrics;
    private final LabeledFrameObserver observer;

    /**
     * @param labelsTopic the topic the sink writes (for the serializer)
     * @param sinkName the sink node of the labels topic
     * @param observer sees every labeled frame with its image
     */
    public FrameLabeler(
            FrameClassifier classifier,
            int topK,
            Serializer<LabeledFrame> serializer,
            String labelsTopic,
            String sinkName,
            LabelerMetrics metrics,
            LabeledFrameObserver observer) {
        this.classifier = classifier;
        this.frames = new LabeledFrames(classifier.model(), topK);
        this.serializer = serializer;
        this.labelsTopic = labelsTopic;
        this.sinkName = sinkName;
        this.metrics = metrics;
        this.observer = observer;
    }

    /** Side of the square images the model takes. */
    int resolution() {
        return classifier.resolution();
    }

    /**
     * Classifies {@code images} and forwards their labeled frames, in order, before returning.
     *
     * @param origins where each image came from, one per image
     */
    void label(
            ProcessorContext<byte[], byte[]> ctx,
            List<RgbImage> images,
            List<LabeledFrames.Origin> origins) {
        if (images.isEmpty()) {
            return;
        }
        List<Prediction> predictions;
        try {
            predictions = classifier.classify(images);
        } catch (InterruptedException e) {
            // Shutting down: fail the record so its offset is not committed; it is reprocessed.
            throw new InterruptException(e);
        }
        forward(ctx, images, origins, predictions);
    }

    /**
     * Starts a classification whose images are added as they become available (see {@link
     * #finish}); cancel it if its record fails.
     */
    Submission start() {
        return classifier.submission();
    }

    /**
     * Waits for the predictions of {@code submission} and forwards their labeled frames, in order,
     * before returning.
     *
     * @param images the images added to {@code submission}, in order
     * @param origins where each image came from, one per image
     */
    void finish(
            ProcessorContext<byte[], byte[]> ctx,
            Submission submission,
            List<RgbImage> images,
            List<LabeledFrames.Origin> origins) {
        List<Prediction> predictions;
        try {
            predictions = submission.await();
        } catch (InterruptedException e) {
            submission.cancel();
            throw new InterruptException(e);
        }
        forward(ctx, images, origins, predictions);
    }

    /**
     * Adds {@code image} to {@code submission}; an interrupt fails the record (see label()), and
     * the caller cancels the submission as for any failure.
     */
    static void add(Submission submission, RgbImage image) {
        try {
            submission.add(image);
        } catch (InterruptedException e) {
            throw new InterruptException(e);
        }
    }

    private void forward(
            ProcessorContext<byte[], byte[]> ctx,
            List<RgbImage> images,
            List<LabeledFrames.Origin> origins,
            List<Prediction> predictions) {
        if (images.isEmpty()) {
            return;
        }
        long now = ctx.currentSystemTimeMs();
        for (int i = 0; i < images.size(); i++) {
            LabeledFrames.Origin origin = origins.get(i);
            LabeledFrame out = frames.build(origin, predictions.get(i), now);
            ctx.forward(
                    new Record<>(
                            origin.cameraId().getBytes(StandardCharsets.UTF_8),
                            serializer.serialize(labelsTopic, out),
                            origin.captureMillis()),
                    sinkName);
            observer.labeled(out, images.get(i));
        }
        metrics.framesLabeled(images.size());
    }
}
