package io.kvl.systemtest;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.ProducerState;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;

/**
 * The end of a run the way Kafka's own EosTestDriver waits for it before verifying: the
 * application's group has no member and no producer has a transaction open on any output partition,
 * so what read_committed returns is final.
 */
final class Quiescence {
    private Quiescence() {}

    static void await(Admin admin, String groupId, Collection<String> outputs, Duration timeout)
            throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        String why = "";
        while (System.nanoTime() < deadline) {
            ConsumerGroupDescription group =
                    admin.describeConsumerGroups(List.of(groupId)).all().get().get(groupId);
            if (!group.members().isEmpty() || group.groupState() != GroupState.EMPTY) {
                why =
                        "group "
                                + groupId
                                + " is "
                                + group.groupState()
                                + " with "
                                + group.members().size()
                                + " members";
            } else {
                List<String> open = openTransactions(admin, outputs);
                if (open.isEmpty()) {
                    return;
                }
                why = "transactions open on " + open;
            }
            Thread.sleep(1000);
        }
        throw new AssertionError("not quiescent after " + timeout + ": " + why);
    }

    static List<String> openTransactions(Admin admin, Collection<String> topics) throws Exception {
        List<TopicPartition> partitions = new ArrayList<>();
        for (TopicDescription d : admin.describeTopics(topics).allTopicNames().get().values()) {
            for (TopicPartitionInfo p : d.partitions()) {
                partitions.add(new TopicPartition(d.name(), p.partition()));
            }
        }
        List<String> open = new ArrayList<>();
        admin.describeProducers(partitions)
                .all()
                .get()
                .forEach(
                        (tp, producers) -> {
                            for (ProducerState s : producers.activeProducers()) {
                                if (s.currentTransactionStartOffset().isPresent()) {
                                    open.add(tp + " (producer " + s.producerId() + ")");
                                }
                            }
                        });
        return open;
    }

    /**
     * Records of the topic the group has not committed yet, over all its partitions (the topic's
     * records are not transactional, so its end offsets count records).
     */
    static long lag(Admin admin, String groupId, String topic) throws Exception {
        Map<TopicPartition, Long> committed = committed(admin, groupId, topic);
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        for (TopicPartitionInfo p :
                admin.describeTopics(List.of(topic))
                        .allTopicNames()
                        .get()
                        .get(topic)
                        .partitions()) {
            latest.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest());
        }
        long lag = 0;
        for (var e : admin.listOffsets(latest).all().get().entrySet()) {
            lag += e.getValue().offset() - committed.getOrDefault(e.getKey(), 0L);
        }
        return lag;
    }

    /** The group's committed offsets on one topic. */
    static Map<TopicPartition, Long> committed(Admin admin, String groupId, String topic)
            throws Exception {
        Map<TopicPartition, OffsetAndMetadata> all =
                admin.listConsumerGroupOffsets(groupId).partitionsToOffsetAndMetadata().get();
        Map<TopicPartition, Long> out = new HashMap<>();
        all.forEach(
                (tp, om) -> {
                    if (tp.topic().equals(topic) && om != null) {
                        out.put(tp, om.offset());
                    }
                });
        return out;
    }
}
