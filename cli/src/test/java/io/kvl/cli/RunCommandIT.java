package io.kvl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.kvl.kafka.embedded.EmbeddedKafka;
import io.kvl.schemas.Label;
import io.kvl.schemas.LabeledFrame;
import io.kvl.schemas.VideoChunk;
import io.kvl.schemas.serde.KvlSerdes;
import io.kvl.simulator.ClipPublisher;
import io.kvl.testing.Fixtures;
import io.kvl.video.VideoChunks;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code kvl run --config FILE} against a real in-process broker. */
class RunCommandIT {
    private static EmbeddedKafka kafka;

    @TempDir Path tmp;

    @BeforeAll
    static void startBroker() {
        kafka = EmbeddedKafka.start();
    }

    @AfterAll
    static void stopBroker() {
        if (kafka != null) {
            kafka.close();
        }
    }

    private Path config(String... lines) throws Exception {
        return Files.writeString(
                tmp.resolve("labeler.properties"),
                "bootstrap.servers=" + kafka.bootstrapServers() + "\n" + String.join("\n", lines));
    }

    @Test
    void shouldFailNamingTheInputTopicsThatAreMissing() throws Exception {
        Path file =
                config(
                        "topic.chunks=absent.chunks",
                        "topic.frames=absent.frames",
                        "topic.labels=absent.labels");

        CliRun run = CliRun.of("run", "--config", file.toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err())
                .startsWith(
                        "kvl run: input topics missing on "
                                + kafka.bootstrapServers()
                                + ": absent.chunks, absent.frames, absent.labels (create them");
    }

    @Test
    void shouldLabelChunksOfTheConfiguredTopicsUntilStopped() throws Exception {
        kafka.createTopics(1, Map.of("max.message.bytes", Integer.toString(16 << 20)), "it.chunks");
        kafka.createTopics(
                1, "it.frames", "it.labels", "it.dead-letters", "it.counts", "it.alerts");
        Path file =
                config(
                        "application.id=kvl-run-it",
                        "state.dir=" + tmp.resolve("state"),
                        "num.stream.threads=1",
                        "commit.interval.ms=200",
                        "http.port=-1",
                        "topic.chunks=it.chunks",
                        "topic.frames=it.frames",
                        "topic.labels=overridden.below",
                        "topic.dead.letters=it.dead-letters",
                        "topic.label.counts=it.counts",
                        "topic.alerts=it.alerts");
        VideoChunk chunk =
                VideoChunks.ofClip(
                                Fixtures.sampleClip(Fixtures.BOTTLE_CLIP),
                                "it-camera",
                                System.currentTimeMillis())
                        .get(0);
        // sampling.fps defaults to 2: every 15th frame of the 29.83 fps clip (see FpsSampler).
        List<Long> expected =
                LongStream.iterate(0, i -> i < chunk.getFrameCount(), i -> i + 15).boxed().toList();
        List<LabeledFrame> labels = new ArrayList<>();
        CommandLine cli = Kvl.commandLine();
        RunCommand command = cli.getSubcommands().get("run").getCommand();
        command.environment = Map.of("KVL_TOPIC_LABELS", "it.labels");
        command.lifetime =
                app -> {
                    try {
                        publish(chunk);
                        labels.addAll(readLabels("it.labels", expected.size()));
                    } finally {
                        app.close();
                    }
                };

        CliRun run = CliRun.of(cli, "run", "--config", file.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out())
                .isEqualTo(
                        "kvl run: labeling it.chunks and it.frames into it.labels (application.id"
                                + " kvl-run-it); stop with Ctrl-C or SIGTERM\n");
        assertThat(labels).extracting(LabeledFrame::getCameraId).containsOnly("it-camera");
        assertThat(labels)
                .extracting(LabeledFrame::getFrameIndex)
                .containsExactlyElementsOf(expected);
        // The bundled model on the bottle clip: bottles on a table.
        assertThat(labels)
                .flatExtracting(LabeledFrame::getLabels)
                .extracting(Label::getName)
                .contains("water bottle");
    }

    private static void publish(VideoChunk chunk) throws Exception {
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(
                        Map.of(
                                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                                kafka.bootstrapServers(),
                                ProducerConfig.MAX_REQUEST_SIZE_CONFIG,
                                Integer.toString(16 << 20)),
                        new ByteArraySerializer(),
                        new ByteArraySerializer())) {
            new ClipPublisher(producer, "it.chunks").publish(List.of(chunk), false);
        }
    }

    /** Committed labels, until {@code count} arrived or a minute passed. */
    private static List<LabeledFrame> readLabels(String topic, int count) {
        List<LabeledFrame> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(
                        Map.of(
                                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                                kafka.bootstrapServers(),
                                ConsumerConfig.GROUP_ID_CONFIG,
                                "run-it-reader",
                                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                                "earliest",
                                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                                "read_committed"),
                        new ByteArrayDeserializer(),
                        new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
            while (out.size() < count && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    out.add(KvlSerdes.labeledFrame().deserialize(r.topic(), r.value()));
                }
            }
        }
        return out;
    }
}
