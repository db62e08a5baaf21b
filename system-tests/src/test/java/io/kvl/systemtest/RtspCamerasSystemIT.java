package io.kvl.systemtest;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.DockerClient;
import io.kvl.schemas.VideoChunk;
import io.kvl.schemas.serde.KvlSerdes;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.Wait;

/**
 * The camera source connector in the Connect image reading two cameras over RTSP from a real RTSP
 * server (GStreamer's, {@code docker/rtsp-server.Dockerfile}) and a third camera that accepts the
 * connection and never answers, all in one task. The server is killed and comes back 20 s later:
 * the connector reconnects (its log shows each retry), chunks resume with sequence numbers and
 * frame indices that continue where they stopped and capture times that never go back, nothing is
 * written twice (read_committed, the connector runs exactly-once), and the silent camera never
 * holds back the other two.
 */
class RtspCamerasSystemIT {
    private static final Logger LOG = LoggerFactory.getLogger(RtspCamerasSystemIT.class);
    private static final String IMAGE = "kvl-local/rtsp-server:1";
    private static final String CONNECT_IMAGE = "kvl/connect:0.1.0";
    private static final String CHUNKS = "kvl.video-chunks";
    private static final List<String> LIVE = List.of("bottle", "car");
    private static final long RW_TIMEOUT_MS = 8000;

    @Test
    void shouldReconnectAndContinueTheSequencesWithoutDuplicates() throws Exception {
        DockerRequirement.require(KafkaCluster.IMAGE, CONNECT_IMAGE, IMAGE);
        DockerClient docker = DockerClientFactory.instance().client();
        try (Network network = Network.newNetwork();
                KafkaCluster kafka = KafkaCluster.start(network, 1);
                GenericContainer<?> rtsp = rtspServer(network);
                GenericContainer<?> connect = connectWorker(network)) {
            kafka.createTopics(2, Map.of("max.message.bytes", Integer.toString(16 << 20)), CHUNKS);
            rtsp.start();
            connect.start();
            TopicWatch watch = new TopicWatch(kafka.bootstrapServers(), CHUNKS);
            String rest = "http://127.0.0.1:" + connect.getMappedPort(8083);
            long registered = System.nanoTime();
            Http.send("PUT", rest + "/connectors/rtsp-cameras/config", connectorConfig());

            Map<String, Long> firstChunk = awaitChunks(watch, 1, Duration.ofMinutes(2), registered);
            LOG.info("First chunks after registration (ms): {}", firstChunk);
            // The silent camera blocks in FFmpeg for rw.timeout.ms at every attempt, on its own
            // thread: meanwhile the live cameras of the same task stream at their pace, one chunk
            // per GOP (keyframes every 8.4 s in the bottle clip, 4.8 s in the car clip).
            Map<String, Integer> start = counts(byCamera(watch.records()));
            Containers.sleep(30_000);
            Map<String, Integer> before = counts(byCamera(watch.records()));
            for (String camera : LIVE) {
                int streamed = before.getOrDefault(camera, 0) - start.getOrDefault(camera, 0);
                LOG.info("{}: {} chunks in 30 s while the silent camera hangs", camera, streamed);
                assertThat(streamed)
                        .as(camera + " chunks in 30 s")
                        .isGreaterThanOrEqualTo(camera.equals("car") ? 4 : 2);
            }
            assertThat(connect.getLogs()).contains("Camera silent (");

            long killed = System.nanoTime();
            docker.killContainerCmd(rtsp.getContainerId()).withSignal("KILL").exec();
            Containers.awaitNotRunning(docker, rtsp.getContainerId(), Duration.ofSeconds(30));
            Containers.sleep(20_000);
            // What was read before the outage is committed by now; anything beyond is new.
            before = counts(byCamera(watch.records()));
            docker.startContainerCmd(rtsp.getContainerId()).exec();
            long restarted = System.nanoTime();
            LOG.info("RTSP server killed, back after {} s", (restarted - killed) / 1_000_000_000);

            Map<String, Long> resumed =
                    awaitResumed(watch, before, Duration.ofMinutes(2), restarted);
            LOG.info("Chunks resumed after the server came back (ms): {}", resumed);
            Http.send("PUT", rest + "/connectors/rtsp-cameras/pause", null);
            Containers.sleep(3_000);

            watch.close();
            Map<String, List<VideoChunk>> byCamera =
                    byCamera(TopicContents.readCommitted(kafka.bootstrapServers(), CHUNKS));
            String log = connect.getLogs();
            Containers.saveLogs(connect, "rtsp-test-connect");
            Containers.saveLogs(rtsp, "rtsp-test-server");
            for (String camera : LIVE) {
                List<VideoChunk> chunks = byCamera.get(camera);
                assertContinuous(camera, chunks);
                assertThat(log).contains("Camera " + camera + ": reconnecting in");
                assertThat(log).contains("Camera " + camera + ": recovered at sequence");
                LOG.info(
                        "{}: {} chunks, sequences 0..{}, {} frames, each once and in order",
                        camera,
                        chunks.size(),
                        chunks.get(chunks.size() - 1).getSequence(),
                        chunks.stream().mapToInt(VideoChunk::getFrameCount).sum());
            }
            assertThat(byCamera).doesNotContainKey("silent");
        }
    }

