package io.kvl.streams.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.kvl.schemas.DeadLetter;
import io.kvl.schemas.Frame;
import io.kvl.schemas.ImageEncoding;
import io.kvl.schemas.LabeledFrame;
import io.kvl.schemas.VideoChunk;
import io.kvl.schemas.serde.AvroBytes;
import io.kvl.schemas.serde.KvlSerdes;
import io.kvl.streams.config.LabelerConfig;
import io.kvl.streams.inference.FakeModel;
import io.kvl.streams.inference.MicroBatcher;
import io.kvl.streams.metrics.LabelerMetrics;
import io.kvl.testing.Fixtures;
import io.kvl.video.FpsSampler;
import io.kvl.video.VideoChunks;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import javax.imageio.ImageIO;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The labeling topology on TopologyTestDriver, with a deterministic model behind a real batcher.
 */
class LabelerTopologyTest {
    private static final String CHUNKS = "chunks";
    private static final String FRAMES = "frames";
    private static final String LABELS = "labels";
    private static final String DLQ = "dlq";

    private TopologyTestDriver driver;
    private MicroBatcher batcher;
    private FakeModel model;
    private TestInputTopic<byte[], byte[]> chunks;
    private TestInputTopic<byte[], byte[]> frames;
    private TestOutputTopic<byte[], byte[]> labels;
    private TestOutputTopic<byte[], byte[]> deadLetters;

