package io.kvl.kafka.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.utils.Utils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real, single-node Kafka broker (KRaft, combined broker and controller) running in this JVM, for
 * the demo and for integration tests, with nothing installed but a JDK.
 *
 * <p>It listens on 127.0.0.1 (a free port unless one is given), keeps its logs in a temporary
 * directory deleted by {@link #close()}, and is configured for exactly-once processing and
 * multi-MiB records; see {@code README.md} for the defaults.
 *
 * <pre>{@code
 * try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
 *     kafka.createTopics(3, "frames");
 *     Properties props = new Properties();
 *     props.put("bootstrap.servers", kafka.bootstrapServers());
 *     ...
 * }
 * }</pre>
 */
public final class EmbeddedKafka implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafka.class);

    /** Bounds each readiness probe and each admin call. */
    private static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(30);

    private static final String READINESS_TRANSACTIONAL_ID = "kvl-embedded-kafka-readiness";

    private final Path logDir;
    private final PreboundSockets sockets;
    private CombinedNode node;
    private String bootstrapServers;
    private boolean closed;

    private EmbeddedKafka(Path logDir, PreboundSockets sockets) {
        this.logDir = logDir;
        this.sockets = sockets;
    }

    /** Starts a broker with the default configuration on a free port. */
    public static EmbeddedKafka start() {
        return start(Map.of());
    }

    /**
     * Starts a broker on a free port.
     *
     * @param overrides broker settings that replace or extend the defaults (for example {@code
     *     message.max.bytes}); the listener, quorum, role and directory settings are managed and
     *     rejected here
     */
    public static EmbeddedKafka start(Map<String, String> overrides) {
        return start(0, overrides);
    }

    /**
     * Starts a broker.
     *
     * @param port the port to serve clients on, or 0 for a free one
     * @param overrides as in {@link #start(Map)}
     * @throws IllegalArgumentException if an override names a managed setting
     * @throws KafkaException if the port is taken, a setting is invalid ({@code ConfigException}),
     *     or the broker fails to start or to become ready
     * @throws UncheckedIOException if the temporary log directory cannot be created
     */
    public static EmbeddedKafka start(int port, Map<String, String> overrides) {
        try {
            return startOnce(port, overrides);
        } catch (KafkaException e) {
            // A starved machine can miss the raft startup deadline once (seen in CI with other
            // builds running); a second attempt on fresh directories and sockets is cheap.
            if (!(e.getCause() instanceof java.util.concurrent.TimeoutException)) {
                throw e;
            }
            LOG.warn(
                    "Embedded Kafka broker did not start in time ({}); retrying once",
                    e.getCause().getMessage());
            return startOnce(port, overrides);
        }
    }

    private static EmbeddedKafka startOnce(int port, Map<String, String> overrides) {
        long startNanos = System.nanoTime();
        BrokerConfig.rejectManagedKeys(overrides);
        Path logDir = createLogDir();
        PreboundSockets sockets;
        try {
            sockets =
                    PreboundSockets.bind(
                            BrokerConfig.HOST,
                            Map.of(
                                    BrokerConfig.BROKER_LISTENER,
                                    port,
                                    BrokerConfig.CONTROLLER_LISTENER,
                                    0));
        } catch (RuntimeException e) {
            deleteQuietly(logDir);
            throw e;
        }
        EmbeddedKafka kafka = new EmbeddedKafka(logDir, sockets);
        long readyNanos;
        try {
            kafka.startNode(overrides);
            readyNanos = System.nanoTime();
            kafka.awaitReady();
        } catch (Exception e) {
            kafka.close();
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw e instanceof KafkaException
                    ? (KafkaException) e
                    : new KafkaException("Embedded Kafka broker failed to start", e);
        }
        long endNanos = System.nanoTime();
        LOG.info(
                "Embedded Kafka broker ready at {} in {} ms (node up {} ms, then clients {} ms);"
                        + " logs in {}",
                kafka.bootstrapServers,
                TimeUnit.NANOSECONDS.toMillis(endNanos - startNanos),
                TimeUnit.NANOSECONDS.toMillis(readyNanos - startNanos),
                TimeUnit.NANOSECONDS.toMillis(endNanos - readyNanos),
                logDir);
        return kafka;
    }

    private static Path createLogDir() {
        try {
            return Files.createTempDirectory("kvl-kafka-");
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create the broker's log directory", e);
        }
    }

    private void startNode(Map<String, String> overrides) throws Exception {
        int brokerPort = sockets.port(BrokerConfig.BROKER_LISTENER);
        Map<String, String> config =
                BrokerConfig.build(
                        logDir,
                        brokerPort,
                        sockets.port(BrokerConfig.CONTROLLER_LISTENER),
                        overrides);
        node = CombinedNode.create(logDir, config, sockets);
        node.startup();
        bootstrapServers = BrokerConfig.HOST + ":" + node.brokerPort();
    }

    /**
     * The broker reports itself started once it is unfenced; clients additionally need the
     * transaction coordinator, whose internal topic is created on first use. Waiting for a
     * transactional producer here makes the first exactly-once client start as fast as the rest.
     */
    private void awaitReady() throws Exception {
        try (Admin admin = Admin.create(clientConfig())) {
            int nodes = get(admin.describeCluster().nodes()).size();
            if (nodes != 1) {
                throw new KafkaException("Expected one broker in the cluster, found " + nodes);
            }
        }
        Map<String, Object> producerConfig = clientConfig();
        producerConfig.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, READINESS_TRANSACTIONAL_ID);
        producerConfig.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) CLIENT_TIMEOUT.toMillis());
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(
                        producerConfig, new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.initTransactions();
        }
    }

    /** {@code host:port} of the broker, for {@code bootstrap.servers}. */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** The directory holding the broker's logs (deleted on close). */
    public Path logDir() {
        return logDir;
    }

    /**
     * Creates topics with replication factor 1 and the broker's default topic configuration.
     *
     * @throws KafkaException if a topic cannot be created, e.g. {@code TopicExistsException}
     */
    public void createTopics(int partitions, String... names) {
        createTopics(partitions, Map.of(), names);
    }

    /**
     * Creates topics with replication factor 1 and the given topic configuration (for example
     * {@code max.message.bytes}, {@code cleanup.policy}).
     *
     * @throws KafkaException if a topic cannot be created, e.g. {@code TopicExistsException}
     */
    public void createTopics(int partitions, Map<String, String> topicConfig, String... names) {
        List<NewTopic> topics =
                Arrays.stream(names)
                        .map(name -> new NewTopic(name, partitions, (short) 1).configs(topicConfig))
                        .toList();
        try (Admin admin = Admin.create(clientConfig())) {
            get(admin.createTopics(topics).all());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaException("Interrupted while creating topics " + List.of(names), e);
        }
    }

    /** Waits for an admin or client future, unwrapping the cause of a failure. */
    private static <T> T get(KafkaFuture<T> future) throws InterruptedException {
        try {
            return future.get(CLIENT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof KafkaException
                    ? (KafkaException) e.getCause()
                    : new KafkaException(e.getCause());
        } catch (TimeoutException e) {
            throw new KafkaException("No answer from the broker within " + CLIENT_TIMEOUT, e);
        }
    }

    private Map<String, Object> clientConfig() {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(CommonClientConfigs.CLIENT_ID_CONFIG, "kvl-embedded-kafka");
        return config;
    }

    /**
     * Stops the broker (controlled shutdown, then the controller), releases its ports and deletes
     * its log directory. Idempotent.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        long startNanos = System.nanoTime();
        if (node != null) {
            node.shutdown();
        }
        sockets.close();
        deleteQuietly(logDir);
        LOG.info(
                "Embedded Kafka broker {} stopped in {} ms",
                bootstrapServers,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos));
    }

    private static void deleteQuietly(Path dir) {
        try {
            Utils.delete(dir.toFile());
        } catch (IOException e) {
            LOG.warn("Could not delete the broker's log directory {}", dir, e);
        }
    }
}
