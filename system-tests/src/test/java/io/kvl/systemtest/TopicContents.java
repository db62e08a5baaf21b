package io.kvl.systemtest;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads a whole topic, every partition from the beginning up to its end offset at the time of the
 * call, in offset order per partition. Records are counted as read, never by offset: transaction
 * markers occupy offsets.
 */
final class TopicContents {
    private TopicContents() {}

    /** read_committed: only records of committed transactions (and non-transactional ones). */
    static List<ConsumerRecord<byte[], byte[]>> readCommitted(String bootstrap, String topic) {
        return read(bootstrap, topic, null);
    }

    /** Up to the given offsets (exclusive) per partition, e.g. a group's committed offsets. */
    static List<ConsumerRecord<byte[], byte[]>> readUpTo(
            String bootstrap, String topic, Map<TopicPartition, Long> until) {
        return read(bootstrap, topic, until);
    }

    /**
     * A read_committed consumer assigned every partition of the topic, positioned at the beginning
     * (no group, nothing committed).
     */
    static KafkaConsumer<byte[], byte[]> fromStart(String bootstrap, String topic) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Integer.toString(16 << 20));
        KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = new ArrayList<>();
        for (PartitionInfo info : consumer.partitionsFor(topic, Duration.ofSeconds(60))) {
            partitions.add(new TopicPartition(topic, info.partition()));
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        return consumer;
    }

    private static List<ConsumerRecord<byte[], byte[]>> read(
            String bootstrap, String topic, Map<TopicPartition, Long> until) {
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = fromStart(bootstrap, topic)) {
            Set<TopicPartition> partitions = consumer.assignment();
            Map<TopicPartition, Long> end =
                    until != null
                            ? new HashMap<>(until)
                            : new HashMap<>(
                                    consumer.endOffsets(partitions, Duration.ofSeconds(60)));
            long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            while (!reached(consumer, end)) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("could not read " + topic + " up to " + end);
                }
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    Long stop = end.get(new TopicPartition(r.topic(), r.partition()));
                    if (stop != null && r.offset() < stop) {
                        out.add(r);
                    }
                }
            }
        }
        return out;
    }

    private static boolean reached(
            KafkaConsumer<byte[], byte[]> consumer, Map<TopicPartition, Long> end) {
        for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
            if (consumer.position(e.getKey(), Duration.ofSeconds(30)) < e.getValue()) {
                return false;
            }
        }
        return true;
    }
}
