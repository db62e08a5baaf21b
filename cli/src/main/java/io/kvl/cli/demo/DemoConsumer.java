package io.kvl.cli.demo;

import io.kvl.schemas.serde.KvlSerdes;
import io.kvl.streams.config.LabelerConfig;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** Reads the output topics (read_committed) in the background into {@link DemoResults}. */
final class DemoConsumer implements AutoCloseable {
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Thread thread;

    private DemoConsumer(KafkaConsumer<byte[], byte[]> consumer, Thread thread) {
        this.consumer = consumer;
        this.thread = thread;
    }

    static DemoConsumer start(
            String bootstrap, LabelerConfig c, DemoResults results, Consumer<Object> onEvent) {
        KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(
                        Map.of(
                                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                                bootstrap,
                                ConsumerConfig.GROUP_ID_CONFIG,
                                "kvl-demo-viewer-" + UUID.randomUUID(),
                                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                                "latest",
                                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                                "read_committed"),
                        new ByteArrayDeserializer(),
                        new ByteArrayDeserializer());
        consumer.subscribe(List.of(c.labelsTopic(), c.alertsTopic(), c.countsTopic()));
        // Join the group before anything is published, so "latest" misses nothing of this run.
        long deadline = System.currentTimeMillis() + 30_000;
        while (consumer.assignment().isEmpty() && System.currentTimeMillis() < deadline) {
            consumer.poll(Duration.ofMillis(100));
        }
        Thread t = new Thread(() -> loop(consumer, c, results, onEvent), "kvl-demo-viewer");
        t.setDaemon(true);
        t.start();
        return new DemoConsumer(consumer, t);
    }

    private static void loop(
            KafkaConsumer<byte[], byte[]> consumer,
            LabelerConfig c,
            DemoResults results,
            Consumer<Object> onEvent) {
        try {
            while (!Thread.currentThread().isInterrupted()) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (r.topic().equals(c.labelsTopic())) {
                        var f = KvlSerdes.labeledFrame().deserialize(r.topic(), r.value());
                        results.frames.add(f);
                        onEvent.accept(f);
                    } else if (r.topic().equals(c.alertsTopic())) {
                        var a = KvlSerdes.alert().deserialize(r.topic(), r.value());
                        results.alerts.add(a);
                        onEvent.accept(a);
                    } else {
                        results.counts.add(
                                KvlSerdes.labelCount().deserialize(r.topic(), r.value()));
                    }
                }
            }
        } catch (WakeupException e) {
            // close() asked the loop to stop
        } finally {
            consumer.close();
        }
    }

    @Override
    public void close() throws InterruptedException {
        consumer.wakeup();
        thread.join(10_000);
    }
}
