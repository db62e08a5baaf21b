package io.kvl.simulator;

import io.kvl.schemas.VideoChunk;
import io.kvl.schemas.serde.KvlSerdes;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Plays a video file as a camera: produces its keyframe-aligned chunks (from {@link
 * io.kvl.video.VideoChunks#ofClip}) as {@link VideoChunk} records keyed by camera id. Used by the
 * demo and the integration tests; the Kafka Connect camera source does the same for live streams.
 */
public final class ClipPublisher {
    private final Producer<byte[], byte[]> producer;
    private final String topic;
    private final Serializer<VideoChunk> serializer;

    /** Publishes in the single-object encoding. */
    public ClipPublisher(Producer<byte[], byte[]> producer, String topic) {
        this(producer, topic, KvlSerdes.videoChunk().serializer());
    }

    /**
     * Publishes with {@code serializer}, e.g. a registry serializer for the Confluent wire format.
     */
    public ClipPublisher(
            Producer<byte[], byte[]> producer, String topic, Serializer<VideoChunk> serializer) {
        this.producer = producer;
        this.topic = topic;
        this.serializer = serializer;
    }

    /**
     * Produces {@code events} in order and waits for every acknowledgement.
     *
     * @param realTime when true, paces the records by their capture times (as a live camera would)
     */
    public void publish(List<VideoChunk> events, boolean realTime)
            throws InterruptedException, ExecutionException {
        publish(events, realTime, null);
    }

    /**
     * Produces {@code events} in order, all to {@code partition}, and waits for every
     * acknowledgement.
     *
     * @param realTime when true, paces the records by their capture times (as a live camera would)
     * @param partition the partition of every record, or null for the producer's partitioner
     *     (murmur2 of the camera id, so two cameras may share a partition while another idles). A
     *     camera's records must stay on one partition: its sampling state is keyed by camera and
     *     the application does not repartition its input.
     */
    public void publish(List<VideoChunk> events, boolean realTime, Integer partition)
            throws InterruptedException, ExecutionException {
        long wallStart = System.currentTimeMillis();
        long firstCapture = events.isEmpty() ? 0 : events.get(0).getStartTimestamp().toEpochMilli();
        List<Future<?>> acks = new ArrayList<>();
        for (VideoChunk e : events) {
            if (realTime) {
                long due = wallStart + (e.getStartTimestamp().toEpochMilli() - firstCapture);
                long sleep = due - System.currentTimeMillis();
                if (sleep > 0) {
                    Thread.sleep(sleep);
                }
            }
            byte[] key = e.getCameraId().getBytes(StandardCharsets.UTF_8);
            acks.add(
                    producer.send(
                            new ProducerRecord<>(
                                    topic,
                                    partition,
                                    e.getStartTimestamp().toEpochMilli(),
                                    key,
                                    serializer.serialize(topic, e))));
        }
        producer.flush();
        for (Future<?> f : acks) {
            f.get();
        }
    }
}
