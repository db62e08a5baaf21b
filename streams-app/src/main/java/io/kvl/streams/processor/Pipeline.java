package io.kvl.streams.processor;

import io.kvl.image.RgbImage;
import io.kvl.schemas.Frame;
import io.kvl.schemas.LabeledFrame;
import io.kvl.schemas.VideoChunk;
import io.kvl.schemas.serde.KvlSerdes;
import io.kvl.streams.config.LabelerConfig;
import io.kvl.streams.inference.FrameClassifier;
import io.kvl.streams.inference.Prediction;
import io.kvl.streams.metrics.LabelerMetrics;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.processor.api.Processor;

/**
 * What the labeling processors share: the classifier (one per process, thread-safe), serdes,
 * settings and the dead-letter router. Processors themselves are per task.
 */
public final class Pipeline {
    /** Per-camera sampling position (capture time of the last labeled frame, microseconds). */
    public static final String SAMPLING_STORE = "camera-sampling-state";

    /** Sink of labeled frames. */
    public static final String LABELS_SINK = "labeled-frames-sink";

    /** Sink of dead letters. */
    public static final String DLQ_SINK = "dead-letters-sink";

    private final LabelerConfig config;
    private final FrameClassifier classifier;
    private final LabelerMetrics metrics;
    private final DeadLetterRouter dlq;
    private final LabeledFrames frames;
    private final Set<String> cameras;
    private final Deserializer<VideoChunk> chunkDeserializer =
            KvlSerdes.videoChunk().deserializer();
    private final Deserializer<Frame> frameDeserializer = KvlSerdes.frame().deserializer();
    private final Serializer<LabeledFrame> labelSerializer = KvlSerdes.labeledFrame().serializer();

    public Pipeline(LabelerConfig config, FrameClassifier classifier, LabelerMetrics metrics) {
        this.config = config;
        this.classifier = classifier;
        this.metrics = metrics;
        this.dlq =
                new DeadLetterRouter(
                        DLQ_SINK,
                        KvlSerdes.deadLetter().serializer(),
                        metrics,
                        Math.max(config.maxChunkBytes(), config.maxFrameBytes()));
        this.frames = new LabeledFrames(classifier.model(), config.topK());
        this.cameras = new HashSet<>(config.cameras());
    }

    public Processor<byte[], byte[], byte[], byte[]> chunkProcessor() {
        return new ChunkLabelingProcessor(this);
    }

    public Processor<byte[], byte[], byte[], byte[]> frameProcessor() {
        return new FrameLabelingProcessor(this);
    }

    /** Blocks until the shared batcher has classified {@code images}. */
    List<Prediction> classify(List<RgbImage> images) {
        if (images.isEmpty()) {
            return List.of();
        }
        try {
            return classifier.classify(images);
        } catch (InterruptedException e) {
            // Shutting down: fail the record so its offset is not committed; it is reprocessed.
            throw new InterruptException(e);
        }
    }

    /** Null when the record is acceptable, else why not. */
    String validateCamera(String key, String cameraId) {
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

    FrameClassifier classifier() {
        return classifier;
    }

    LabelerMetrics metrics() {
        return metrics;
    }

    DeadLetterRouter dlq() {
        return dlq;
    }

    LabeledFrames frames() {
        return frames;
    }

    Deserializer<VideoChunk> chunkDeserializer() {
        return chunkDeserializer;
    }

    Deserializer<Frame> frameDeserializer() {
        return frameDeserializer;
    }

    Serializer<LabeledFrame> labelSerializer() {
        return labelSerializer;
    }

    String labelsTopic() {
        return config.labelsTopic();
    }

    int maxChunkBytes() {
        return config.maxChunkBytes();
    }

    int maxFrameBytes() {
        return config.maxFrameBytes();
    }

    String samplingMode() {
        return config.samplingMode();
    }

    double samplingFps() {
        return config.samplingFps();
    }
}
