package io.kvl.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kvl.cli.Kvl;
import io.kvl.kafka.embedded.EmbeddedKafka;
import io.kvl.registry.EventSerdes;
import io.kvl.registry.RegistryOptions;
import io.kvl.registry.SerdeFormat;
import io.kvl.schemas.LabeledFrame;
import io.kvl.streams.config.LabelerConfig;
import io.kvl.testing.ApicurioRegistry;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kvl demo --schema-registry-url}: against a real Apicurio Registry process, every labeled
 * frame is on the topic in the Confluent wire format, with a schema id the registry resolves.
 */
class DemoSchemaRegistryIT {
    @Test
    void demoShouldWriteConfluentFramedEventsWhenGivenARegistry(@TempDir Path tmp)
            throws Exception {
        String bottle =
                Path.of(System.getProperty("kvl.home"), "samples", "bottle-detection.mp4")
                        .toString();
        try (ApicurioRegistry registry = ApicurioRegistry.start(tmp.resolve("registry"));
                EmbeddedKafka kafka = EmbeddedKafka.start()) {
            registry.awaitReady();
            StringWriter out = new StringWriter();
            int code =
                    Kvl.commandLine()
                            .setOut(new PrintWriter(out))
                            .execute(
                                    "demo",
                                    "--bootstrap-servers",
                                    kafka.bootstrapServers(),
                                    "--schema-registry-url",
                                    registry.baseUrl(),
                                    "--fast",
                                    "--http-port",
                                    "0",
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

            List<ConsumerRecord<byte[], byte[]>> labels =
                    DemoCommandIT.readAll(kafka, LabelerConfig.LABELS_TOPIC_DEFAULT);
            assertThat(labels).hasSize(summary.get("frames_labeled").asInt()).isNotEmpty();
            Set<Integer> ids = new HashSet<>();
            try (EventSerdes serdes =
                    EventSerdes.create(
                            SerdeFormat.CONFLUENT, RegistryOptions.of(registry.baseUrl()))) {
                for (ConsumerRecord<byte[], byte[]> r : labels) {
                    assertThat(r.value()[0]).as("Confluent magic byte").isZero();
                    ids.add(ByteBuffer.wrap(r.value(), 1, 4).getInt());
                    LabeledFrame f =
                            serdes.serde(LabeledFrame.class)
                                    .deserializer()
                                    .deserialize(r.topic(), r.value());
                    assertThat(f.getCameraId()).isEqualTo("camera-1");
                }
            }
            assertThat(ids).hasSize(1);
            assertThat(registry.schemaById(ids.iterator().next())).contains("LabeledFrame");
        }
    }
}
