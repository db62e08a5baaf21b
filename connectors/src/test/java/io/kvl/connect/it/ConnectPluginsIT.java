package io.kvl.connect.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kvl.connect.testing.CarClip;
import io.kvl.connect.testing.Chunks;
import io.kvl.connect.testing.SampleEvents;
import io.kvl.connect.testing.WebhookServer;
import io.kvl.kafka.embedded.EmbeddedKafka;
import io.kvl.schemas.Alert;
import io.kvl.schemas.LabeledFrame;
import io.kvl.schemas.VideoChunk;
import io.kvl.schemas.serde.KvlSerdes;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.stream.IntStream;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.connect.file.FileStreamSinkConnector;
import org.apache.kafka.connect.runtime.isolation.PluginClassLoader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The plugins in a real Connect worker (standalone, in this JVM) on a real broker: the camera
 * source on the sample clip, FileStreamSink with the Avro event converter, the alert webhook sink
 * against a failing server.
 */
class ConnectPluginsIT {
    // By name only: the plugins load from the plugin directory, not from this class path.
    private static final String CAMERA_SOURCE = "io.kvl.connect.source.CameraSourceConnector";
    private static final String WEBHOOK_SINK = "io.kvl.connect.sink.AlertWebhookSinkConnector";
    private static final String CONVERTER = "io.kvl.connect.converter.AvroEventConverter";
    private static final String CHUNKS = "kvl.video-chunks";
    private static final String LABELS = "kvl.labeled-frames";
    private static final String ALERTS = "kvl.alerts";
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @TempDir static Path dir;
    private static EmbeddedKafka kafka;
    private static ConnectWorker worker;

    @BeforeAll
    static void startBrokerAndWorker() {
        kafka = EmbeddedKafka.start();
        kafka.createTopics(1, CHUNKS, LABELS, ALERTS);
        worker = ConnectWorker.start(kafka.bootstrapServers(), dir.resolve("offsets"));
    }

