package io.kvl.kafka.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BrokerConfigTest {

    private static final Path LOG_DIR = Path.of("/tmp/kvl-kafka-test");

    @Test
    void shouldConfigureSingleNodeForExactlyOnceAndLargeRecords() {
        Map<String, String> config = BrokerConfig.build(LOG_DIR, 9092, 9093, Map.of());

        assertThat(config)
                .containsEntry("process.roles", "broker,controller")
                .containsEntry(
                        "listeners", "PLAINTEXT://127.0.0.1:9092,CONTROLLER://127.0.0.1:9093")
                .containsEntry("advertised.listeners", "PLAINTEXT://127.0.0.1:9092")
                .containsEntry("controller.quorum.voters", "1@127.0.0.1:9093")
                .containsEntry("log.dirs", LOG_DIR.toAbsolutePath().toString())
                .containsEntry("transaction.state.log.replication.factor", "1")
                .containsEntry("transaction.state.log.min.isr", "1")
                .containsEntry("offsets.topic.replication.factor", "1")
                .containsEntry("message.max.bytes", "16777216")
                .containsEntry("auto.create.topics.enable", "false");
    }

    @Test
    void shouldLetOverridesReplaceDefaults() {
        Map<String, String> config =
                BrokerConfig.build(
                        LOG_DIR,
                        9092,
                        9093,
                        Map.of("message.max.bytes", "1048576", "log.retention.ms", "60000"));

        assertThat(config)
                .containsEntry("message.max.bytes", "1048576")
                .containsEntry("log.retention.ms", "60000");
    }

    @Test
    void shouldRejectOverridesOfManagedSettings() {
        assertThatThrownBy(
                        () ->
                                BrokerConfig.build(
                                        LOG_DIR,
                                        9092,
                                        9093,
                                        Map.of("listeners", "PLAINTEXT://:9092", "node.id", "7")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("[listeners, node.id]");
    }
}
