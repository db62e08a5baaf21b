package io.kvl.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kvl.schemas.Label;
import io.kvl.schemas.LabeledFrame;
import io.kvl.schemas.ModelRef;
import io.kvl.schemas.serde.KvlSerdes;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.Test;

/** The format recognition without a registry (the registry paths are tested by RegistryIT). */
class EventSerdesTest {
    private static final LabeledFrame FRAME =
            LabeledFrame.newBuilder()
                    .setCameraId("cam-1")
                    .setCaptureTimestamp(Instant.ofEpochMilli(1_767_225_600_123L))
                    .setFrameIndex(7)
                    .setLabels(List.of(new Label(1, "goldfish", 0.5f)))
                    .setModel(new ModelRef("efficientnet", "lite0", "1"))
                    .setBatchSize(1)
                    .setInferenceLatencyMs(1.0)
                    .setEndToEndLatencyMs(2.0)
                    .build();

    private final Serde<LabeledFrame> serde = EventSerdes.singleObject().serde(LabeledFrame.class);

    @Test
    void shouldWriteAndReadSingleObjectLikeTheSchemasSerde() {
        byte[] bytes = serde.serializer().serialize("t", FRAME);
        assertThat(bytes).isEqualTo(KvlSerdes.labeledFrame().serialize("t", FRAME));
        assertThat(serde.deserializer().deserialize("t", bytes)).isEqualTo(FRAME);
        assertThat(serde.deserializer().deserialize("t", null)).isNull();
    }

    @Test
    void shouldRejectConfluentFramingWithoutARegistryAsUnknownSchemaId() {
        byte[] confluent = {0, 0, 0, 0, 42, 1, 2, 3};
        assertThatThrownBy(() -> serde.deserializer().deserialize("t", confluent))
                .isInstanceOfSatisfying(
                        UnreadableRecordException.class,
                        e -> assertThat(e.reason()).isEqualTo("unknown-schema-id"))
                .hasMessageContaining("schema id 42");
    }

    @Test
    void shouldRejectOtherBytesAsCorruptAvro() {
        assertThatThrownBy(
                        () -> serde.deserializer().deserialize("t", new byte[] {(byte) 0xC3, 1, 9}))
                .isInstanceOfSatisfying(
                        UnreadableRecordException.class,
                        e -> assertThat(e.reason()).isEqualTo("corrupt-avro"));
        assertThatThrownBy(() -> serde.deserializer().deserialize("t", new byte[] {0, 1}))
                .isInstanceOfSatisfying(
                        UnreadableRecordException.class,
                        e -> assertThat(e.reason()).isEqualTo("corrupt-avro"));
    }

    @Test
    void shouldTreatAnUnreachableRegistryAsTransientNotAsABadRecord() throws Exception {
        int closedPort;
        try (java.net.ServerSocket s =
                new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        RegistryOptions nowhere =
                new RegistryOptions(
                        "http://127.0.0.1:" + closedPort,
                        null,
                        null,
                        SubjectNaming.TOPIC,
                        true,
                        java.util.Map.of("apicurio.registry.retry-count", "0"));
        try (EventSerdes serdes = EventSerdes.create(SerdeFormat.CONFLUENT, nowhere)) {
            byte[] confluent = {0, 0, 0, 0, 42, 1, 2, 3};
            assertThatThrownBy(
                            () ->
                                    serdes.serde(LabeledFrame.class)
                                            .deserializer()
                                            .deserialize("t", confluent))
                    .isInstanceOf(RegistryUnavailableException.class)
                    .isNotInstanceOf(org.apache.kafka.common.errors.SerializationException.class);
        }
    }

    @Test
    void shouldNameTheConfigValuesAndTheSubjects() {
        assertThat(SerdeFormat.configValues()).containsExactly("single-object", "confluent");
        assertThat(SerdeFormat.fromConfig("Confluent")).isEqualTo(SerdeFormat.CONFLUENT);
        assertThat(SubjectNaming.TOPIC.subject("kvl.alerts", FRAME.getSchema()))
                .isEqualTo("kvl.alerts-value");
        assertThat(SubjectNaming.RECORD.subject("kvl.alerts", FRAME.getSchema()))
                .isEqualTo("io.kvl.schemas.LabeledFrame");
        RegistryOptions o = RegistryOptions.of("http://h:8080/");
        assertThat(o.apiUrl()).isEqualTo("http://h:8080/apis/registry/v3");
        assertThat(o.confluentApiUrl()).isEqualTo("http://h:8080/apis/ccompat/v7");
        assertThat(
                        new RegistryOptions(
                                        "u",
                                        "me",
                                        "secret",
                                        SubjectNaming.TOPIC,
                                        true,
                                        java.util.Map.of())
                                .toString())
                .doesNotContain("secret");
    }
}
