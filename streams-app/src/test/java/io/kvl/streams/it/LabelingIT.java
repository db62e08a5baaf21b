package io.kvl.streams.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.kvl.kafka.embedded.EmbeddedKafka;
import io.kvl.schemas.Label;
import io.kvl.schemas.LabeledFrame;
import io.kvl.simulator.ClipPublisher;
import io.kvl.streams.app.LabelerApp;
import io.kvl.streams.config.LabelerConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole application against a real in-process KRaft broker: the two sample clips as four
 * cameras, the bundled model, exactly-once.
 */
class LabelingIT {
    private static final Logger LOG = LoggerFactory.getLogger(LabelingIT.class);
    static final String CHUNKS = "kvl.video-chunks";
    static final String LABELS = "kvl.labeled-frames";
    static final String DLQ = "kvl.dead-letters";
    static final String FRAMES = "kvl.frames";

    private static EmbeddedKafka kafka;

    @BeforeAll
    static void startBroker() {
        kafka = EmbeddedKafka.start();
        createTopics(kafka);
    }

    @AfterAll
    static void stopBroker() {
        if (kafka != null) {
            kafka.close();
        }
    }

    static void createTopics(EmbeddedKafka kafka) {
        kafka.createTopics(4, Map.of("max.message.bytes", Integer.toString(16 << 20)), CHUNKS);
        kafka.createTopics(4, LABELS);
        kafka.createTopics(1, DLQ, FRAMES);
    }

    static Map<String, Object> appConfig(String bootstrap, String appId, Path stateDir) {
        Map<String, Object> p = new HashMap<>();
        p.put("bootstrap.servers", bootstrap);
        p.put("application.id", appId);
        p.put("state.dir", stateDir.toString());
        p.put("num.stream.threads", "4");
        p.put("commit.interval.ms", "200");
        p.put(LabelerConfig.BATCH_SIZE_CONFIG, "4");
        p.put(LabelerConfig.BATCH_MAX_DELAY_MS_CONFIG, "40");
        p.put(LabelerConfig.SAMPLING_FPS_CONFIG, Double.toString(Cameras.FPS));
        p.put(LabelerConfig.HTTP_PORT_CONFIG, "0");
        return p;
    }

    static void publish(String bootstrap, Cameras cameras) throws Exception {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Integer.toString(16 << 20));
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            new ClipPublisher(producer, CHUNKS).publish(cameras.interleaved(), false);
        }
    }

    @Test
    void shouldLabelEverySampledFrameOfFourCamerasExactlyOnceInOrder(@TempDir Path state)
            throws Exception {
        Cameras cameras = Cameras.fourCameras();
        Map<String, List<Long>> expected = cameras.expectedFrames();
        int total = Cameras.total(expected);
        LOG.info(
                "Expecting {} labeled frames: {}",
                total,
                expected.entrySet().stream()
                        .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().size())));

        try (LabelerApp app =
                LabelerApp.start(
                        new LabelerConfig(appConfig(kafka.bootstrapServers(), "kvl-it", state)))) {
            long start = System.nanoTime();
            publish(kafka.bootstrapServers(), cameras);
            List<LabeledFrame> labels =
                    Cameras.readCommitted(
                            kafka.bootstrapServers(), LABELS, total, Duration.ofMinutes(4));
            double seconds = (System.nanoTime() - start) / 1e9;

            assertThat(Cameras.byCamera(labels)).isEqualTo(expected);
            Map<Integer, Long> batchSizes =
                    labels.stream()
                            .collect(
                                    Collectors.groupingBy(
                                            LabeledFrame::getBatchSize,
                                            TreeMap::new,
                                            Collectors.counting()));
            LOG.info(
                    "Labeled {} frames end to end in {} s ({} frames/s); frames per batch size {}",
                    labels.size(),
                    String.format("%.1f", seconds),
                    String.format("%.1f", labels.size() / seconds),
                    batchSizes);
            assertThat(batchSizes.keySet()).allMatch(b -> b >= 1 && b <= 4);

            Map<String, Long> bottleLabels = topLabels(labels, "bottle-1");
            LOG.info("bottle-1 top-1 labels: {}", bottleLabels);
            LOG.info("car-1 top-1 labels: {}", topLabels(labels, "car-1"));
            assertThat(
                            labels.stream()
                                    .filter(f -> f.getCameraId().startsWith("bottle"))
                                    .flatMap(f -> f.getLabels().stream().limit(3))
                                    .map(Label::getName))
                    .anyMatch(name -> name.contains("bottle"));
            assertThat(app.httpPort()).isPositive();
        }
    }

    static Map<String, Long> topLabels(List<LabeledFrame> labels, String camera) {
        return labels.stream()
                .filter(f -> f.getCameraId().equals(camera))
                .collect(
                        Collectors.groupingBy(
                                f -> f.getLabels().get(0).getName(),
                                TreeMap::new,
                                Collectors.counting()));
    }
}
