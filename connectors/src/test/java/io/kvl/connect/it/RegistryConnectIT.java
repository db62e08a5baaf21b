package io.kvl.connect.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.kvl.connect.testing.CarClip;
import io.kvl.connect.testing.Chunks;
import io.kvl.connect.testing.SampleEvents;
import io.kvl.kafka.embedded.EmbeddedKafka;
import io.kvl.registry.EventSerdes;
import io.kvl.registry.RegistryOptions;
import io.kvl.registry.SchemaRegistrar;
import io.kvl.registry.SerdeFormat;
import io.kvl.schemas.LabeledFrame;
import io.kvl.schemas.VideoChunk;
import io.kvl.testing.ApicurioRegistry;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.connect.file.FileStreamSinkConnector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Confluent wire format in Kafka Connect against a real Apicurio Registry 3.0.9 process: the
 * camera source writing Confluent-framed chunks, and FileStreamSink reading Confluent-framed
 * labeled frames through Apicurio's Avro converter (its own plugin directory).
 */
class RegistryConnectIT {
    private static final String CAMERA_SOURCE = "io.kvl.connect.source.CameraSourceConnector";
    private static final String APICURIO_CONVERTER =
            "io.apicurio.registry.utils.converter.AvroConverter";
    private static final String CHUNKS = "kvl.registry-video-chunks";
    private static final String LABELS = "kvl.registry-labeled-frames";
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @TempDir static Path dir;
    private static ApicurioRegistry registry;
    private static EmbeddedKafka kafka;
    private static ConnectWorker worker;

    @BeforeAll
    static void start() throws Exception {
        registry = ApicurioRegistry.start(Path.of("target", "registry-connect-it"));
        kafka = EmbeddedKafka.start();
        kafka.createTopics(1, CHUNKS, LABELS);
        worker = ConnectWorker.start(kafka.bootstrapServers(), dir.resolve("offsets"));
        registry.awaitReady();
    }

    @AfterAll
    static void stop() throws Exception {
        if (worker != null) {
            worker.close();
        }
        if (kafka != null) {
            kafka.close();
        }
        if (registry != null) {
            registry.close();
        }
    }

    @Test
    void cameraSourceShouldWriteConfluentFramedChunksOfTheClip() throws Exception {
        Map<String, String> config = new HashMap<>();
        config.put("connector.class", CAMERA_SOURCE);
        config.put("tasks.max", "1");
        config.put("cameras", "car=" + CarClip.path().toUri());
        config.put("topic", CHUNKS);
        config.put("file.realtime", "false");
        config.put("chunk.format", "confluent");
        config.put("schema.registry.url", registry.baseUrl());
        config.put("key.converter", "org.apache.kafka.connect.storage.StringConverter");
        config.put("value.converter", "org.apache.kafka.connect.converters.ByteArrayConverter");
        worker.createConnector("camera-source-confluent", config);

        List<ConsumerRecord<String, byte[]>> records =
                TopicIo.consume(kafka.bootstrapServers(), CHUNKS, CarClip.CHUNKS);
        assertThat(records).hasSize(CarClip.CHUNKS);
        int frames = 0;
        try (EventSerdes serdes =
                EventSerdes.create(SerdeFormat.CONFLUENT, RegistryOptions.of(registry.baseUrl()))) {
            for (int i = 0; i < records.size(); i++) {
                byte[] v = records.get(i).value();
                assertThat(v[0]).isZero();
                int id = ByteBuffer.wrap(v, 1, 4).getInt();
                assertThat(registry.schemaById(id)).contains("\"VideoChunk\"");
                VideoChunk chunk =
                        serdes.serde(VideoChunk.class).deserializer().deserialize(CHUNKS, v);
                assertThat(chunk.getSequence()).isEqualTo(i);
                frames += Chunks.decodedFrames(chunk);
            }
        }
        assertThat(frames).isEqualTo(CarClip.FRAMES);
        assertThat(
                        registry.ccompatGet("/config/" + CHUNKS + "-value")
                                .get("compatibilityLevel")
                                .asText())
                .isEqualTo("BACKWARD");
        worker.deleteConnector("camera-source-confluent");
    }

    @Test
    void fileStreamSinkWithTheRegistryConverterShouldWriteOneLinePerLabeledFrame()
            throws Exception {
        RegistryOptions options = RegistryOptions.of(registry.baseUrl());
        new SchemaRegistrar(options).registerAll(Map.of(LABELS, LabeledFrame.getClassSchema()));
        int count = 5;
        try (EventSerdes serdes = EventSerdes.create(SerdeFormat.CONFLUENT, options)) {
            Serializer<LabeledFrame> s = serdes.serde(LabeledFrame.class).serializer();
            List<byte[]> values = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                values.add(s.serialize(LABELS, SampleEvents.labeledFrame(i)));
            }
            TopicIo.produce(kafka.bootstrapServers(), LABELS, values);
        }
        Path file = dir.resolve("labels-registry.txt");
        Map<String, String> config = new HashMap<>();
        config.put("connector.class", FileStreamSinkConnector.class.getName());
        config.put("tasks.max", "1");
        config.put("topics", LABELS);
        config.put("file", file.toString());
        config.put("key.converter", "org.apache.kafka.connect.storage.StringConverter");
        config.put("value.converter", APICURIO_CONVERTER);
        config.put(
                "value.converter.apicurio.registry.url", registry.baseUrl() + "/apis/registry/v2");
        config.put("value.converter.apicurio.registry.as-confluent", "true");
        config.put("value.converter.apicurio.registry.use-id", "contentId");
        config.put("value.converter.apicurio.registry.headers.enabled", "false");
        worker.createConnector("labels-file-registry", config);

        List<String> lines = awaitLines(file, count);
        assertThat(lines).hasSize(count);
        for (int i = 0; i < count; i++) {
            assertThat(lines.get(i))
                    .startsWith("Struct{cameraId=cam-1,")
                    .contains("frameIndex=" + i + ",")
                    .contains("name=sports car")
                    .contains("keyframe=" + SampleEvents.labeledFrame(i).getKeyframe());
        }
        worker.deleteConnector("labels-file-registry");
    }

    private static List<String> awaitLines(Path file, int count) throws Exception {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        List<String> lines = List.of();
        while (System.nanoTime() < deadline) {
            lines =
                    Files.exists(file)
                            ? Files.readAllLines(file, StandardCharsets.UTF_8)
                            : List.of();
            if (lines.size() >= count) {
                Thread.sleep(500);
                return Files.readAllLines(file, StandardCharsets.UTF_8);
            }
            Thread.sleep(100);
        }
        return lines;
    }
}
