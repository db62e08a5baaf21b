package io.kvl.streams.it;

import io.kvl.schemas.LabeledFrame;
import io.kvl.schemas.VideoChunk;
import io.kvl.schemas.serde.KvlSerdes;
import io.kvl.testing.Fixtures;
import io.kvl.video.ChunkSampler;
import io.kvl.video.DecodedFrame;
import io.kvl.video.SamplingMode;
import io.kvl.video.VideoChunks;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The two sample clips played as four cameras, and what the labels topic must hold for them: the
 * reference selection is computed here with the same decoder and sampler, independently of the
 * application under test.
 */
final class Cameras {
    static final double FPS = 2.0;

    /**
     * Capture time of the clips' first frame: the current minute, like a live camera. Chunks carry
     * their capture time as the record timestamp, and the broker deletes records older than the
     * topic's retention.ms (7 days by default) at its first retention check, 30 s after start: a
     * fixed date in the past would silently empty the topics under any test that runs longer than
     * that (a restarted instance then finds its committed offsets out of range and skips the rest).
     * Whole minutes keep window boundaries where they were with the former fixed start.
     */
    static final long CLIP_START_MILLIS = System.currentTimeMillis() / 60_000 * 60_000;

    final Map<String, List<VideoChunk>> chunks = new LinkedHashMap<>();

    static Path clip(String name) {
        return Fixtures.sampleClip(name);
    }

    static Cameras fourCameras() throws Exception {
        Cameras c = new Cameras();
        Path bottle = clip("bottle-detection.mp4");
        Path car = clip("car-detection.mp4");
        c.chunks.put("bottle-1", VideoChunks.ofClip(bottle, "bottle-1", CLIP_START_MILLIS));
        c.chunks.put("bottle-2", VideoChunks.ofClip(bottle, "bottle-2", CLIP_START_MILLIS + 7));
        c.chunks.put("car-1", VideoChunks.ofClip(car, "car-1", CLIP_START_MILLIS));
        c.chunks.put("car-2", VideoChunks.ofClip(car, "car-2", CLIP_START_MILLIS + 13));
        return c;
    }

    /** Camera to the frame indices the application must label, in order. */
    Map<String, List<Long>> expectedFrames() throws Exception {
        ChunkSampler sampler = new ChunkSampler(SamplingMode.FPS, FPS, 16);
        Map<String, List<Long>> expected = new LinkedHashMap<>();
        for (Map.Entry<String, List<VideoChunk>> e : chunks.entrySet()) {
            OptionalLong position = OptionalLong.empty();
            List<Long> frames = new ArrayList<>();
            for (VideoChunk chunk : e.getValue()) {
                ChunkSampler.Sampled sampled = sampler.sample(chunk, position);
                position = sampled.position();
                for (DecodedFrame f : sampled.frames()) {
                    frames.add(chunk.getFirstFrameIndex() + f.indexInChunk());
                }
            }
            expected.put(e.getKey(), frames);
        }
        return expected;
    }

    List<VideoChunk> interleaved() {
        List<VideoChunk> all = new ArrayList<>();
        int max = chunks.values().stream().mapToInt(List::size).max().orElse(0);
        for (int i = 0; i < max; i++) {
            for (List<VideoChunk> camera : chunks.values()) {
                if (i < camera.size()) {
                    all.add(camera.get(i));
                }
            }
        }
        return all;
    }

    /** Reads committed labeled frames until {@code count} arrived or the timeout passed. */
    static List<LabeledFrame> readCommitted(
            String bootstrap, String topic, int count, Duration timeout) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "verifier-" + System.nanoTime());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<LabeledFrame> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + timeout.toNanos();
            // Keep reading a little after the count is reached: duplicates would show up there.
            long settle = -1;
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    out.add(KvlSerdes.labeledFrame().deserialize(topic, r.value()));
                }
                if (out.size() >= count && settle < 0) {
                    settle = System.nanoTime() + Duration.ofSeconds(3).toNanos();
                }
                if (settle > 0 && System.nanoTime() > settle) {
                    break;
                }
            }
        }
        return out;
    }

    /** Camera to the labeled frame indices, in the order they were read. */
    static Map<String, List<Long>> byCamera(List<LabeledFrame> frames) {
        Map<String, List<Long>> m = new LinkedHashMap<>();
        for (LabeledFrame f : frames) {
            m.computeIfAbsent(f.getCameraId(), k -> new ArrayList<>()).add(f.getFrameIndex());
        }
        return m;
    }

    static int total(Map<String, List<Long>> m) {
        return m.values().stream().mapToInt(List::size).sum();
    }
}
