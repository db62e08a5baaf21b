package io.kvl.streams.labeling;

import io.kvl.efficientnet.image.ImageNetClasses;
import io.kvl.efficientnet.runtime.TopK;
import io.kvl.schemas.Label;
import io.kvl.schemas.LabeledFrame;
import io.kvl.schemas.ModelRef;
import io.kvl.streams.inference.FrameClassifier;
import io.kvl.streams.inference.Prediction;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Builds {@link LabeledFrame} events from predictions. */
final class LabeledFrames {
    private final ModelRef model;
    private final int topK;
    private final ImageNetClasses classes = ImageNetClasses.get();

    LabeledFrames(FrameClassifier.ModelIdentity identity, int topK) {
        this.model =
                ModelRef.newBuilder()
                        .setName(identity.name())
                        .setVariant(identity.variant())
                        .setVersion(identity.version())
                        .build();
        this.topK = topK;
    }

    /** Where a frame came from. */
    record Origin(
            String cameraId,
            long captureMillis,
            long frameIndex,
            long chunkSequence,
            boolean keyframe) {}

    LabeledFrame build(Origin origin, Prediction p, long nowMillis) {
        List<Label> labels = new ArrayList<>(topK);
        for (TopK.Entry e : TopK.of(p.probabilities(), topK)) {
            labels.add(
                    Label.newBuilder()
                            .setClassIndex(e.index())
                            .setName(
                                    e.index() < classes.size()
                                            ? classes.name(e.index())
                                            : "class_" + e.index())
                            .setScore(e.probability())
                            .build());
        }
        return LabeledFrame.newBuilder()
                .setCameraId(origin.cameraId())
                .setCaptureTimestamp(Instant.ofEpochMilli(origin.captureMillis()))
                .setFrameIndex(origin.frameIndex())
                .setSourceChunkSequence(origin.chunkSequence())
                .setLabels(labels)
                .setModel(model)
                .setBatchSize(p.batchSize())
                .setInferenceLatencyMs(p.inferenceMillis())
                .setEndToEndLatencyMs(Math.max(0, nowMillis - origin.captureMillis()))
                .setKeyframe(origin.keyframe())
                .build();
    }
}
