package io.kvl.systemtest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * docker-compose.yml as shipped, with only its image names pointed at the images built on this
 * machine: it comes up (topics created, registry and labeler healthy, Connect registers the camera
 * source), labeled frames of every camera and an alert arrive on the topics, the labeler's /metrics
 * counts the labeled frames and its dashboard is served, and {@code down -v} leaves no container,
 * volume or network.
 */
class ComposeSystemIT {
    private static final Logger LOG = LoggerFactory.getLogger(ComposeSystemIT.class);
    private static final Set<String> CAMERAS = Set.of("cam-1", "cam-2", "cam-3");
    private static final Pattern LABELED =
            Pattern.compile("(?m)^kvl_frames_labeled_total(?:\\{[^}]*\\})? ([0-9.eE+]+)$");

    @Test
    void shouldComeUpLabelAlertAndLeaveNothingBehind() throws Exception {
        DockerRequirement.require(
                KafkaCluster.IMAGE,
                LabelerContainer.IMAGE,
                "kvl/connect:0.1.0",
                "kvl/schema-registry:3.0.9",
                "kvl-local/curl:1");
        Path repo = Path.of(System.getProperty("kvl.repo.dir", "..")).toAbsolutePath().normalize();
        Map<String, String> env = new HashMap<>();
        env.put("KAFKA_IMAGE", KafkaCluster.IMAGE);
        env.put("CURL_IMAGE", "kvl-local/curl:1");
        env.put("MAVEN_IMAGE", "kvl-local/maven:3");
        env.put("RUNTIME_IMAGE", "kvl-local/jre:17");
        ComposeProject project =
                new ComposeProject(repo, "kvlst" + System.currentTimeMillis() % 100000, env);
        long t0 = System.nanoTime();
        try {
            project.compose(Duration.ofMinutes(10), "up", "-d", "--no-build");
            project.awaitCompleted("topics", Duration.ofMinutes(3));
            project.awaitHealthy("schema-registry", Duration.ofMinutes(3));
            project.awaitHealthy("labeler", Duration.ofMinutes(4));
            project.awaitCompleted("register-connectors", Duration.ofMinutes(4));
            LOG.info(
                    "Compose project {} up in {} s",
                    project.name(),
                    (System.nanoTime() - t0) / 1_000_000_000);

            Map<String, Integer> labeled = new TreeMap<>();
            Map<String, Integer> alerts = new TreeMap<>();
            readUntil(labeled, alerts, Duration.ofMinutes(5));
            LOG.info("Labeled frames per camera {}, alerts per camera {}", labeled, alerts);
            assertThat(labeled.keySet()).containsAll(CAMERAS);
            assertThat(alerts).isNotEmpty();

            int onTopic = labeled.values().stream().mapToInt(Integer::intValue).sum();
            double counted = labeledFramesMetric();
            LOG.info(
                    "/metrics: kvl_frames_labeled_total {} (the topic had {} committed)",
                    counted,
                    onTopic);
            // The counter counts frames as they are labeled; the topic shows them once committed.
            assertThat(counted).isGreaterThanOrEqualTo(onTopic);
            // The live dashboard (issue 13) is served by the same container and port.
            assertThat(Http.get("http://localhost:9400/"))
                    .contains("<title>kafka-video-labeler</title>");
        } finally {
            project.close();
        }
        assertThat(project.leftovers()).as("after down -v").isEmpty();
    }

    /** Reads the labels and alerts topics (read_committed) from the host's EXTERNAL listener. */
    private static void readUntil(
            Map<String, Integer> labeled, Map<String, Integer> alerts, Duration timeout) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, "localhost:9094");
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "compose-system-test");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        try (KafkaConsumer<String, byte[]> consumer =
                new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of("kvl.labeled-frames", "kvl.alerts"));
            long deadline = System.nanoTime() + timeout.toNanos();
            long nextStatus = 0;
            while (System.nanoTime() < deadline
                    && !(labeled.keySet().containsAll(CAMERAS) && !alerts.isEmpty())) {
                if (System.nanoTime() > nextStatus) {
                    assertSourceRunning();
                    nextStatus = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                }
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofSeconds(1))) {
                    // Confluent wire format (the compose file's serde.format): magic byte 0.
                    assertThat(r.value()[0]).as("Confluent framing on " + r.topic()).isZero();
                    (r.topic().equals("kvl.alerts") ? alerts : labeled)
                            .merge(r.key(), 1, Integer::sum);
                }
            }
        }
    }

    /** A failed task of the camera source fails the test at once, with the worker's trace. */
    private static void assertSourceRunning() {
        String status = Http.get("http://localhost:8083/connectors/kvl-camera-source/status");
        assertThat(status).as("camera source status").doesNotContain("\"FAILED\"");
    }

    private static double labeledFramesMetric() throws Exception {
        String body = Http.get("http://localhost:9400/metrics");
        Matcher m = LABELED.matcher(body);
        double total = 0;
        boolean found = false;
        while (m.find()) {
            total += Double.parseDouble(m.group(1));
            found = true;
        }
        assertThat(found).as("kvl_frames_labeled_total in /metrics").isTrue();
        return total;
    }
}
