package io.kvl.systemtest;

import io.kvl.schemas.VideoChunk;
import io.kvl.schemas.serde.KvlSerdes;
import io.kvl.simulator.ClipPublisher;
import io.kvl.testing.Fixtures;
import io.kvl.video.ChunkSampler;
import io.kvl.video.DecodedFrame;
import io.kvl.video.SamplingMode;
import io.kvl.video.VideoChunks;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Cameras played from the sample clips as live streams: each clip looped, with sequence numbers,
 * frame indices and capture times continuing across loops, captured from a given wall-clock start.
 */
final class LiveCameras {
    static final double FPS = 2.0;
    private static final int RESOLUTION = 224;

    private LiveCameras() {}

    /**
     * Chunks of {@code cameras} cameras (bottle and car clips in turn) over {@code loops} loops.
     */
    static Map<String, List<VideoChunk>> play(int cameras, int loops, long startMillis)
            throws Exception {
        List<VideoChunk> bottle =
                VideoChunks.ofClip(Fixtures.sampleClip(Fixtures.BOTTLE_CLIP), "x", 0);
        List<VideoChunk> car = VideoChunks.ofClip(Fixtures.sampleClip(Fixtures.CAR_CLIP), "x", 0);
        Map<String, List<VideoChunk>> out = new LinkedHashMap<>();
        for (int c = 1; c <= cameras; c++) {
            List<VideoChunk> clip = c % 2 == 1 ? bottle : car;
            String camera = (c % 2 == 1 ? "bottle-" : "car-") + c;
            out.put(camera, loop(clip, camera, loops, startMillis + 7L * c));
        }
        return out;
    }

    private static List<VideoChunk> loop(
            List<VideoChunk> clip, String camera, int loops, long startMillis) {
        VideoChunk last = clip.get(clip.size() - 1);
        long clipFrames = last.getFirstFrameIndex() + last.getFrameCount();
        long clipMillis = Math.round(clipFrames * 1000.0 / last.getFrameRate());
        List<VideoChunk> out = new ArrayList<>();
        for (int l = 0; l < loops; l++) {
            for (VideoChunk c : clip) {
                out.add(
                        VideoChunk.newBuilder(c)
                                .setCameraId(camera)
                                .setSequence(out.size())
                                .setFirstFrameIndex(l * clipFrames + c.getFirstFrameIndex())
                                .setStartTimestamp(
                                        Instant.ofEpochMilli(
                                                startMillis
                                                        + l * clipMillis
                                                        + c.getStartTimestamp().toEpochMilli()))
                                .build());
            }
        }
        return out;
    }

    /** All chunks in capture-time order, the order a set of live cameras sends them. */
    static List<VideoChunk> inCaptureOrder(Map<String, List<VideoChunk>> cameras) {
        List<VideoChunk> all = new ArrayList<>();
        cameras.values().forEach(all::addAll);
        all.sort(Comparator.comparing(VideoChunk::getStartTimestamp));
        return all;
    }

    /**
     * Camera to the frame indices the application must label, computed from the chunk records read
     * back from the input topic (in offset order) with the same decoder and sampler, independently
     * of the application.
     */
    static Map<String, List<Long>> expectedFrames(List<ConsumerRecord<byte[], byte[]>> chunkRecords)
            throws Exception {
        ChunkSampler sampler = new ChunkSampler(SamplingMode.FPS, FPS, RESOLUTION);
        Map<String, OptionalLong> position = new LinkedHashMap<>();
        Map<String, List<Long>> expected = new LinkedHashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : chunkRecords) {
            VideoChunk chunk = KvlSerdes.videoChunk().deserialize(r.topic(), r.value());
            String camera = chunk.getCameraId();
            ChunkSampler.Sampled sampled =
                    sampler.sample(chunk, position.getOrDefault(camera, OptionalLong.empty()));
            position.put(camera, sampled.position());
            List<Long> frames = expected.computeIfAbsent(camera, k -> new ArrayList<>());
            for (DecodedFrame f : sampled.frames()) {
                frames.add(chunk.getFirstFrameIndex() + f.indexInChunk());
            }
        }
        return expected;
    }

    /** Sends each chunk when its last frame has been "captured", like a live camera. */
    static int publishLive(String bootstrap, String topic, List<VideoChunk> chunks) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Integer.toString(16 << 20));
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "300000");
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            ClipPublisher publisher = new ClipPublisher(producer, topic);
            for (VideoChunk c : chunks) {
                long end =
                        c.getStartTimestamp().toEpochMilli()
                                + Math.round(c.getFrameCount() * 1000.0 / c.getFrameRate());
                long wait = end - System.currentTimeMillis();
                if (wait > 0) {
                    Containers.sleep(wait);
                }
                publisher.publish(List.of(c), false);
            }
            producer.flush();
            return chunks.size();
        } catch (Exception e) {
            throw new IllegalStateException("publishing failed", e);
        }
    }
}
