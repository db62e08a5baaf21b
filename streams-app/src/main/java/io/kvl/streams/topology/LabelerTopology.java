package io.kvl.streams.topology;

import io.kvl.streams.alert.AlertRules;
import io.kvl.streams.config.LabelerConfig;
import io.kvl.streams.metrics.LabelerMetrics;
import io.kvl.streams.processor.Pipeline;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
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
 * dead-letter topic with its original bytes instead of stopping the thread.
 */
public final class LabelerTopology {
    public static final String CHUNKS_SOURCE = "video-chunks-source";
    public static final String FRAMES_SOURCE = "frames-source";
    public static final String CHUNK_PROCESSOR = "label-video-chunks";
    public static final String FRAME_PROCESSOR = "label-frames";

    private LabelerTopology() {}

    /** The labeling part only. */
    public static Topology build(LabelerConfig config, Pipeline pipeline) {
        return build(config, pipeline, null, null);
    }

    /**
     * Labeling plus, when {@code rules} is not null and aggregation is enabled, windowed counts and
     * alerts over the labels topic (see {@link AggregationTopology}).
     */
    public static Topology build(
            LabelerConfig config, Pipeline pipeline, AlertRules rules, LabelerMetrics metrics) {
        StreamsBuilder builder = new StreamsBuilder();
        if (rules != null && config.aggregationEnabled()) {
            AggregationTopology.addTo(builder, config, rules, metrics);
        }
        Topology t = builder.build();
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
        t.addProcessor(CHUNK_PROCESSOR, pipeline::chunkProcessor, CHUNKS_SOURCE);
        t.addProcessor(FRAME_PROCESSOR, pipeline::frameProcessor, FRAMES_SOURCE);
        t.addStateStore(
                Stores.keyValueStoreBuilder(
                        Stores.persistentKeyValueStore(Pipeline.SAMPLING_STORE),
                        Serdes.String(),
                        Serdes.Long()),
                CHUNK_PROCESSOR);
        t.addSink(
                Pipeline.LABELS_SINK,
                config.labelsTopic(),
                new ByteArraySerializer(),
                new ByteArraySerializer(),
                CHUNK_PROCESSOR,
                FRAME_PROCESSOR);
        t.addSink(
                Pipeline.DLQ_SINK,
                config.deadLetterTopic(),
                new ByteArraySerializer(),
                new ByteArraySerializer(),
                CHUNK_PROCESSOR,
                FRAME_PROCESSOR);
        return t;
    }
}