    private void start(Map<String, Object> overrides) {
        Map<String, Object> props = new HashMap<>();
        props.put("bootstrap.servers", "unused:9092");
        props.put(LabelerConfig.CHUNKS_TOPIC_CONFIG, CHUNKS);
        props.put(LabelerConfig.FRAMES_TOPIC_CONFIG, FRAMES);
        props.put(LabelerConfig.LABELS_TOPIC_CONFIG, LABELS);
        props.put(LabelerConfig.DLQ_TOPIC_CONFIG, DLQ);
        props.put(LabelerConfig.MAX_CHUNK_BYTES_CONFIG, 4 << 20);
        // TopologyTestDriver has one thread: nobody else could fill a batch, so do not wait.
        props.put(LabelerConfig.BATCH_MAX_DELAY_MS_CONFIG, 0L);
        props.putAll(overrides);
        LabelerConfig config = new LabelerConfig(props);
        model = new FakeModel();
        batcher = model.batcher(224, config.batchSize(), config.batchMaxDelayMs());
        Properties streams = config.streamsProperties();
        streams.put("processing.guarantee", "at_least_once");
        driver =
                new TopologyTestDriver(
                        LabelerTopology.build(
                                config, batcher, new LabelerMetrics(new SimpleMeterRegistry())),
                        streams);
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

    @AfterEach
    void close() {
        if (driver != null) {
            driver.close();
        }
        if (batcher != null) {
            batcher.close();
        }
    }

    private static byte[] key(String camera) {
        return camera.getBytes(StandardCharsets.UTF_8);
    }

    private static String header(TestRecord<byte[], byte[]> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    private static Path clip(String name) {
        return Fixtures.sampleClip(name);
    }

    private List<LabeledFrame> readLabels() {
        return labels.readValuesToList().stream()
                .map(v -> KvlSerdes.labeledFrame().deserialize(LABELS, v))
                .toList();
    }

    /** Exactly one dead letter, with {@code reason} (any reason when null). */
    private DeadLetter onlyDeadLetter(byte[] expectedKey, byte[] expectedValue, String reason) {
        List<TestRecord<byte[], byte[]>> dl = deadLetters.readRecordsToList();
        assertThat(dl).hasSize(1);
        TestRecord<byte[], byte[]> r = dl.get(0);
        assertThat(r.key()).isEqualTo(expectedKey);
        if (reason != null) {
            assertThat(header(r, "kvl.dlq.reason")).isEqualTo(reason);
        }
        assertThat(header(r, "kvl.dlq.source.topic")).isNotBlank();
        DeadLetter envelope = KvlSerdes.deadLetter().deserialize(DLQ, r.value());
        assertThat(AvroBytes.copy(envelope.getOriginalValue())).isEqualTo(expectedValue);
        assertThat(envelope.getReason()).startsWith(header(r, "kvl.dlq.reason") + ": ");
        assertThat(labels.isEmpty()).isTrue();
        return envelope;
    }

    @Test
    void shouldRouteCorruptAvroToDeadLettersWithTheOriginalBytes() throws Exception {
        start(Map.of());
        byte[] garbage = {(byte) 0xC3, 0x01, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
        chunks.pipeInput(key("cam-1"), garbage);
        DeadLetter d = onlyDeadLetter(key("cam-1"), garbage, "corrupt-avro");
        assertThat(d.getStage()).isEqualTo("deserialize");
        // The pipeline keeps running: a good record after the bad one is still processed.
        frames.pipeInput(key("cam-1"), frame("cam-1", png(7), ImageEncoding.PNG));
        assertThat(readLabels()).hasSize(1);
    }

    @Test
    void shouldRouteOversizeChunksToDeadLetters() {
        start(Map.of(LabelerConfig.MAX_CHUNK_BYTES_CONFIG, 2048));
        byte[] big = KvlSerdes.videoChunk().serialize(CHUNKS, chunk("cam-1", new byte[4096], 10));
        chunks.pipeInput(key("cam-1"), big);
        onlyDeadLetter(key("cam-1"), big, "oversize");
    }

    @Test
    void shouldRouteUnknownCamerasAndMismatchedKeysToDeadLetters() {
        start(Map.of(LabelerConfig.CAMERAS_CONFIG, "cam-1,cam-2"));
        byte[] unknown = KvlSerdes.videoChunk().serialize(CHUNKS, chunk("cam-9", new byte[16], 10));
        chunks.pipeInput(key("cam-9"), unknown);
        onlyDeadLetter(key("cam-9"), unknown, "unknown-camera");
        byte[] mismatched =
                KvlSerdes.videoChunk().serialize(CHUNKS, chunk("cam-2", new byte[16], 10));
        chunks.pipeInput(key("cam-1"), mismatched);
        onlyDeadLetter(key("cam-1"), mismatched, "unknown-camera");
    }

    @Test
    void shouldRouteUndecodableAndInvalidChunksToDeadLetters() {
        start(Map.of());
        byte[] noise = new byte[5000];
        new java.util.Random(3).nextBytes(noise);
        byte[] undecodable = KvlSerdes.videoChunk().serialize(CHUNKS, chunk("cam-1", noise, 10));
        chunks.pipeInput(key("cam-1"), undecodable);
        // Which reason FFmpeg gives random bytes does not matter; that it is a decode failure does.
        DeadLetter d = onlyDeadLetter(key("cam-1"), undecodable, null);
        assertThat(d.getStage()).isEqualTo("decode");
        byte[] zeroFrames = KvlSerdes.videoChunk().serialize(CHUNKS, chunk("cam-1", noise, 0));
        chunks.pipeInput(key("cam-1"), zeroFrames);
        onlyDeadLetter(key("cam-1"), zeroFrames, "invalid-chunk");
    }

    @Test
    void shouldRouteTruncatedChunksToDeadLettersAndKeepGoing() throws Exception {
        start(Map.of(LabelerConfig.SAMPLING_MODE_CONFIG, "all"));
        List<VideoChunk> events =
                VideoChunks.ofClip(clip("bottle-detection.mp4"), "cam-1", 1_000_000L);
        VideoChunk first = events.get(0);
        byte[] data = AvroBytes.copy(first.getData());
        VideoChunk cut =
                VideoChunk.newBuilder(first)
                        .setData(ByteBuffer.wrap(Arrays.copyOf(data, data.length / 2)))
                        .build();
        byte[] cutBytes = KvlSerdes.videoChunk().serialize(CHUNKS, cut);
        chunks.pipeInput(key("cam-1"), cutBytes);
        List<TestRecord<byte[], byte[]>> dl = deadLetters.readRecordsToList();
        assertThat(dl).hasSize(1);
        assertThat(header(dl.get(0), "kvl.dlq.stage")).isEqualTo("decode");
        assertThat(header(dl.get(0), "kvl.dlq.reason"))
                .isIn("truncated", "corrupt-stream", "unreadable-container");
        assertThat(labels.isEmpty()).isTrue();

        chunks.pipeInput(key("cam-1"), KvlSerdes.videoChunk().serialize(CHUNKS, events.get(1)));
        assertThat(readLabels()).hasSize(events.get(1).getFrameCount());
    }

    @Test
    void shouldSampleAtTheTargetRateAcrossChunksInFrameOrder() throws Exception {
        start(Map.of(LabelerConfig.SAMPLING_FPS_CONFIG, 2.0));
        long clipStart = 1_700_000_000_000L;
        List<VideoChunk> events =
                VideoChunks.ofClip(clip("bottle-detection.mp4"), "cam-1", clipStart);
        for (VideoChunk e : events) {
            chunks.pipeInput(
                    key("cam-1"),
                    KvlSerdes.videoChunk().serialize(CHUNKS, e),
                    e.getStartTimestamp().toEpochMilli());
        }
        List<LabeledFrame> out = readLabels();
        // Expected selection: the same sampler over every frame's capture time.
        FpsSampler expected = new FpsSampler(2.0);
        int total = 0;
        int selected = 0;
        for (VideoChunk e : events) {
            for (int i = 0; i < e.getFrameCount(); i++) {
                long micros =
                        e.getStartTimestamp().toEpochMilli() * 1000
                                + Math.round(i * 1_000_000 / e.getFrameRate());
                selected += expected.offer(micros) ? 1 : 0;
                total++;
            }
        }
        assertThat(out).hasSizeBetween(selected - 1, selected + 1);
        assertThat(out.size()).isLessThan(total / 5);
        for (int i = 1; i < out.size(); i++) {
            assertThat(out.get(i).getFrameIndex()).isGreaterThan(out.get(i - 1).getFrameIndex());
            long gapMs =
                    out.get(i).getCaptureTimestamp().toEpochMilli()
                            - out.get(i - 1).getCaptureTimestamp().toEpochMilli();
            assertThat(gapMs).isGreaterThanOrEqualTo(499);
        }
        KeyValueStore<String, Long> store = driver.getKeyValueStore(LabelerTopology.SAMPLING_STORE);
        // The store holds the last labeled frame's capture time (microseconds) for the next chunk.
        assertThat(store.get("cam-1") / 1000)
                .isEqualTo(out.get(out.size() - 1).getCaptureTimestamp().toEpochMilli());
        assertThat(deadLetters.isEmpty()).isTrue();
    }

    @Test
    void shouldLabelOnlyKeyframesInKeyframeMode() throws Exception {
        start(Map.of(LabelerConfig.SAMPLING_MODE_CONFIG, "keyframes"));
        List<VideoChunk> events = VideoChunks.ofClip(clip("bottle-detection.mp4"), "cam-1", 0L);
        for (VideoChunk e : events) {
            chunks.pipeInput(key("cam-1"), KvlSerdes.videoChunk().serialize(CHUNKS, e));
        }
        List<LabeledFrame> out = readLabels();
        // Chunks start at keyframes, so every chunk yields at least its first frame.
        assertThat(out.size()).isGreaterThanOrEqualTo(events.size());
        assertThat(out).allMatch(LabeledFrame::getKeyframe);
        assertThat(out.stream().map(LabeledFrame::getFrameIndex).toList())
                .containsAll(events.stream().map(VideoChunk::getFirstFrameIndex).toList());
    }

    @Test
    void shouldSplitAChunksFramesIntoBatchesOfAtMostBatchSize() throws Exception {
        // A long delay: batches close as soon as they are full, so only the last one waits, and a
        // busy machine that deschedules the caller for a while cannot split a batch.
        start(
                Map.of(
                        LabelerConfig.SAMPLING_MODE_CONFIG,
                        "all",
                        LabelerConfig.BATCH_SIZE_CONFIG,
                        4,
                        LabelerConfig.BATCH_MAX_DELAY_MS_CONFIG,
                        3_000L));
        VideoChunk first = VideoChunks.ofClip(clip("bottle-detection.mp4"), "cam-1", 0L).get(0);
        chunks.pipeInput(key("cam-1"), KvlSerdes.videoChunk().serialize(CHUNKS, first));
        List<LabeledFrame> out = readLabels();
        int n = first.getFrameCount();
        assertThat(out).hasSize(n);
        List<Integer> expectedBatches = new java.util.ArrayList<>();
        for (int left = n; left > 0; left -= 4) {
            expectedBatches.add(Math.min(4, left));
        }
        assertThat(model.batchSizes).isEqualTo(expectedBatches);
        assertThat(out.get(n - 1).getBatchSize())
                .isEqualTo(expectedBatches.get(expectedBatches.size() - 1));
        assertThat(out.get(0).getModel().getName()).isEqualTo("fake");
    }

    @Test
    void shouldLabelSingleImageFramesAndDeadLetterUndecodableOnes() throws Exception {
        start(Map.of());
        frames.pipeInput(key("cam-3"), frame("cam-3", png(42), ImageEncoding.PNG), 5_000L);
        List<LabeledFrame> out = readLabels();
        assertThat(out).hasSize(1);
        assertThat(out.get(0).getLabels().get(0).getClassIndex()).isEqualTo(42);
        assertThat(out.get(0).getCaptureTimestamp()).isEqualTo(Instant.ofEpochMilli(5_000L));

        byte[] broken = frame("cam-3", new byte[] {1, 2, 3}, ImageEncoding.JPEG);
        frames.pipeInput(key("cam-3"), broken);
        DeadLetter d = onlyDeadLetter(key("cam-3"), broken, "undecodable-image");
        assertThat(d.getCameraId()).isEqualTo("cam-3");
    }

    private static VideoChunk chunk(String camera, byte[] data, int frameCount) {
        return VideoChunk.newBuilder()
                .setCameraId(camera)
                .setSequence(0)
                .setContainer("mpegts")
                .setCodec("h264")
                .setStartTimestamp(Instant.ofEpochMilli(1000))
                .setFrameRate(25)
                .setFrameCount(frameCount)
                .setData(ByteBuffer.wrap(data))
                .build();
    }

    private static byte[] frame(String camera, byte[] image, ImageEncoding encoding) {
        Frame f =
                Frame.newBuilder()
                        .setCameraId(camera)
                        .setCaptureTimestamp(Instant.ofEpochMilli(5_000L))
                        .setFrameIndex(1)
                        .setEncoding(encoding)
                        .setData(ByteBuffer.wrap(image))
                        .build();
        return KvlSerdes.frame().serialize(FRAMES, f);
    }

    /** A uniform PNG whose red channel selects the fake model's class. */
    private static byte[] png(int red) throws java.io.IOException {
        BufferedImage img = new BufferedImage(320, 240, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 240; y++) {
            for (int x = 0; x < 320; x++) {
                img.setRGB(x, y, red << 16);
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, "png", out);
        return out.toByteArray();
    }
}
