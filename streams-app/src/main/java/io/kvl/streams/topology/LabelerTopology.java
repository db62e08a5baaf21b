package io.kvl.streams.topology;

import io.kvl.registry.EventSerdes;
import io.kvl.schemas.DeadLetter;
import io.kvl.schemas.Frame;
import io.kvl.schemas.LabeledFrame;
import io.kvl.schemas.VideoChunk;
import io.kvl.streams.alert.AlertRules;
import io.kvl.streams.config.LabelerConfig;
import io.kvl.streams.deadletter.DeadLetterRouter;
import io.kvl.streams.inference.FrameClassifier;
import io.kvl.streams.labeling.ChunkLabelingProcessor;
import io.kvl.streams.labeling.FrameLabeler;
import io.kvl.streams.labeling.FrameLabelingProcessor;
import io.kvl.streams.labeling.InputGate;
import io.kvl.streams.labeling.LabeledFrameObserver;
import io.kvl.streams.metrics.LabelerMetrics;
import io.kvl.video.ChunkSampler;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyConfig;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.state.Stores;

/**
 * The labeling topology, a pure factory: no threads, no network, so TopologyTestDriver tests run
 * exactly what production runs.
 *
 * <pre>
 * video-chunks-source -> label-video-chunks --+--> labeled-frames-sink (topic.labels)
 *                         [camera-sampling-state]
 * frames-source ------> label-frames ---------+--> dead-letters-sink (topic.dead.letters)
 * </pre>
 *
 * Inputs are read as bytes and decoded inside the processors, so corrupt Avro reaches the
 * dead-letter topic with its original bytes instead of stopping the thread. The classifier (one per
 * process, thread-safe) and the stateless helpers are shared by every task; processors are created
 * per task.
 */
public final class LabelerTopology {
    public static final String CHUNKS_SOURCE = "video-chunks-source";
    public static final String FRAMES_SOURCE = "frames-source";
    public static final String CHUNK_PROCESSOR = "label-video-chunks";
    public static final String FRAME_PROCESSOR = "label-frames";

    /** Per-camera sampling position (capture time of the last labeled frame, microseconds). */
    public static final String SAMPLING_STORE = "camera-sampling-state";

    /** Sink of labeled frames. */
    public static final String LABELS_SINK = "labeled-frames-sink";

    /** Sink of dead letters. */
    public static final String DLQ_SINK = "dead-letters-sink";

    private LabelerTopology() {}

    /** The labeling part only. */
    public static Topology build(
            LabelerConfig config, FrameClassifier classifier, LabelerMetrics metrics) {
        return build(config, classifier, metrics, null);
    }

    /** Labeling and aggregation with single-object serdes (no registry). */
    public static Topology build(
            LabelerConfig config,
            FrameClassifier classifier,
            LabelerMetrics metrics,
            AlertRules rules) {
        return build(config, classifier, metrics, rules, EventSerdes.singleObject());
    }

    /**
     * Labeling plus, when {@code rules} is not null and aggregation is enabled, windowed counts and
     * alerts over the labels topic (see {@link AggregationTopology}). Every topic is written in the
     * format of {@code serdes} and read in either format.
     */
    public static Topology build(
            LabelerConfig config,
            FrameClassifier classifier,
            LabelerMetrics metrics,
            AlertRules rules,
            EventSerdes serdes) {
        return build(config, classifier, metrics, rules, serdes, LabeledFrameObserver.NONE);
    }

    /**
     * As {@link #build(LabelerConfig, FrameClassifier, LabelerMetrics, AlertRules, EventSerdes)},
     * with an observer of the labeled frames.
     */
    public static Topology build(
            LabelerConfig config,
            FrameClassifier classifier,
            LabelerMetrics metrics,
            AlertRules rules,
            EventSerdes serdes,
            LabeledFrameObserver observer) {
        // The topology config carries ensure.explicit.internal.resource.naming (see LabelerConfig).
        StreamsBuilder builder =
                new StreamsBuilder(
                        new TopologyConfig(new StreamsConfig(config.streamsProperties())));
        if (rules != null && config.aggregationEnabled()) {
            AggregationTopology.addTo(builder, config, rules, metrics, serdes);
        }
        Topology t = builder.build();
        Labeling labeling = labeling(config, classifier, metrics, serdes, observer);
        t.addSource(
                CHUNKS_SOURCE,
                new ByteArrayDeserializer(),
                new ByteArrayDeserializer(),
                config.chunksTopic());
        t.addSource(
                FRAMES_SOURCE,
                new ByteArrayDeserializer(),
                new ByteArrayDeserializer(),
                config.framesTopic());
        t.addProcessor(CHUNK_PROCESSOR, labeling.chunks(), CHUNKS_SOURCE);
        t.addProcessor(FRAME_PROCESSOR, labeling.frames(), FRAMES_SOURCE);
        t.addStateStore(
                Stores.keyValueStoreBuilder(
                        Stores.persistentKeyValueStore(SAMPLING_STORE),
                        Serdes.String(),
                        Serdes.Long()),
                CHUNK_PROCESSOR);
        t.addSink(
                LABELS_SINK,
                config.labelsTopic(),
                new ByteArraySerializer(),
                new ByteArraySerializer(),
                CHUNK_PROCESSOR,
                FRAME_PROCESSOR);
        t.addSink(
                DLQ_SINK,
                config.deadLetterTopic(),
                new ByteArraySerializer(),
                new ByteArraySerializer(),
                CHUNK_PROCESSOR,
                FRAME_PROCESSOR);
        return t;
    }

    /** The labeling processors' suppliers, sharing one dead-letter router, labeler and sampler. */
    private record Labeling(
            ProcessorSupplier<byte[], byte[], byte[], byte[]> chunks,
            ProcessorSupplier<byte[], byte[], byte[], byte[]> frames) {}

    private static Labeling labeling(
            LabelerConfig config,
            FrameClassifier classifier,
            LabelerMetrics metrics,
            EventSerdes serdes,
            LabeledFrameObserver observer) {
        DeadLetterRouter dlq =
                new DeadLetterRouter(
                        DLQ_SINK,
                        config.deadLetterTopic(),
                        serdes.serde(DeadLetter.class).serializer(),
                        metrics,
                        Math.max(config.maxChunkBytes(), config.maxFrameBytes()));
        FrameLabeler labeler =
                new FrameLabeler(
                        classifier,
                        config.topK(),
                        serdes.serde(LabeledFrame.class).serializer(),
                        config.labelsTopic(),
                        LABELS_SINK,
                        metrics,
                        observer);
        InputGate<VideoChunk> chunkGate =
                new InputGate<>(
                        dlq,
                        serdes.serde(VideoChunk.class).deserializer(),
                        VideoChunk::getCameraId,
                        config.cameras(),
                        config.maxChunkBytes(),
                        LabelerConfig.MAX_CHUNK_BYTES_CONFIG);
        InputGate<Frame> frameGate =
                new InputGate<>(
                        dlq,
                        serdes.serde(Frame.class).deserializer(),
                        Frame::getCameraId,
                        config.cameras(),
                        config.maxFrameBytes(),
                        LabelerConfig.MAX_FRAME_BYTES_CONFIG);
        ChunkSampler sampler =
                new ChunkSampler(
                        config.samplingMode(), config.samplingFps(), classifier.resolution());

        return new Labeling(
                () ->
                        new ChunkLabelingProcessor(
                                chunkGate, sampler, SAMPLING_STORE, labeler, dlq, metrics),
                () -> new FrameLabelingProcessor(frameGate, labeler, dlq));
    }
}
