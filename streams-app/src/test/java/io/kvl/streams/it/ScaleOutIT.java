package io.kvl.streams.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.kvl.kafka.embedded.EmbeddedKafka;
import io.kvl.schemas.LabeledFrame;
import io.kvl.streams.app.LabelerApp;
import io.kvl.streams.config.LabelerConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.ThreadMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two instances of the application share the cameras and label each frame exactly once. */
class ScaleOutIT {

    @Test
    void twoInstancesShouldSplitTheCamerasAndLabelEachFrameOnce(
            @TempDir Path stateA, @TempDir Path stateB) throws Exception {
        Cameras cameras = Cameras.fourCameras();
        Map<String, List<Long>> expected = cameras.expectedFrames();
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            LabelingIT.createTopics(kafka);
            String bootstrap = kafka.bootstrapServers();
            try (LabelerApp a = LabelerApp.start(config(bootstrap, stateA));
                    LabelerApp b = LabelerApp.start(config(bootstrap, stateB))) {
                awaitRunning(a.streams(), b.streams());
                LabelingIT.publish(bootstrap, cameras);
                List<LabeledFrame> labels =
                        Cameras.readCommitted(
                                bootstrap,
                                LabelingIT.LABELS,
                                Cameras.total(expected),
                                Duration.ofMinutes(4));

                assertThat(Cameras.byCamera(labels)).isEqualTo(expected);
                Set<TopicPartition> ownedByA = chunkPartitions(a.streams());
                Set<TopicPartition> ownedByB = chunkPartitions(b.streams());
                assertThat(ownedByA).isNotEmpty();
                assertThat(ownedByB).isNotEmpty().doesNotContainAnyElementsOf(ownedByA);
                Set<TopicPartition> all = new HashSet<>(ownedByA);
                all.addAll(ownedByB);
                assertThat(all).hasSize(4);
            }
        }
    }

    private static LabelerConfig config(String bootstrap, Path state) {
        Map<String, Object> p = LabelingIT.appConfig(bootstrap, "kvl-scale-out", state);
        p.put("num.stream.threads", "2");
        return new LabelerConfig(p);
    }

    private static void awaitRunning(KafkaStreams... instances) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (System.nanoTime() < deadline) {
            boolean balanced = true;
            for (KafkaStreams s : instances) {
                balanced &=
                        s.state() == KafkaStreams.State.RUNNING && !chunkPartitions(s).isEmpty();
            }
            if (balanced) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("instances did not both get tasks");
    }

    private static Set<TopicPartition> chunkPartitions(KafkaStreams s) {
        Set<TopicPartition> owned = new HashSet<>();
        for (ThreadMetadata t : s.metadataForLocalThreads()) {
            t.activeTasks()
                    .forEach(
                            task ->
                                    task.topicPartitions().stream()
                                            .filter(tp -> tp.topic().equals(LabelingIT.CHUNKS))
                                            .forEach(owned::add));
        }
        return owned;
    }
}
