package io.kvl.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kvl.cli.Kvl;
import io.kvl.kafka.embedded.EmbeddedKafka;
import io.kvl.schemas.LabeledFrame;
import io.kvl.schemas.VideoChunk;
import io.kvl.schemas.serde.KvlSerdes;
import io.kvl.streams.config.LabelerConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's main command in a shortened mode (three cameras, one chunk each, not real time)
 * against a broker this test owns, so that it can check the topics afterwards; and the demo stopped
 * with Ctrl-C in a child JVM.
 */
class DemoCommandIT {
    /** FpsSampler at 2 fps keeps every 15th frame of the 29.83 fps bottle clip. */
    private static final int FRAMES_PER_SAMPLED_FRAME = 15;

    @Test
    void demoShouldEndWithEverySampledFrameOnTheLabelsTopicAndLeaveNoStateBehind(@TempDir Path tmp)
            throws Exception {
        String bottle =
                Path.of(System.getProperty("kvl.home"), "samples", "bottle-detection.mp4")
                        .toString();
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            StringWriter out = new StringWriter();
            int code =
                    Kvl.commandLine()
                            .setOut(new PrintWriter(out))
                            .execute(
                                    "demo",
                                    "--bootstrap-servers",
                                    kafka.bootstrapServers(),
                                    "--fast",
                                    "--http-port",
                                    "0",
                                    "--video",
                                    bottle,
                                    "--video",
                                    bottle,
                                    "--video",
                                    bottle,
                                    "--max-chunks",
                                    "1",
                                    "--report",
                                    tmp.resolve("report").toString(),
                                    "--json");
            assertThat(code).as(out.toString()).isZero();
            String[] lines = out.toString().strip().split("\n");
            JsonNode summary = new ObjectMapper().readTree(lines[lines.length - 1]);

            Topics topics = Topics.read(kafka);

            assertThat(summary.get("cameras")).hasSize(3);
            Set<Integer> partitionsUsed = new HashSet<>();
            for (Map.Entry<String, JsonNode> camera : summary.get("cameras").properties()) {
                assertCamera(camera.getKey(), camera.getValue(), topics);
                partitionsUsed.add(camera.getValue().get("partition").asInt());
            }
            // Three cameras, three partitions: hashing their ids would put two on one.
            assertThat(partitionsUsed).hasSize(3);
            assertThat(summary.get("frames_labeled").asInt()).isEqualTo(topics.labelRecords());
            String mine = DemoCleanup.STATE_PREFIX + ProcessHandle.current().pid() + "-";
            assertThat(stateFolders(DemoCleanup.stateRoot()))
                    .as("state folders of this JVM left behind")
                    .noneMatch(p -> p.getFileName().toString().startsWith(mine));

            assertThat(summary.get("alerts")).isNotEmpty();
            assertThat(summary.get("alerts").get(0).get("rule").asText())
                    .isEqualTo("bottle-on-table");
            String html = Files.readString(Path.of(summary.get("report").asText()));
            assertThat(html)
                    .contains("<img src='data:image/jpeg;base64,")
                    .contains("<polyline")
                    .contains("<text class='tick'")
                    .contains("bottle-on-table");
            assertThat(out.toString()).contains("progress:").contains("ALERT bottle-on-table");
        }
    }

    @Test
    void demoStoppedWithCtrlCShouldDeleteItsStateFolderAndBroker(@TempDir Path tmp)
            throws Exception {
        // A temp directory of its own, so that only this demo's folders are in it.
        Path childTmp = Files.createDirectories(tmp.resolve("tmp"));
        Path log = tmp.resolve("demo.log");
        Process demo =
                DemoProcess.start(
                        childTmp,
                        log,
                        "--cameras",
                        "1",
                        "--http-port",
                        "0",
                        "--report",
                        tmp.resolve("report").toString());
        try {
            // Labeling in real time (the clip plays for 40 s): the state folder is in use.
            awaitLine(log, "progress:", demo, Duration.ofMinutes(3));
            assertThat(stateFolders(childTmp)).hasSize(1);
            assertThat(brokerFolders(childTmp)).hasSize(1);

            Process ctrlC = new ProcessBuilder("kill", "-INT", Long.toString(demo.pid())).start();
            assertThat(ctrlC.waitFor()).isZero();

            assertThat(demo.waitFor(90, TimeUnit.SECONDS)).as("demo stopped").isTrue();
            // 128 + SIGINT: ended by the signal, not by finishing the clip.
            assertThat(demo.exitValue()).as(Files.readString(log)).isEqualTo(130);
            assertThat(stateFolders(childTmp)).isEmpty();
            assertThat(brokerFolders(childTmp)).isEmpty();
        } finally {
            demo.destroyForcibly();
        }
    }

    /** One camera of the summary against what the topics hold. */
    private static void assertCamera(String camera, JsonNode c, Topics topics) {
        int sampled = c.get("frames_sampled").asInt();
        int published = topics.framesPublished().get(camera);
        assertThat(sampled)
                .isEqualTo((published + FRAMES_PER_SAMPLED_FRAME - 1) / FRAMES_PER_SAMPLED_FRAME);
        assertThat(c.get("frames_labeled").asInt()).isEqualTo(sampled);
        // The topic itself: every sampled frame, each once.
        assertThat(topics.labeled().get(camera)).hasSize(sampled).doesNotHaveDuplicates();
        // One partition per camera, the one the summary names.
        assertThat(topics.chunkPartitions().get(camera))
                .containsExactly(c.get("partition").asInt());
        // The bundled clip shows bottles on a table: the model must say so.
        assertThat(c.get("top_labels").fieldNames()).toIterable().contains("water bottle");
    }

    /** What the demo left on its topics. */
    private record Topics(
            Map<String, List<Long>> labeled,
            int labelRecords,
            Map<String, Integer> framesPublished,
            Map<String, Set<Integer>> chunkPartitions) {

        static Topics read(EmbeddedKafka kafka) {
            List<ConsumerRecord<byte[], byte[]>> labels =
                    readAll(kafka, LabelerConfig.LABELS_TOPIC_DEFAULT);
            Map<String, List<Long>> labeled = new HashMap<>();
            for (ConsumerRecord<byte[], byte[]> r : labels) {
                LabeledFrame f = KvlSerdes.labeledFrame().deserialize(r.topic(), r.value());
                labeled.computeIfAbsent(f.getCameraId(), k -> new ArrayList<>())
                        .add(f.getFrameIndex());
            }
            Map<String, Integer> frames = new HashMap<>();
            Map<String, Set<Integer>> partitions = new HashMap<>();
            for (ConsumerRecord<byte[], byte[]> r :
                    readAll(kafka, LabelerConfig.CHUNKS_TOPIC_DEFAULT)) {
                VideoChunk c = KvlSerdes.videoChunk().deserialize(r.topic(), r.value());
                frames.merge(c.getCameraId(), c.getFrameCount(), Integer::sum);
                partitions
                        .computeIfAbsent(c.getCameraId(), k -> new HashSet<>())
                        .add(r.partition());
            }
            return new Topics(labeled, labels.size(), frames, partitions);
        }
    }

    private static List<Path> stateFolders(Path dir) throws IOException {
        return list(dir, DemoCleanup.STATE_PREFIX);
    }

    /** {@code EmbeddedKafka}'s log directory. */
    private static List<Path> brokerFolders(Path dir) throws IOException {
        return list(dir, "kvl-kafka-");
    }

    private static List<Path> list(Path dir, String prefix) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().startsWith(prefix)).toList();
        }
    }

    private static void awaitLine(Path log, String text, Process p, Duration timeout)
            throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!Files.readString(log).contains(text)) {
            assertThat(p.isAlive()).as("demo still running: %s", Files.readString(log)).isTrue();
            assertThat(System.nanoTime()).as("'%s' within %s", text, timeout).isLessThan(deadline);
            Thread.sleep(200);
        }
    }

    /** Every committed record of {@code topic} (the demo has ended: nothing more comes). */
    static List<ConsumerRecord<byte[], byte[]>> readAll(EmbeddedKafka kafka, String topic) {
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(
                        Map.of(
                                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                                kafka.bootstrapServers(),
                                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                                "read_committed",
                                ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG,
                                Integer.toString(32 << 20),
                                ConsumerConfig.FETCH_MAX_BYTES_CONFIG,
                                Integer.toString(64 << 20)),
                        new ByteArrayDeserializer(),
                        new ByteArrayDeserializer())) {
            List<TopicPartition> partitions =
                    consumer.partitionsFor(topic).stream()
                            .map(p -> new TopicPartition(topic, p.partition()))
                            .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < ends.get(tp))) {
                assertThat(System.nanoTime()).as("read %s to its end", topic).isLessThan(deadline);
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        return records;
    }
}
