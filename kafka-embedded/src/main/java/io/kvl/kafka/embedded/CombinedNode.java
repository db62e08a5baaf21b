package io.kvl.kafka.embedded;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import kafka.server.BrokerServer;
import kafka.server.ControllerServer;
import kafka.server.FaultHandlerFactory;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.server.Server;
import kafka.server.SharedServer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.metrics.Metrics;
import org.apache.kafka.common.network.ListenerName;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.metadata.bootstrap.BootstrapMetadata;
import org.apache.kafka.metadata.properties.MetaPropertiesEnsemble;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.raft.QuorumConfig;
import org.apache.kafka.server.ServerSocketFactory;
import org.apache.kafka.server.common.MetadataVersion;
import org.apache.kafka.server.fault.FaultHandler;
import org.apache.kafka.server.fault.LoggingFaultHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;
import scala.Tuple2;

/**
 * One KRaft node in combined mode (broker and controller in one process), assembled the way {@code
 * kafka.server.KafkaRaftServer} assembles it, with two differences: the listener sockets come from
 * {@link PreboundSockets}, and a fatal fault is logged instead of halting the JVM.
 *
 * <p>Everything Kafka-internal this module touches is in this class. These are server classes from
 * the regular Maven Central jars (no test jars), but not a public API: re-check this class (against
 * KafkaRaftServer.scala and Kafka's KafkaClusterTestKit) when upgrading Kafka.
 */
final class CombinedNode {

    private static final Logger LOG = LoggerFactory.getLogger(CombinedNode.class);

    private final ControllerServer controller;
    private final BrokerServer broker;

    private CombinedNode(ControllerServer controller, BrokerServer broker) {
        this.controller = controller;
        this.broker = broker;
    }

    /** Formats {@code logDir} (a fresh, empty directory) and builds an unstarted node on it. */
    static CombinedNode create(Path logDir, Map<String, String> config, ServerSocketFactory sockets)
            throws Exception {
        KafkaConfig kafkaConfig = new KafkaConfig(config, false);
        format(logDir);
        Tuple2<MetaPropertiesEnsemble, BootstrapMetadata> dirs =
                KafkaRaftServer.initializeLogDirs(kafkaConfig, LOG, "[EmbeddedKafka] ");
        MetaPropertiesEnsemble metaProperties = dirs._1();
        Metrics metrics =
                Server.initializeMetrics(
                        kafkaConfig, Time.SYSTEM, metaProperties.clusterId().orElseThrow());
        try {
            SharedServer shared =
                    new SharedServer(
                            kafkaConfig,
                            metaProperties,
                            Time.SYSTEM,
                            metrics,
                            CompletableFuture.completedFuture(
                                    QuorumConfig.parseVoterConnections(
                                            kafkaConfig.quorumConfig().voters())),
                            QuorumConfig.parseBootstrapServers(
                                    kafkaConfig.quorumConfig().bootstrapServers()),
                            new NonHaltingFaultHandlerFactory(),
                            sockets);
            ControllerServer controller =
                    new ControllerServer(shared, KafkaRaftServer.configSchema(), dirs._2());
            return new CombinedNode(controller, new BrokerServer(shared));
        } catch (RuntimeException e) {
            // Once started, the SharedServer closes the metrics; here nothing has started.
            metrics.close();
            throw e;
        }
    }

    /** What {@code kafka-storage.sh format} does, for a single node with a static quorum. */
    private static void format(Path logDir) throws Exception {
        // The Formatter reports to System.out by default; EmbeddedKafkaMain's stdout is reserved
        // for the bootstrap.servers line, so its report goes to the debug log instead.
        ByteArrayOutputStream report = new ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(report, true, StandardCharsets.UTF_8)) {
            Formatter formatter =
                    new Formatter()
                            .setPrintStream(out)
                            .setNodeId(BrokerConfig.NODE_ID)
                            .setClusterId(Uuid.randomUuid().toString())
                            .addDirectory(logDir.toString())
                            .setMetadataLogDirectory(logDir.toString())
                            .setControllerListenerName(BrokerConfig.CONTROLLER_LISTENER)
                            .setReleaseVersion(MetadataVersion.latestProduction());
            formatter.run();
        }
        LOG.debug("Formatted {}: {}", logDir, report.toString(StandardCharsets.UTF_8).trim());
    }

    /**
     * Starts the controller, then the broker (the order KafkaRaftServer uses); returns once the
     * broker is registered, caught up with the metadata log, unfenced and accepting connections.
     */
    void startup() {
        controller.startup();
        broker.startup();
    }

    int brokerPort() {
        return broker.boundPort(new ListenerName(BrokerConfig.BROKER_LISTENER));
    }

    /**
     * Stops the broker first, while the controller can still take its controlled shutdown, then the
     * controller; the last of the two also stops the shared raft client and metrics.
     */
    void shutdown() {
        // Keep going on a failure: the controller and the raft client must stop regardless.
        Utils.swallow(LOG, Level.WARN, "broker shutdown", broker::shutdown);
        Utils.swallow(LOG, Level.WARN, "controller shutdown", controller::shutdown);
        broker.awaitShutdown();
        controller.awaitShutdown();
    }

    /**
     * Kafka's StandardFaultHandlerFactory halts the JVM on a fatal fault, which is right for a
     * dedicated broker process but not here, where the same JVM runs the application or the tests.
     * Known trade-off: after a fatal fault (such as a metadata log I/O error) the broker stays up
     * in a degraded state; the error is logged, and clients see failures.
     */
    private static final class NonHaltingFaultHandlerFactory implements FaultHandlerFactory {
        @Override
        public FaultHandler build(String name, boolean fatal, Runnable action) {
            return new LoggingFaultHandler(fatal ? "fatal " + name : name, action);
        }
    }
}
