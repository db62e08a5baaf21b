package io.kvl.systemtest;

import io.kvl.registry.EventSerdes;
import io.kvl.schemas.LabeledFrame;
import io.kvl.schemas.serde.KvlSerdes;
import io.kvl.streams.alert.AlertRules;
import io.kvl.streams.config.LabelerConfig;
import io.kvl.streams.metrics.LabelerMetrics;
import io.kvl.streams.topology.AggregationTopology;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyConfig;
import org.apache.kafka.streams.TopologyTestDriver;

/**
 * What the counts and alerts topics must hold for the labels the cluster committed: the
 * application's aggregation run again, without faults, on TopologyTestDriver, one driver per labels
 * partition (a Kafka Streams task has its own stream time), fed each partition's committed records
 * in offset order with their record timestamps.
 */
final class ReferenceAggregation {
    /** Every field of each record as text (neither event carries when it was emitted). */
    final List<String> counts = new ArrayList<>();

    final List<String> alerts = new ArrayList<>();
    int deadLetters;

    static ReferenceAggregation of(
            Map<String, Object> appSettings,
            AlertRules rules,
            List<ConsumerRecord<byte[], byte[]>> labels) {
        ReferenceAggregation ref = new ReferenceAggregation();
        Map<Integer, List<ConsumerRecord<byte[], byte[]>>> byPartition = new TreeMap<>();
        for (ConsumerRecord<byte[], byte[]> r : labels) {
            byPartition.computeIfAbsent(r.partition(), k -> new ArrayList<>()).add(r);
        }
        for (List<ConsumerRecord<byte[], byte[]>> partition : byPartition.values()) {
            ref.run(appSettings, rules, partition);
        }
        return ref;
    }

    private void run(
            Map<String, Object> appSettings,
            AlertRules rules,
            List<ConsumerRecord<byte[], byte[]>> records) {
        LabelerConfig config = new LabelerConfig(appSettings);
        Properties streams = config.streamsProperties();
        streams.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE);
        StreamsBuilder builder = new StreamsBuilder(new TopologyConfig(new StreamsConfig(streams)));
        try (EventSerdes serdes = EventSerdes.singleObject()) {
            AggregationTopology.addTo(
                    builder, config, rules, new LabelerMetrics(new SimpleMeterRegistry()), serdes);
            try (TopologyTestDriver driver = new TopologyTestDriver(builder.build(), streams)) {
                TestInputTopic<byte[], byte[]> in =
                        driver.createInputTopic(
                                config.labelsTopic(),
                                new ByteArraySerializer(),
                                new ByteArraySerializer());
                for (ConsumerRecord<byte[], byte[]> r : records) {
                    in.pipeInput(r.key(), r.value(), Instant.ofEpochMilli(r.timestamp()));
                }
                driver.createOutputTopic(
                                config.countsTopic(),
                                new StringDeserializer(),
                                KvlSerdes.labelCount().deserializer())
                        .readValuesToList()
                        .forEach(c -> counts.add(c.toString()));
                if (!rules.rules().isEmpty()) {
                    driver.createOutputTopic(
                                    config.alertsTopic(),
                                    new StringDeserializer(),
                                    KvlSerdes.alert().deserializer())
                            .readValuesToList()
                            .forEach(a -> alerts.add(a.toString()));
                }
                deadLetters +=
                        driver.createOutputTopic(
                                        config.deadLetterTopic(),
                                        new StringDeserializer(),
                                        new StringDeserializer())
                                .getQueueSize();
            }
        }
    }

    static LabeledFrame frame(ConsumerRecord<byte[], byte[]> r) {
        return KvlSerdes.labeledFrame().deserialize(r.topic(), r.value());
    }
}