    /** Sequence numbers 0..n-1, frame indices contiguous, capture times increasing. */
    private static void assertContinuous(String camera, List<VideoChunk> chunks) {
        assertThat(chunks).as(camera).hasSizeGreaterThan(5);
        for (int i = 0; i < chunks.size(); i++) {
            VideoChunk c = chunks.get(i);
            assertThat(c.getSequence()).as(camera + " sequence at " + i).isEqualTo(i);
            if (i > 0) {
                VideoChunk prev = chunks.get(i - 1);
                assertThat(c.getFirstFrameIndex())
                        .as(camera + " first frame of chunk " + i)
                        .isEqualTo(prev.getFirstFrameIndex() + prev.getFrameCount());
                assertThat(c.getStartTimestamp())
                        .as(camera + " capture time of chunk " + i)
                        .isAfter(prev.getStartTimestamp());
            }
        }
    }

    private static GenericContainer<?> rtspServer(Network network) {
        return new GenericContainer<>(IMAGE)
                .withNetwork(network)
                .withNetworkAliases("rtsp")
                .waitingFor(Wait.forLogMessage(".*RTSP server ready.*", 1));
    }

    /**
     * The Connect image with its own worker configuration (docker/connect): it reaches the broker
     * as {@code kafka:9092}, the alias of a one-node {@link KafkaCluster}.
     */
    private static GenericContainer<?> connectWorker(Network network) {
        return new GenericContainer<>(CONNECT_IMAGE)
                .withNetwork(network)
                .withNetworkAliases("connect")
                .withEnv("KAFKA_HEAP_OPTS", "-Xms256m -Xmx768m")
                .withExposedPorts(8083)
                .waitingFor(Wait.forHttp("/connector-plugins").forPort(8083))
                .withStartupTimeout(Duration.ofMinutes(3));
    }

    private static String connectorConfig() {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("connector.class", "io.kvl.connect.source.CameraSourceConnector");
        c.put("tasks.max", "1");
        c.put(
                "cameras",
                "bottle=rtsp://rtsp:8554/bottle-detection,car=rtsp://rtsp:8554/car-detection,"
                        + "silent=rtsp://rtsp:8555/never");
        c.put("topic", CHUNKS);
        c.put("chunk.format", "single-object");
        c.put("chunk.duration.ms", "2000");
        c.put("rw.timeout.ms", Long.toString(RW_TIMEOUT_MS));
        c.put("reconnect.backoff.initial.ms", "500");
        c.put("reconnect.backoff.max.ms", "4000");
        c.put("ffmpeg.options", "rtsp_transport=tcp");
        c.put("key.converter", "org.apache.kafka.connect.storage.StringConverter");
        c.put("value.converter", "org.apache.kafka.connect.converters.ByteArrayConverter");
        c.put("exactly.once.support", "required");
        c.put("producer.override.max.request.size", "16777216");
        return c.entrySet().stream()
                .map(e -> "\"" + e.getKey() + "\":\"" + e.getValue() + "\"")
                .collect(Collectors.joining(",", "{", "}"));
    }

    private static Map<String, List<VideoChunk>> byCamera(
            List<ConsumerRecord<byte[], byte[]>> records) {
        Map<String, List<VideoChunk>> m = new LinkedHashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : records) {
            VideoChunk c = KvlSerdes.videoChunk().deserialize(r.topic(), r.value());
            assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo(c.getCameraId());
            m.computeIfAbsent(c.getCameraId(), k -> new ArrayList<>()).add(c);
        }
        return m;
    }

    /**
     * Waits until each live camera has {@code n} chunks; milliseconds from {@code t0} to its first.
     */
    private static Map<String, Long> awaitChunks(
            TopicWatch watch, int n, Duration timeout, long t0) {
        Map<String, Long> first = new LinkedHashMap<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Map<String, List<VideoChunk>> m = byCamera(watch.records());
            for (String camera : LIVE) {
                if (m.containsKey(camera)) {
                    first.putIfAbsent(camera, (System.nanoTime() - t0) / 1_000_000);
                }
            }
            if (LIVE.stream().allMatch(c -> m.getOrDefault(c, List.of()).size() >= n)) {
                return first;
            }
            Containers.sleep(250);
        }
        throw new AssertionError("fewer than " + n + " chunks per live camera after " + timeout);
    }

    private static Map<String, Integer> counts(Map<String, List<VideoChunk>> byCamera) {
        Map<String, Integer> m = new LinkedHashMap<>();
        byCamera.forEach((k, v) -> m.put(k, v.size()));
        return m;
    }

    /** Waits until each live camera has 3 chunks more than {@code before}; ms from {@code t0}. */
    private static Map<String, Long> awaitResumed(
            TopicWatch watch, Map<String, Integer> before, Duration timeout, long t0) {
        Map<String, Long> resumed = new LinkedHashMap<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Map<String, Integer> now = counts(byCamera(watch.records()));
            for (String camera : LIVE) {
                if (now.getOrDefault(camera, 0) > before.getOrDefault(camera, 0)) {
                    resumed.putIfAbsent(camera, (System.nanoTime() - t0) / 1_000_000);
                }
            }
            if (LIVE.stream()
                    .allMatch(c -> now.getOrDefault(c, 0) >= before.getOrDefault(c, 0) + 3)) {
                return resumed;
            }
            Containers.sleep(500);
        }
        throw new AssertionError("chunks did not resume for every live camera within " + timeout);
    }
}