    @AfterAll
    static void stop() {
        if (worker != null) {
            worker.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void shouldLoadTheKvlPluginsFromThePluginDirectoryInIsolation() throws IOException {
        String pluginPath = System.getProperty("kvl.connect.plugin.path");
        org.junit.jupiter.api.Assumptions.assumeTrue(pluginPath != null, "run by failsafe");

        assertThat(worker.loaderOf(CAMERA_SOURCE)).isInstanceOf(PluginClassLoader.class);
        assertThat(worker.loaderOf(CONVERTER)).isInstanceOf(PluginClassLoader.class);
        List<String> jars;
        try (var files = Files.list(Path.of(pluginPath, "kvl-connectors", "lib"))) {
            jars = files.map(p -> p.getFileName().toString()).sorted().toList();
        }
        assertThat(jars)
                .anyMatch(j -> j.startsWith("kvl-connectors-"))
                .anyMatch(j -> j.startsWith("ffmpeg-") && j.contains("linux-x86_64"))
                .noneMatch(
                        j ->
                                j.matches(
                                        "(api-[0-9]|tensorflow|protobuf|kafka|connect-|slf4j|lz4"
                                                + "|snappy|zstd).*"));
        // Nothing runs the plugins' classes from the test class path by mistake.
        assertThatThrownBy(() -> Class.forName(CAMERA_SOURCE))
                .isInstanceOf(ClassNotFoundException.class);
    }

    @Test
    void shouldReadTheClipIntoChunksThatDecodeToItsFrameCount() throws Exception {
        Path clip = CarClip.path();
        Map<String, String> config = new HashMap<>();
        config.put("connector.class", CAMERA_SOURCE);
        config.put("tasks.max", "1");
        config.put("cameras", "car=" + clip.toUri());
        config.put("topic", CHUNKS);
        config.put("file.realtime", "false");
        config.put("key.converter", "org.apache.kafka.connect.storage.StringConverter");
        config.put("value.converter", "org.apache.kafka.connect.converters.ByteArrayConverter");
        worker.createConnector("camera-source", config);

        List<ConsumerRecord<String, byte[]>> records =
                TopicIo.consume(kafka.bootstrapServers(), CHUNKS, CarClip.CHUNKS);

        int frames = 0;
        long nextFrame = 0;
        for (int i = 0; i < records.size(); i++) {
            assertThat(records.get(i).key()).isEqualTo("car");
            VideoChunk chunk = KvlSerdes.videoChunk().deserialize(CHUNKS, records.get(i).value());
            assertThat(chunk.getSequence()).isEqualTo(i);
            assertThat(chunk.getFirstFrameIndex()).isEqualTo(nextFrame);
            assertThat(records.get(i).timestamp())
                    .isEqualTo(chunk.getStartTimestamp().toEpochMilli());
            frames += Chunks.decodedFrames(chunk);
            nextFrame += chunk.getFrameCount();
        }
        assertThat(frames).isEqualTo(CarClip.FRAMES);
        assertThat(cameraMetric("car", "camera-chunks-total")).isEqualTo((long) CarClip.CHUNKS);
        assertThat(cameraMetric("car", "camera-state")).isEqualTo("FINISHED");

        // Offsets survive the connector: created again, it resumes after the last chunk, which
        // for a finished file means nothing more.
        worker.deleteConnector("camera-source");
        worker.createConnector("camera-source", config);
        Thread.sleep(2000);
        assertThat(TopicIo.consume(kafka.bootstrapServers(), CHUNKS, CarClip.CHUNKS))
                .hasSize(CarClip.CHUNKS);
        worker.deleteConnector("camera-source");
    }

    @Test
    void shouldWriteOneReadableLinePerLabeledFrameWithFileStreamSink() throws Exception {
        int count = 5;
        TopicIo.produce(
                kafka.bootstrapServers(),
                LABELS,
                IntStream.range(0, count)
                        .mapToObj(
                                i ->
                                        KvlSerdes.labeledFrame()
                                                .serialize(LABELS, SampleEvents.labeledFrame(i)))
                        .toList());
        Path file = dir.resolve("labels.txt");
        Map<String, String> config = new HashMap<>();
        config.put("connector.class", FileStreamSinkConnector.class.getName());
        config.put("tasks.max", "1");
        config.put("topics", LABELS);
        config.put("file", file.toString());
        config.put("key.converter", "org.apache.kafka.connect.storage.StringConverter");
        config.put("value.converter", CONVERTER);
        worker.createConnector("labels-file", config);

        List<String> lines = awaitLines(file, count);

        assertThat(lines).hasSize(count);
        for (int i = 0; i < count; i++) {
            LabeledFrame frame = SampleEvents.labeledFrame(i);
            assertThat(lines.get(i))
                    .startsWith("Struct{cameraId=cam-1,captureTimestamp=")
                    .contains("frameIndex=" + i + ",")
                    .contains("Struct{classIndex=817,name=sports car,score=0.71}")
                    .contains("model=Struct{name=efficientnet,variant=lite0,version=v1}")
                    .contains("keyframe=" + frame.getKeyframe());
        }
        worker.deleteConnector("labels-file");
    }

    @Test
    void shouldDeliverEveryAlertExactlyOnceToAWebhookThatFailsAtFirst() throws Exception {
        int count = 10;
        List<Alert> alerts = IntStream.range(0, count).mapToObj(SampleEvents::alert).toList();
        TopicIo.produce(
                kafka.bootstrapServers(),
                ALERTS,
                alerts.stream().map(a -> KvlSerdes.alert().serialize(ALERTS, a)).toList());
        try (WebhookServer server = WebhookServer.start(n -> n <= 3 ? 503 : 200)) {
            Map<String, String> config = new HashMap<>();
            config.put("connector.class", WEBHOOK_SINK);
            config.put("tasks.max", "1");
            config.put("topics", ALERTS);
            config.put("webhook.url", server.url());
            config.put("webhook.auth.header", "Bearer it-secret");
            config.put("max.retries", "5");
            config.put("retry.backoff.ms", "200");
            config.put("key.converter", "org.apache.kafka.connect.storage.StringConverter");
            config.put("value.converter", CONVERTER);
            worker.createConnector("alert-webhook", config);

            await(() -> server.acknowledgedKeys().size() >= count);
            Thread.sleep(1000); // anything sent twice would arrive now

            List<String> ids = alerts.stream().map(Alert::getAlertId).toList();
            assertThat(server.acknowledgedKeys()).containsExactlyInAnyOrderElementsOf(ids);
            assertThat(server.acknowledgedKeys()).doesNotHaveDuplicates();
            assertThat(server.requests()).hasSize(count + 3);
            assertThat(server.requests())
                    .allSatisfy(
                            r ->
                                    assertThat(r.headers().get("Authorization"))
                                            .containsExactly("Bearer it-secret"))
                    .allSatisfy(
                            r ->
                                    assertThat(r.body())
                                            .contains(
                                                    "\"alertId\":\"" + r.idempotencyKey() + "\""));
            assertThat(worker.status("alert-webhook").tasks().get(0).state()).isEqualTo("RUNNING");
            worker.deleteConnector("alert-webhook");
        }
    }

    /** A per-camera plugin metric of the source task, read over JMX as an operator would. */
    private static Object cameraMetric(String camera, String name) throws Exception {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        Set<ObjectName> names =
                server.queryNames(
                        new ObjectName("kafka.connect:type=plugins,camera=" + camera + ",*"), null);
        assertThat(names)
                .as(server.queryNames(new ObjectName("kafka.connect*:*"), null).toString())
                .hasSize(1);
        return server.getAttribute(names.iterator().next(), name);
    }

    private static List<String> awaitLines(Path file, int count) throws Exception {
        await(() -> readLines(file).size() >= count);
        Thread.sleep(500);
        return readLines(file);
    }

    private static List<String> readLines(Path file) {
        try {
            return Files.exists(file)
                    ? Files.readAllLines(file, StandardCharsets.UTF_8)
                    : List.of();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition met in time").isLessThan(deadline);
            Thread.sleep(100);
        }
    }
}
