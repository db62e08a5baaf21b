package io.kvl.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.kvl.kafka.embedded.EmbeddedKafka;
import io.kvl.schemas.Label;
import io.kvl.schemas.LabeledFrame;
import io.kvl.schemas.ModelRef;
import io.kvl.schemas.serde.KvlSerdes;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.junit.jupiter.api.Test;

/** The benchmark's label consumer on a real broker: warm-up labels are seen, never counted. */
class LabelWatchIT {
    private static final String TOPIC = "labels";

    @Test
    void shouldCountOnlyMeasuredLabelsAndRememberWhichWarmupChunksWereLabeled() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            kafka.createTopics(1, TOPIC);
            Map<String, Long> acks = LabelWatch.newAckMap();
            long ackedAt = System.currentTimeMillis();
            acks.put(LabelWatch.key("cam-0", 3), ackedAt);
            try (LabelWatch watch =
                            new LabelWatch(kafka.bootstrapServers(), TOPIC, 1, acks, "warmup-");
                    KafkaProducer<byte[], byte[]> producer = producer(kafka)) {
                send(producer, label("warmup-0", 0, 1));
                send(producer, label("warmup-0", 0, 2));
                send(producer, label("warmup-0", 1, 30));
                send(producer, label("cam-0", 3, 90));
                send(producer, label("cam-0", 3, 91));
                producer.flush();

                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while ((watch.labels() < 2 || watch.warmupSeen().size() < 2)
                        && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                assertThat(watch.labels()).isEqualTo(2);
                assertThat(watch.warmupSeen())
                        .containsExactlyInAnyOrder("warmup-0#0", "warmup-0#1");
                long[] latencies = watch.latencies();
                assertThat(latencies).hasSize(2);
                assertThat(watch.lastMillis()).isGreaterThanOrEqualTo(ackedAt);
                assertThat(latencies[1]).isEqualTo(watch.lastMillis() - ackedAt);
            }
        }
    }

    private static KafkaProducer<byte[], byte[]> producer(EmbeddedKafka kafka) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        return new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    }

    private static void send(KafkaProducer<byte[], byte[]> producer, LabeledFrame frame) {
        Serializer<LabeledFrame> serializer = KvlSerdes.labeledFrame().serializer();
        producer.send(new ProducerRecord<>(TOPIC, null, serializer.serialize(TOPIC, frame)));
    }

    private static LabeledFrame label(String camera, long chunk, long frameIndex) {
        return LabeledFrame.newBuilder()
                .setCameraId(camera)
                .setCaptureTimestamp(Instant.ofEpochMilli(1_700_000_000_000L + frameIndex))
                .setFrameIndex(frameIndex)
                .setLabels(List.of(new Label(281, "tabby cat", 0.87f)))
                .setModel(new ModelRef("efficientnet", "lite0", "test"))
                .setBatchSize(1)
                .setInferenceLatencyMs(1.0)
                .setEndToEndLatencyMs(2.0)
                .setSourceChunkSequence(chunk)
                .setKeyframe(false)
                .build();
    }
}
