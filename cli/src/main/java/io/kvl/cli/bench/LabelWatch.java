package io.kvl.cli.bench;

import io.kvl.schemas.LabeledFrame;
import io.kvl.schemas.serde.KvlSerdes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Follows the labels topic {@code read_committed} (what a downstream consumer sees) and records,
 * per label, when it became visible and how long after its source chunk was acknowledged. Labels of
 * warm-up cameras are not counted; only which of their chunks were labeled is kept.
 */
final class LabelWatch implements AutoCloseable {
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Deserializer<LabeledFrame> deserializer = KvlSerdes.labeledFrame().deserializer();
    private final Map<String, Long> chunkAcks;
    private final String warmupPrefix;
    private final Set<String> warmupSeen = ConcurrentHashMap.newKeySet();
    private final List<Long> latencies = new ArrayList<>();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile long labels;
    private volatile long firstMillis;
    private volatile long lastMillis;

    /**
     * @param chunkAcks ack time (epoch ms) of each published chunk, by {@code camera#sequence}
     * @param warmupPrefix camera ids of warm-up chunks start with this
     */
    LabelWatch(
            String bootstrap,
            String topic,
            int partitions,
            Map<String, Long> chunkAcks,
            String warmupPrefix) {
        this.chunkAcks = chunkAcks;
        this.warmupPrefix = warmupPrefix;
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "20");
        consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> tps = new ArrayList<>();
        for (int i = 0; i < partitions; i++) {
            tps.add(new TopicPartition(topic, i));
        }
        consumer.assign(tps);
        consumer.seekToBeginning(tps);
        thread = new Thread(this::run, "bench-label-watch");
        thread.setDaemon(true);
        thread.start();
    }

    static String key(String camera, long sequence) {
        return camera + "#" + sequence;
    }

    private void run() {
        while (running) {
            var records = consumer.poll(Duration.ofMillis(50));
            long now = System.currentTimeMillis();
            synchronized (this) {
                for (ConsumerRecord<byte[], byte[]> r : records) {
                    LabeledFrame f = deserializer.deserialize(r.topic(), r.value());
                    if (f.getCameraId().startsWith(warmupPrefix)) {
                        warmupSeen.add(key(f.getCameraId(), f.getSourceChunkSequence()));
                        continue;
                    }
                    Long ack = chunkAcks.get(key(f.getCameraId(), f.getSourceChunkSequence()));
                    if (ack != null) {
                        latencies.add(now - ack);
                    }
                    if (labels == 0) {
                        firstMillis = now;
                    }
                    labels++;
                    lastMillis = now;
                }
            }
        }
    }

    /** {@code camera#sequence} of each warm-up chunk with a visible label. */
    Set<String> warmupSeen() {
        return warmupSeen;
    }

    long labels() {
        return labels;
    }

    long lastMillis() {
        return lastMillis;
    }

    long firstMillis() {
        return firstMillis;
    }

    /** Chunk-acknowledged-to-label-visible latencies so far, sorted, in ms. */
    synchronized long[] latencies() {
        return latencies.stream().mapToLong(Long::longValue).sorted().toArray();
    }

    @Override
    public void close() {
        running = false;
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        consumer.close();
    }

    static Map<String, Long> newAckMap() {
        return new ConcurrentHashMap<>();
    }
}
