package io.kvl.streams.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kvl.streams.alert.AlertRules;
import io.kvl.streams.config.LabelerConfig;
import io.kvl.streams.inference.FakeModel;
import io.kvl.streams.inference.MicroBatcher;
import io.kvl.streams.metrics.LabelerMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TopologyConfig;
import org.apache.kafka.streams.errors.TopologyException;
import org.apache.kafka.streams.kstream.Consumed;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Guards the names of the topology's nodes, stores and internal topics: renaming a store or a
 * repartition/changelog topic loses its state on upgrade, so any change to {@code
 * Topology.describe()} must be deliberate. When it is, regenerate the snapshot with {@code mvn -pl
 * streams-app test -Dtest=TopologySnapshotTest -Dkvl.topology.update=true} and review the diff.
 */
class TopologySnapshotTest {
    private static final Path SNAPSHOT =
            Path.of("src/test/resources/io/kvl/streams/topology/labeler-topology.txt");

    private static final String RULES =
            String.join(
                    "\n",
                    "groups:",
                    "  bottle: [beer bottle, water bottle]",
                    "rules:",
                    "  - id: bottles",
                    "    labels: [bottle]",
                    "    min_frames: 2",
                    "    within_ms: 10000",
                    "");

    private final MicroBatcher batcher = new FakeModel().batcher(224, 1, 0);

    @AfterEach
    void close() {
        batcher.close();
    }

    @Test
    void shouldDescribeTheTopologyExactlyAsTheSnapshot() throws IOException {
        LabelerConfig config = new LabelerConfig(Map.of("bootstrap.servers", "unused:9092"));
        String described =
                LabelerTopology.build(
                                config,
                                batcher,
                                new LabelerMetrics(new SimpleMeterRegistry()),
                                AlertRules.parse("rules.yaml", RULES))
                        .describe()
                        .toString();
        if (Boolean.getBoolean("kvl.topology.update")) {
            Files.writeString(SNAPSHOT, described, StandardCharsets.UTF_8);
        }
        assertThat(described)
                .as(
                        "Topology.describe() differs from %s: a renamed node, store or internal"
                                + " topic breaks state on upgrade. If the change is deliberate,"
                                + " regenerate with -Dkvl.topology.update=true",
                        SNAPSHOT)
                .isEqualTo(Files.readString(SNAPSHOT, StandardCharsets.UTF_8));
    }

    @Test
    void shouldRefuseATopologyWithAGeneratedStoreName() {
        // The guard the snapshot relies on: the application's streams configuration makes Kafka
        // Streams reject any internal resource without an explicit name.
        LabelerConfig config = new LabelerConfig(Map.of("bootstrap.servers", "unused:9092"));
        StreamsBuilder builder =
                new StreamsBuilder(
                        new TopologyConfig(new StreamsConfig(config.streamsProperties())));
        builder.stream("in", Consumed.as("in-source")).groupByKey().count();
        assertThatThrownBy(builder::build)
                .isInstanceOf(TopologyException.class)
                .hasMessageContaining("state store(s) has not been named");
    }
}
