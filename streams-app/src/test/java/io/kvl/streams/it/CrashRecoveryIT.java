package io.kvl.streams.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.kvl.kafka.embedded.EmbeddedKafka;
import io.kvl.schemas.LabeledFrame;
import io.kvl.schemas.VideoChunk;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The application runs as a child JVM, is killed with SIGKILL mid-stream and restarted; the labels
 * topic (read_committed) must hold each expected frame exactly once.
 */
class CrashRecoveryIT {
    private static final Logger LOG = LoggerFactory.getLogger(CrashRecoveryIT.class);

    @Test
    void shouldLabelEachFrameExactlyOnceAcrossASigkill(@TempDir Path dir) throws Exception {
        Cameras cameras = Cameras.fourCameras();
        Map<String, List<Long>> expected = cameras.expectedFrames();
        int total = Cameras.total(expected);
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            LabelingIT.createTopics(kafka);
            String bootstrap = kafka.bootstrapServers();
            Path config = writeConfig(dir, bootstrap);
            ExecutorService background = Executors.newSingleThreadExecutor();
            Path logs = Files.createDirectories(Path.of("target", "crash-it"));
            Process first = startChild(config, logs.resolve("first.log"));
            // Chunks trickle in, so the kill lands while frames are being labeled.
            Future<?> publishing =
                    background.submit(() -> publishSlowly(bootstrap, cameras.interleaved()));
            int before = awaitCommitted(bootstrap, total / 3, Duration.ofMinutes(3));
            first.destroyForcibly().waitFor();
            LOG.info(
                    "Killed the application (SIGKILL) after {} of {} frames were committed",
                    before,
                    total);
            assertThat(before).isLessThan(total);

            Process second = startChild(config, logs.resolve("second.log"));
            try {
                publishing.get();
                List<LabeledFrame> labels =
                        Cameras.readCommitted(
                                bootstrap, LabelingIT.LABELS, total, Duration.ofMinutes(4));
                assertThat(Cameras.byCamera(labels)).isEqualTo(expected);
                LOG.info("After restart: {} labeled frames, each exactly once", labels.size());
            } finally {
                second.destroy();
                second.waitFor();
                background.shutdownNow();
            }
        }
    }

    private static Path writeConfig(Path dir, String bootstrap) throws IOException {
        Properties p = new Properties();
        LabelingIT.appConfig(bootstrap, "kvl-crash", dir.resolve("state"))
                .forEach((k, v) -> p.setProperty(k, v.toString()));
        // The restarted instance waits for the killed one's consumers to be expired by the group
        // coordinator before its tasks are assigned: 10 s here instead of the default 45 s.
        p.setProperty(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, "10000");
        Path file = dir.resolve("app.properties");
        try (OutputStream out = Files.newOutputStream(file)) {
            p.store(out, "crash test");
        }
        return file;
    }

    private static Process startChild(Path config, Path log) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd =
                new ArrayList<>(
                        List.of(java, "-Xmx1g", "-cp", System.getProperty("java.class.path")));
        cmd.add("io.kvl.streams.app.LabelerApp");
        cmd.add(config.toString());
        return new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
    }

    private static Void publishSlowly(String bootstrap, List<VideoChunk> chunks) throws Exception {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Integer.toString(16 << 20));
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            io.kvl.simulator.ClipPublisher publisher =
                    new io.kvl.simulator.ClipPublisher(producer, LabelingIT.CHUNKS);
            for (VideoChunk c : chunks) {
                publisher.publish(List.of(c), false);
                Thread.sleep(150);
            }
        }
        return null;
    }

    /**
     * Waits until at least {@code count} labels are committed and returns at once with how many
     * there are (no settle period: the kill must land while chunks are still being labeled).
     */
    private static int awaitCommitted(String bootstrap, int count, Duration timeout) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "kill-trigger-" + System.nanoTime());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        int seen = 0;
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(LabelingIT.LABELS));
            long deadline = System.nanoTime() + timeout.toNanos();
            while (seen < count && System.nanoTime() < deadline) {
                seen += consumer.poll(Duration.ofMillis(100)).count();
            }
        }
        return seen;
    }
}
