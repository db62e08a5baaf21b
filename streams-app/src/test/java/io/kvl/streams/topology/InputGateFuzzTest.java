package io.kvl.streams.topology;

import static java.util.Map.entry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.bytedeco.ffmpeg.global.avutil.AV_LOG_FATAL;
import static org.bytedeco.ffmpeg.global.avutil.av_log_set_level;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.kvl.schemas.DeadLetter;
import io.kvl.schemas.LabeledFrame;
import io.kvl.schemas.serde.KvlSerdes;
import io.kvl.streams.config.LabelerConfig;
import io.kvl.streams.inference.FakeModel;
import io.kvl.streams.inference.FrameClassifier;
import io.kvl.streams.inference.MicroBatcher;
import io.kvl.streams.metrics.LabelerMetrics;
import io.kvl.testing.Bounded;
import io.kvl.video.ChunkDecoder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Fuzzes what strangers control at the application's edge, the key and value bytes of records on
 * the chunks and frames topics, through the public labeling topology on TopologyTestDriver (the
 * input gate, Avro, validation, decoding, a fake model behind the real batcher).
 *
 * <p>Property: every record yields either labels (one per declared frame for a chunk, since every
 * frame is sampled; one for a frame) and no dead letter, or exactly one dead letter with a {@code
 * kvl.dlq.reason} header, the record's key and its original bytes, and no label. The driver never
 * throws (a throw would stop a stream thread on the same record again and again), and no record
 * takes longer than {@link #BOUND}.
 */
class InputGateFuzzTest {
    private static final String CHUNKS = "chunks";
    private static final String FRAMES = "frames";
    private static final String LABELS = "labels";
    private static final String DLQ = "dlq";
    private static final int RESOLUTION = 32;
    private static final int MAX_CHUNK_BYTES = 256 << 10;
    private static final int MAX_FRAME_BYTES = 8 << 10;
    private static final Set<String> STAGES = Set.of("validate", "deserialize", "decode");

    /** The longest a record may take; the seeds need well under 0.1 s each. */
    private static final Duration BOUND = Duration.ofSeconds(5);

    private static MicroBatcher classifier;
    private static Path stateDir;
    private static TopologyTestDriver driver;
    private static TestInputTopic<byte[], byte[]> chunks;
    private static TestInputTopic<byte[], byte[]> frames;
    private static TestOutputTopic<byte[], byte[]> labels;
    private static TestOutputTopic<byte[], byte[]> deadLetters;

    static Stream<Arguments> labelOrDeadLetter() throws Exception {
        return Stream.concat(
                        GateSeeds.all().stream().map(RecordInput::encode),
                        GateSeeds.recipes().stream())
                .map(input -> arguments((Object) input));
    }

    @BeforeAll
    static void start() throws Exception {
        new ChunkDecoder(); // loads FFmpeg, so that the log level below sticks
        // Mutated chunks make FFmpeg log an error per damaged macroblock; outcomes are judged by
        // the topics, not by that log.
        av_log_set_level(AV_LOG_FATAL);
        LabelerConfig config =
                new LabelerConfig(
                        Map.ofEntries(
                                entry("bootstrap.servers", "unused:9092"),
                                entry(LabelerConfig.CHUNKS_TOPIC_CONFIG, CHUNKS),
                                entry(LabelerConfig.FRAMES_TOPIC_CONFIG, FRAMES),
                                entry(LabelerConfig.LABELS_TOPIC_CONFIG, LABELS),
                                entry(LabelerConfig.DLQ_TOPIC_CONFIG, DLQ),
                                entry(LabelerConfig.MAX_CHUNK_BYTES_CONFIG, MAX_CHUNK_BYTES),
                                entry(LabelerConfig.MAX_FRAME_BYTES_CONFIG, MAX_FRAME_BYTES),
                                entry(LabelerConfig.CAMERAS_CONFIG, GateSeeds.CAMERA + ",cam-2"),
                                // Every frame sampled: a good chunk always yields labels.
                                entry(LabelerConfig.SAMPLING_MODE_CONFIG, "all"),
                                // One thread: nobody else could fill a batch, so do not wait.
                                entry(LabelerConfig.BATCH_MAX_DELAY_MS_CONFIG, 0L)));
        classifier =
                new FakeModel().batcher(RESOLUTION, config.batchSize(), config.batchMaxDelayMs());
        driver = openTopology(config, classifier);
        chunks =
                driver.createInputTopic(
                        CHUNKS, new ByteArraySerializer(), new ByteArraySerializer());
        frames =
                driver.createInputTopic(
                        FRAMES, new ByteArraySerializer(), new ByteArraySerializer());
        labels =
                driver.createOutputTopic(
                        LABELS, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        deadLetters =
                driver.createOutputTopic(
                        DLQ, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /**
     * All wiring of the application under test, in one place, to adapt when the processors'
     * construction changes.
     */
    private static TopologyTestDriver openTopology(LabelerConfig config, FrameClassifier classifier)
            throws Exception {
        Properties streams = config.streamsProperties();
        streams.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE);
        stateDir = Files.createTempDirectory("kvl-fuzz-state");
        streams.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        return new TopologyTestDriver(
                LabelerTopology.build(
                        config, classifier, new LabelerMetrics(new SimpleMeterRegistry())),
                streams);
    }

    @AfterAll
    static void stop() throws Exception {
        if (driver != null) {
            driver.close();
        }
        if (classifier != null) {
            classifier.close();
        }
        if (stateDir != null) {
            try (Stream<Path> files = Files.walk(stateDir)) {
                for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(f);
                }
            }
        }
    }

    @MethodSource
    @FuzzTest(maxDuration = "20s")
    void labelOrDeadLetter(byte[] bytes) throws Exception {
        GateSeeds.Input in = RecordInput.parse(bytes);
        Bounded.call(
                BOUND,
                () -> {
                    (in.frames() ? frames : chunks).pipeInput(in.key(), in.value());
                    return null;
                });
        List<TestRecord<byte[], byte[]>> labelled = labels.readRecordsToList();
        List<TestRecord<byte[], byte[]>> dead = deadLetters.readRecordsToList();
        if (dead.isEmpty()) {
            assertLabelled(in, labelled);
        } else {
            assertThat(labelled).as("labels besides a dead letter").isEmpty();
            assertThat(dead).as("dead letters of one record").hasSize(1);
            assertDeadLetter(in, dead.get(0));
        }
    }

    private static void assertLabelled(GateSeeds.Input in, List<TestRecord<byte[], byte[]>> out) {
        assertThat(in.value()).as("a tombstone cannot be labelled").isNotNull();
        int expected =
                in.frames()
                        ? 1
                        : KvlSerdes.videoChunk().deserialize(CHUNKS, in.value()).getFrameCount();
        assertThat(out).as("labels of an accepted record").hasSize(expected);
        for (TestRecord<byte[], byte[]> r : out) {
            LabeledFrame frame = KvlSerdes.labeledFrame().deserialize(LABELS, r.value());
            assertThat(r.key()).isEqualTo(frame.getCameraId().getBytes(StandardCharsets.UTF_8));
            assertThat(frame.getLabels()).isNotEmpty();
        }
    }

    private static void assertDeadLetter(GateSeeds.Input in, TestRecord<byte[], byte[]> r) {
        String reason = header(r, "kvl.dlq.reason");
        assertThat(reason).as("kvl.dlq.reason").isNotBlank();
        assertThat(header(r, "kvl.dlq.stage")).isIn(STAGES);
        assertThat(r.key()).as("dead letter key").isEqualTo(in.key());
        DeadLetter envelope = KvlSerdes.deadLetter().deserialize(DLQ, r.value());
        assertThat(envelope.getReason()).startsWith(reason + ": ");
        ByteBuffer original = envelope.getOriginalValue();
        assertThat(original == null ? null : bytes(original))
                .as("original value")
                .isEqualTo(in.value());
    }

    private static String header(TestRecord<byte[], byte[]> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    private static byte[] bytes(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
    }
}
