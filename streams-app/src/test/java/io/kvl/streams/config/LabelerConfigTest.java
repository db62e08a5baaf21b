package io.kvl.streams.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kvl.efficientnet.runtime.RuntimeOptions;
import io.kvl.registry.RegistryOptions;
import io.kvl.registry.SerdeFormat;
import io.kvl.registry.SubjectNaming;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LabelerConfigTest {

    @Test
    void shouldReadAFileAndLetEnvironmentVariablesOverrideIt(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("app.properties");
        Files.writeString(
                file,
                "bootstrap.servers=broker:9092\n"
                        + "batch.size=4\n"
                        + "sampling.fps=1.5\n"
                        + "num.stream.threads=2\n");
        LabelerConfig c = LabelerConfig.load(file, Map.of("KVL_BATCH_SIZE", "16", "PATH", "/bin"));
        assertThat(c.batchSize()).isEqualTo(16);
        assertThat(c.samplingFps()).isEqualTo(1.5);
        Properties streams = c.streamsProperties();
        assertThat(streams.getProperty("bootstrap.servers")).isEqualTo("broker:9092");
        assertThat(streams.getProperty("num.stream.threads")).isEqualTo("2");
        assertThat(streams.getProperty("processing.guarantee")).isEqualTo("exactly_once_v2");
        assertThat(streams).doesNotContainKey("batch.size");
        // Multi-MB chunks: the producer may send requests larger than the biggest chunk.
        assertThat(Integer.parseInt(streams.getProperty("producer.max.request.size")))
                .isGreaterThan(c.maxChunkBytes());
    }

    @Test
    void shouldCommitEvery20MillisecondsUnlessTheUserSaysOtherwise() {
        LabelerConfig defaults = new LabelerConfig(Map.of("bootstrap.servers", "b:1"));
        assertThat(defaults.streamsProperties().getProperty("commit.interval.ms")).isEqualTo("20");
        LabelerConfig own =
                new LabelerConfig(Map.of("bootstrap.servers", "b:1", "commit.interval.ms", "250"));
        assertThat(own.streamsProperties().getProperty("commit.interval.ms")).isEqualTo("250");
    }

    @Test
    void shouldGiveTransactionsTheProducersDefaultTimeoutUnlessTheUserSaysOtherwise() {
        LabelerConfig defaults = new LabelerConfig(Map.of("bootstrap.servers", "b:1"));
        Properties p = defaults.streamsProperties();
        assertThat(p.getProperty("producer.transaction.timeout.ms")).isEqualTo("60000");
        // What Kafka Streams hands its producers, after its exactly-once override of 10 s.
        Map<String, Object> producer = new StreamsConfig(p).getProducerConfigs("client");
        assertThat(String.valueOf(producer.get("transaction.timeout.ms"))).isEqualTo("60000");
        LabelerConfig own =
                new LabelerConfig(
                        Map.of(
                                "bootstrap.servers", "b:1",
                                "producer.transaction.timeout.ms", "15000"));
        assertThat(own.streamsProperties().getProperty("producer.transaction.timeout.ms"))
                .isEqualTo("15000");
    }

    @Test
    void shouldReadTheEngineAndAnAutomaticBatchSize() {
        LabelerConfig c =
                new LabelerConfig(
                        Map.of(
                                "bootstrap.servers", "b:1",
                                "model.engine", "onnxruntime",
                                "model.precision", "int8",
                                "batch.size", "auto",
                                "batch.max.size", "12",
                                "model.calibration.path", "/data/a.mp4,/data/photos"));
        assertThat(c.modelEngine()).isEqualTo(RuntimeOptions.ModelEngine.ONNXRUNTIME);
        assertThat(c.modelPrecision()).isEqualTo(RuntimeOptions.Precision.INT8);
        assertThat(c.batchSizeAuto()).isTrue();
        assertThat(c.batchSize()).isEqualTo(12);
        assertThat(c.modelCalibrationPath()).containsExactly("/data/a.mp4", "/data/photos");
        LabelerConfig defaults = new LabelerConfig(Map.of("bootstrap.servers", "b:1"));
        assertThat(defaults.modelEngine()).isEqualTo(RuntimeOptions.ModelEngine.AUTO);
        assertThat(defaults.batchSizeAuto()).isFalse();
        assertThat(defaults.batchSize()).isEqualTo(8);
        // Java callers that passed a number before batch.size could be auto still may.
        assertThat(
                        new LabelerConfig(Map.of("bootstrap.servers", "b:1", "batch.size", 4))
                                .batchSize())
                .isEqualTo(4);
    }

    @Test
    void shouldRejectAPrecisionTheEngineCannotRun() {
        assertThatThrownBy(
                        () ->
                                new LabelerConfig(
                                        Map.of(
                                                "bootstrap.servers", "b:1",
                                                "model.engine", "tensorflow",
                                                "model.precision", "int8")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("model.precision")
                .hasMessageContaining("int8 runs on ONNX Runtime");
        assertThatThrownBy(
                        () ->
                                new LabelerConfig(
                                        Map.of("bootstrap.servers", "b:1", "batch.size", "300")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("expected auto or a number from 1 to 256");
    }

    @Test
    void shouldRejectInvalidValuesNamingTheKey() {
        assertThatThrownBy(
                        () ->
                                new LabelerConfig(
                                        Map.of("bootstrap.servers", "b:1", "batch.size", "0")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("batch.size");
        assertThatThrownBy(
                        () ->
                                new LabelerConfig(
                                        Map.of(
                                                "bootstrap.servers",
                                                "b:1",
                                                "sampling.mode",
                                                "sometimes")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("sampling.mode");
        assertThatThrownBy(
                        () ->
                                new LabelerConfig(
                                        Map.of(
                                                "bootstrap.servers",
                                                "b:1",
                                                "model.device",
                                                "tpu:0")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("model.device")
                .hasMessageContaining("gpu:N");
        assertThatThrownBy(() -> new LabelerConfig(Map.of("batch.size", "4")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("bootstrap.servers");
    }

    @Test
    void shouldReadTheSerdeFormatAndTheRegistrySettings() {
        LabelerConfig plain = new LabelerConfig(Map.of("bootstrap.servers", "b:1"));
        assertThat(plain.serdeFormat()).isEqualTo(SerdeFormat.SINGLE_OBJECT);
        assertThat(plain.registryOptions()).isNull();
        assertThatThrownBy(
                        () ->
                                new LabelerConfig(
                                        Map.of(
                                                "bootstrap.servers",
                                                "b:1",
                                                "serde.format",
                                                "confluent")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("schema.registry.url");
        assertThatThrownBy(
                        () ->
                                new LabelerConfig(
                                        Map.of("bootstrap.servers", "b:1", "serde.format", "avro")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("serde.format");
        LabelerConfig c =
                new LabelerConfig(
                        Map.of(
                                "bootstrap.servers", "b:1",
                                "serde.format", "confluent",
                                "schema.registry.url", "https://r:8443",
                                "schema.registry.basic.auth.user", "labeler",
                                "schema.registry.basic.auth.password", "s3cret",
                                "schema.registry.subject.naming", "record",
                                "schema.registry.ssl.truststore.location", "/etc/ts.p12",
                                "schema.registry.ssl.truststore.type", "PKCS12",
                                "apicurio.registry.retry-count", "5"));
        RegistryOptions r = c.registryOptions();
        assertThat(c.serdeFormat()).isEqualTo(SerdeFormat.CONFLUENT);
        assertThat(r.apiUrl()).isEqualTo("https://r:8443/apis/registry/v3");
        assertThat(r.username()).isEqualTo("labeler");
        assertThat(r.password()).isEqualTo("s3cret");
        assertThat(r.naming()).isEqualTo(SubjectNaming.RECORD);
        assertThat(r.autoRegister()).isTrue();
        assertThat(r.serdeConfig())
                .containsEntry("apicurio.registry.tls.truststore.location", "/etc/ts.p12")
                .containsEntry("apicurio.registry.tls.truststore.type", "PKCS12")
                .containsEntry("apicurio.registry.retry-count", "5")
                .containsEntry("apicurio.registry.auth.username", "labeler");
        assertThat(r.toString()).doesNotContain("s3cret");
        // Registry client keys are not Kafka Streams keys.
        assertThat(c.streamsProperties()).doesNotContainKey("apicurio.registry.retry-count");
    }

    @Test
    void shouldDocumentEveryKeyInTheGeneratedReference() {
        String md = LabelerConfig.toMarkdown();
        for (String key : LabelerConfig.configDef().names()) {
            assertThat(md).contains("`" + key + "`");
        }
    }
}
