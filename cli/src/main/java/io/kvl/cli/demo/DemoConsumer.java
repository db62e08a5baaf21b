package io.kvl.cli.demo;

import io.kvl.registry.EventSerdes;
import io.kvl.schemas.Alert;
import io.kvl.schemas.LabelCount;
import io.kvl.schemas.LabeledFrame;
import io.kvl.streams.config.LabelerConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads the output topics (read_committed) in the background into {@link DemoResults}, from where
 * their ends were when the demo started.
 */
final class DemoConsumer implements AutoCloseable {
    private static final Duration METADATA_TIMEOUT = Duration.ofSeconds(30);

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final LabelerConfig config;
    private final DemoResults results;
    private final Consumer<Object> onEvent;
    // Reads either wire format (the first bytes tell), through the registry when one is set.
    private final EventSerdes serdes;
    private final Map<TopicPartition, Long> positions = new ConcurrentHashMap<>();
    private final Thread thread = new Thread(this::loop, "kvl-demo-viewer");
    private volatile Exception failure;

    private DemoConsumer(
            KafkaConsumer<byte[], byte[]> consumer,
            LabelerConfig config,
            DemoResults results,
            Consumer<Object> onEvent) {
        this.consumer = consumer;
        this.config = config;
        this.results = results;
        this.onEvent = onEvent;
        this.serdes = EventSerdes.create(config.serdeFormat(), config.registryOptions());
        thread.setDaemon(true);
    }

    static DemoConsumer start(
            String bootstrap, LabelerConfig c, DemoResults results, Consumer<Object> onEvent) {
        KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(
                        Map.of(
                                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                                bootstrap,
                                ConsumerConfig.CLIENT_ID_CONFIG,
                                "kvl-demo-viewer",
                                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                                "false",
                                ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG,
                                "false",
                                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                                "read_committed"),
                        new ByteArrayDeserializer(),
                        new ByteArrayDeserializer());
        try {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : List.of(c.labelsTopic(), c.alertsTopic(), c.countsTopic())) {
                partitions.addAll(partitionsOf(consumer, topic));
            }
            // Assigned, not subscribed: no group to join, and the start positions are fixed here,
            // before anything is published. From the end, because on an existing cluster the
            // topics may hold earlier runs' labels of the same camera ids.
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            for (TopicPartition tp : partitions) {
                // Resolves the lazy seek now; resolved later it could skip this run's first labels.
                consumer.position(tp, METADATA_TIMEOUT);
            }
        } catch (RuntimeException e) {
            consumer.close();
            throw e;
        }
        DemoConsumer viewer = new DemoConsumer(consumer, c, results, onEvent);
        viewer.thread.start();
        return viewer;
    }

    private static List<TopicPartition> partitionsOf(
            KafkaConsumer<byte[], byte[]> consumer, String topic) {
        List<PartitionInfo> infos = consumer.partitionsFor(topic, METADATA_TIMEOUT);
        if (infos.isEmpty()) {
            throw new IllegalStateException("topic " + topic + " does not exist");
        }
        return infos.stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
    }

    private void loop() {
        LabelerConfig c = config;
        try {
            while (!Thread.currentThread().isInterrupted()) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (r.topic().equals(c.labelsTopic())) {
                        var f =
                                serdes.serde(LabeledFrame.class)
                                        .deserializer()
                                        .deserialize(r.topic(), r.value());
                        results.addLabel(
                                f, new TopicPartition(r.topic(), r.partition()), r.offset());
                        onEvent.accept(f);
                    } else if (r.topic().equals(c.alertsTopic())) {
                        var a =
                                serdes.serde(Alert.class)
                                        .deserializer()
                                        .deserialize(r.topic(), r.value());
                        results.alerts.add(a);
                        onEvent.accept(a);
                    } else {
                        results.counts.add(
                                serdes.serde(LabelCount.class)
                                        .deserializer()
                                        .deserialize(r.topic(), r.value()));
                    }
                }
                for (TopicPartition tp : consumer.assignment()) {
                    positions.put(tp, consumer.position(tp));
                }
            }
        } catch (WakeupException e) {
            // close() asked the loop to stop
        } catch (RuntimeException e) {
            // The demo's wait sees it and fails instead of waiting for labels that never come.
            failure = e;
        } finally {
            consumer.close();
        }
    }

    /** Why reading stopped before {@link #close()}, or null. */
    Exception failure() {
        return failure;
    }

    /** True when everything before {@code offsets} has been read on each of those partitions. */
    boolean hasRead(Map<TopicPartition, Long> offsets) {
        return offsets.entrySet().stream()
                .allMatch(e -> positions.getOrDefault(e.getKey(), -1L) >= e.getValue());
    }

    @Override
    public void close() throws InterruptedException {
        consumer.wakeup();
        thread.join(10_000);
        serdes.close();
    }
}
