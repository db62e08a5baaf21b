package io.kvl.streams.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kvl.kafka.embedded.EmbeddedKafka;
import io.kvl.schemas.LabelCount;
import io.kvl.schemas.LabeledFrame;
import io.kvl.schemas.serde.KvlSerdes;
import io.kvl.streams.app.LabelerApp;
import io.kvl.streams.config.LabelerConfig;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.ThreadMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two instances of the application share the cameras and label each frame exactly once; with {@code
 * application.server} set, each instance's {@code /counts} answers for every camera.
 */
class ScaleOutIT {

    @Test
    void twoInstancesShouldSplitTheCamerasAndLabelEachFrameOnce(
            @TempDir Path stateA, @TempDir Path stateB) throws Exception {
        Cameras cameras = Cameras.fourCameras();
        Map<String, List<Long>> expected = cameras.expectedFrames();
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            LabelingIT.createTopics(kafka);
            kafka.createTopics(4, AggregationIT.COUNTS, AggregationIT.ALERTS);
            String bootstrap = kafka.bootstrapServers();
            try (LabelerApp a = LabelerApp.start(config(bootstrap, stateA, freePort()));
                    LabelerApp b = LabelerApp.start(config(bootstrap, stateB, freePort()))) {
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

                for (LabelerApp asked : List.of(a, b)) {
                    // The aggregation reads the labels topic after the labeling committed it, so
                    // its stores may lag behind by a commit or two: poll with a deadline.
                    awaitAsserted(() -> assertCountsEqualTheTopic(asked, bootstrap));
                }
            }
        }
    }

    /**
     * Asks one instance: the answer covers both instances' cameras, says who answered each row, and
     * equals the latest count of every camera, label and window on the counts topic.
     */
    private static void assertCountsEqualTheTopic(LabelerApp asked, String bootstrap)
            throws Exception {
        Map<String, Long> onTopic = new HashMap<>();
        for (LabelCount c :
                AggregationIT.read(
                        bootstrap,
                        AggregationIT.COUNTS,
                        v -> KvlSerdes.labelCount().deserialize(AggregationIT.COUNTS, v),
                        1,
                        Duration.ofSeconds(10))) {
            onTopic.put(
                    key(c.getCameraId(), c.getLabel(), c.getWindowStart().toEpochMilli()),
                    c.getFrames());
        }
        JsonNode answer =
                new ObjectMapper()
                        .readTree(
                                AggregationIT.get(
                                        "http://127.0.0.1:" + asked.httpPort() + "/counts"));
        assertThat(answer.get("scope").asText()).isEqualTo("all");
        assertThat(answer.get("instances"))
                .hasSize(2)
                .allMatch(i -> i.get("status").asText().equals("ok"));
        Map<String, Long> queried = new HashMap<>();
        Set<String> cameras = new HashSet<>();
        Set<String> answeredBy = new HashSet<>();
        for (JsonNode row : answer.get("counts")) {
            queried.put(
                    key(
                            row.get("camera").asText(),
                            row.get("label").asText(),
                            row.get("window_start").asLong()),
                    row.get("frames").asLong());
            cameras.add(row.get("camera").asText());
            answeredBy.add(row.get("instance").asText());
        }
        assertThat(cameras).containsExactlyInAnyOrder("bottle-1", "bottle-2", "car-1", "car-2");
        assertThat(answeredBy).as("instances that answered rows").hasSize(2);
        assertThat(queried).as("asked port %d", asked.httpPort()).isEqualTo(onTopic);
    }

    private static String key(String camera, String label, long windowStart) {
        return camera + "|" + label + "|" + windowStart;
    }

    private static LabelerConfig config(String bootstrap, Path state, int httpPort) {
        Map<String, Object> p = LabelingIT.appConfig(bootstrap, "kvl-scale-out", state);
        p.put("num.stream.threads", "2");
        p.put(LabelerConfig.HTTP_PORT_CONFIG, Integer.toString(httpPort));
        p.put("application.server", "127.0.0.1:" + httpPort);
        // Every update on the topic, and a grace longer than the clips: cameras sharing a labels
        // partition advance each other's stream time, and nothing may be late here.
        p.put(LabelerConfig.COUNTS_WINDOW_SIZE_MS_CONFIG, "10000");
        p.put(LabelerConfig.COUNTS_GRACE_MS_CONFIG, "120000");
        p.put(LabelerConfig.COUNTS_EMIT_CONFIG, "updates");
        return new LabelerConfig(p);
    }

    interface Check {
        void run() throws Exception;
    }

    private static void awaitAsserted(Check check) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            try {
                check.run();
                return;
            } catch (AssertionError e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(500);
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
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
