package io.kvl.connect.source;

import io.kvl.connect.Version;
import io.kvl.registry.EventSerdes;
import io.kvl.registry.RegistryOptions;
import io.kvl.registry.SchemaRegistrar;
import io.kvl.registry.SerdeFormat;
import io.kvl.schemas.VideoChunk;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.source.SourceTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the cameras assigned to it, one {@link CameraReader} thread each, and returns their chunks
 * from {@link #poll()}.
 *
 * <p>Records: key = camera id ({@link Schema#STRING_SCHEMA}), value = the VideoChunk in Avro
 * single-object encoding ({@link Schema#BYTES_SCHEMA}, to be written unchanged by {@code
 * ByteArrayConverter}), timestamp = the chunk's startTimestamp.
 *
 * <p>{@link #poll()} waits at most {@link #POLL_TIMEOUT} and {@link #stop()} at most {@link
 * #STOP_TIMEOUT}, whatever the cameras do.
 */
public final class CameraSourceTask extends SourceTask {
    private static final Logger LOG = LoggerFactory.getLogger(CameraSourceTask.class);

    /** Longest a poll() waits for a chunk before returning nothing. */
    static final Duration POLL_TIMEOUT = Duration.ofSeconds(1);

    /** Longest stop() waits for the reader threads to exit. */
    static final Duration STOP_TIMEOUT = Duration.ofSeconds(2);

    /** Chunks per poll(): a chunk may be megabytes. */
    private static final int MAX_BATCH = 16;

    /** Chunks buffered per camera between its reader and poll(). */
    private static final int QUEUE_PER_CAMERA = 2;

    private final Map<String, CameraReader> readers = new LinkedHashMap<>();
    private BlockingQueue<CapturedChunk> queue;
    private String topic;
    private EventSerdes serdes;

    @Override
    public String version() {
        return Version.get();
    }

    @Override
    public void start(Map<String, String> props) {
        CameraSourceConfig config = new CameraSourceConfig(props);
        topic = config.topic();
        serdes = serdes(config);
        Serializer<VideoChunk> serializer = serdes.serde(VideoChunk.class).serializer();
        List<CameraSpec> cameras = config.cameras();
        queue = new ArrayBlockingQueue<>(Math.max(4, QUEUE_PER_CAMERA * cameras.size()));
        List<Map<String, Object>> partitions =
                cameras.stream().map(c -> CameraOffsets.partition(c.id())).toList();
        Map<Map<String, Object>, Map<String, Object>> offsets =
                context.offsetStorageReader().offsets(partitions);
        for (CameraSpec camera : cameras) {
            Map<String, Object> offset = offsets.get(CameraOffsets.partition(camera.id()));
            CameraOffsets.ResumePoint resume = CameraOffsets.resumePoint(camera, offset);
            LOG.info("Camera {} ({}) starts at {}", camera.id(), camera.redactedUrl(), resume);
            readers.put(
                    camera.id(),
                    new CameraReader(camera, config, resume, queue, Clock.systemUTC(), serializer));
        }
        CameraMetrics.register(context, readers.values());
        readers.values().forEach(CameraReader::start);
        LOG.info(
                "Reading {} camera(s) into topic {}: chunks of up to {} ms, socket timeout {} ms",
                cameras.size(),
                topic,
                config.chunkDuration().toMillis(),
                config.rwTimeout().toMillis());
    }

    @Override
    public List<SourceRecord> poll() throws InterruptedException {
        CapturedChunk first = queue.poll(POLL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        if (first == null) {
            return null;
        }
        List<CapturedChunk> chunks = new ArrayList<>(MAX_BATCH);
        chunks.add(first);
        queue.drainTo(chunks, MAX_BATCH - 1);
        List<SourceRecord> records = new ArrayList<>(chunks.size());
        for (CapturedChunk chunk : chunks) {
            records.add(
                    new SourceRecord(
                            CameraOffsets.partition(chunk.cameraId()),
                            chunk.offset(),
                            topic,
                            null,
                            Schema.STRING_SCHEMA,
                            chunk.cameraId(),
                            Schema.BYTES_SCHEMA,
                            chunk.value(),
                            chunk.timestampMillis()));
        }
        return records;
    }

    /** The chunk format's serdes; in confluent mode the VideoChunk schema is registered first. */
    private EventSerdes serdes(CameraSourceConfig config) {
        RegistryOptions registry = config.registryOptions();
        if (config.format() == SerdeFormat.CONFLUENT) {
            new SchemaRegistrar(registry)
                    .registerAll(Map.of(config.topic(), VideoChunk.getClassSchema()));
        }
        return EventSerdes.create(config.format(), registry);
    }

    @Override
    public void stop() {
        readers.values().forEach(CameraReader::close);
        long deadline = System.nanoTime() + STOP_TIMEOUT.toNanos();
        try {
            for (CameraReader reader : readers.values()) {
                Duration left = Duration.ofNanos(deadline - System.nanoTime());
                if (!reader.awaitExit(left)) {
                    // Blocked in an FFmpeg read: it returns within rw.timeout.ms, then the
                    // thread closes its grabber and exits on its own.
                    LOG.warn(
                            "Camera {}: reader still blocked in FFmpeg; it exits within"
                                    + " rw.timeout.ms",
                            reader.camera().id());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (serdes != null) {
            serdes.close();
        }
        LOG.info("Stopped reading {} camera(s)", readers.size());
    }

    /** The status of one of this task's cameras, e.g. for tests and diagnostics. */
    public Optional<CameraStatus.Snapshot> cameraStatus(String cameraId) {
        return Optional.ofNullable(readers.get(cameraId)).map(r -> r.status().snapshot());
    }
}
