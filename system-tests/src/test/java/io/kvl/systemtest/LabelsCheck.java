package io.kvl.systemtest;

import static org.assertj.core.api.Assertions.assertThat;

import io.kvl.schemas.LabeledFrame;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The exactly-once check of the labels after a run, the way Kafka's EosTestDriver does it: once the
 * application's group is empty and no transaction is open on the outputs, the chunk topic up to the
 * group's committed offsets gives the expected frames (same decoder and sampler), and the labels
 * topic (read_committed) must hold each of them once, in order per camera.
 */
record LabelsCheck(
        int chunks,
        Map<String, List<Long>> expected,
        List<ConsumerRecord<byte[], byte[]>> labels,
        SequenceReport report) {
    private static final Logger LOG = LoggerFactory.getLogger(LabelsCheck.class);

    static LabelsCheck run(
            Admin admin,
            String bootstrap,
            String appId,
            String chunksTopic,
            String labelsTopic,
            List<String> outputs)
            throws Exception {
        Quiescence.await(admin, appId, outputs, Duration.ofMinutes(2));
        Map<TopicPartition, Long> committed = Quiescence.committed(admin, appId, chunksTopic);
        List<ConsumerRecord<byte[], byte[]>> chunkRecords =
                TopicContents.readUpTo(bootstrap, chunksTopic, committed);
        assertThat(Quiescence.lag(admin, appId, chunksTopic))
                .as("chunks on the topic the application has not consumed and committed")
                .isZero();
        Map<String, List<Long>> expected = LiveCameras.expectedFrames(chunkRecords);
        List<ConsumerRecord<byte[], byte[]>> labels =
                TopicContents.readCommitted(bootstrap, labelsTopic);
        SequenceReport report = SequenceReport.compare(expected, byCamera(labels));
        LOG.info(
                "Labels: {} chunks in, expected per camera {}; {}",
                chunkRecords.size(),
                SequenceReport.sizes(expected),
                report);
        return new LabelsCheck(chunkRecords.size(), expected, labels, report);
    }

    static Map<String, List<Long>> byCamera(List<ConsumerRecord<byte[], byte[]>> labels) {
        Map<String, List<Long>> m = new LinkedHashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : labels) {
            LabeledFrame f = ReferenceAggregation.frame(r);
            m.computeIfAbsent(f.getCameraId(), k -> new ArrayList<>()).add(f.getFrameIndex());
        }
        return m;
    }
}
