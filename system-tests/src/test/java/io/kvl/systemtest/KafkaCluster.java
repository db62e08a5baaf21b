package io.kvl.systemtest;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.PortBinding;
import com.github.dockerjava.api.model.Ports;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartitionInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.lifecycle.Startables;

/**
 * A KRaft cluster of combined broker/controller nodes in containers of the locally built broker
 * image, on a Docker network of the test. Every topic, the offsets and the transaction state topic
 * included, has replication factor 3 and {@code min.insync.replicas=2}.
 *
 * <p>Containers reach the brokers as {@code kafka-N:9092}, or through a Toxiproxy container as
 * {@code toxiproxy:1909N} (the PROXIED listener); the test reaches them through the EXTERNAL
 * listener, bound to a loopback port chosen before the container is created, so that the port
 * survives a kill and restart of the container (a random mapping would change).
 */
final class KafkaCluster implements AutoCloseable {
    static final String IMAGE = "kvl-local/kafka:4.3.1";
    private static final Logger LOG = LoggerFactory.getLogger(KafkaCluster.class);
    private static final String CLUSTER_ID = "kvl-system-test-cluster0";
    private static final String STARTED = "Kafka Server started";

    private final List<GenericContainer<?>> nodes = new ArrayList<>();
    private final List<Integer> hostPorts = new ArrayList<>();
    private final DockerClient docker = DockerClientFactory.instance().client();
    private Admin admin;

    private KafkaCluster() {}

    static KafkaCluster start(Network network, int size) throws IOException {
        KafkaCluster cluster = new KafkaCluster();
        String voters =
                IntStream.rangeClosed(1, size)
                        .mapToObj(i -> i + "@kafka-" + i + ":9093")
                        .collect(Collectors.joining(","));
        for (int id = 1; id <= size; id++) {
            int port = freeLoopbackPort();
            cluster.hostPorts.add(port);
            cluster.nodes.add(node(network, id, voters, port, Math.min(size, 3)));
        }
        try {
            Startables.deepStart(cluster.nodes).join();
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
        LOG.info("{} brokers up: {}", size, cluster.bootstrapServers());
        return cluster;
    }

    @SuppressWarnings("resource")
    private static GenericContainer<?> node(
            Network network, int id, String voters, int hostPort, int replication) {
        String rf = Integer.toString(replication);
        String minIsr = Integer.toString(Math.max(1, replication - 1));
        Map<String, String> env =
                Map.ofEntries(
                        Map.entry("CLUSTER_ID", CLUSTER_ID),
                        Map.entry("KAFKA_NODE_ID", Integer.toString(id)),
                        Map.entry("KAFKA_PROCESS_ROLES", "broker,controller"),
                        Map.entry("KAFKA_CONTROLLER_QUORUM_VOTERS", voters),
                        Map.entry(
                                "KAFKA_LISTENERS",
                                "INTERNAL://:9092,CONTROLLER://:9093,EXTERNAL://:9094,PROXIED://:9095"),
                        Map.entry(
                                "KAFKA_ADVERTISED_LISTENERS",
                                "INTERNAL://kafka-"
                                        + id
                                        + ":9092,EXTERNAL://127.0.0.1:"
                                        + hostPort
                                        + ",PROXIED://toxiproxy:"
                                        + proxiedPort(id)),
                        Map.entry(
                                "KAFKA_LISTENER_SECURITY_PROTOCOL_MAP",
                                "CONTROLLER:PLAINTEXT,INTERNAL:PLAINTEXT,EXTERNAL:PLAINTEXT,PROXIED:PLAINTEXT"),
                        Map.entry("KAFKA_CONTROLLER_LISTENER_NAMES", "CONTROLLER"),
                        Map.entry("KAFKA_INTER_BROKER_LISTENER_NAME", "INTERNAL"),
                        Map.entry("KAFKA_LOG_DIRS", "/var/lib/kafka/data"),
                        Map.entry("KAFKA_DEFAULT_REPLICATION_FACTOR", rf),
                        Map.entry("KAFKA_MIN_INSYNC_REPLICAS", minIsr),
                        Map.entry("KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR", rf),
                        Map.entry("KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR", rf),
                        Map.entry("KAFKA_TRANSACTION_STATE_LOG_MIN_ISR", minIsr),
                        Map.entry("KAFKA_SHARE_COORDINATOR_STATE_TOPIC_REPLICATION_FACTOR", rf),
                        Map.entry("KAFKA_SHARE_COORDINATOR_STATE_TOPIC_MIN_ISR", minIsr),
                        Map.entry("KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS", "0"),
                        Map.entry("KAFKA_AUTO_CREATE_TOPICS_ENABLE", "false"),
                        Map.entry("KAFKA_UNCLEAN_LEADER_ELECTION_ENABLE", "false"),
                        Map.entry("KAFKA_MESSAGE_MAX_BYTES", Integer.toString(16 << 20)),
                        Map.entry("KAFKA_REPLICA_FETCH_MAX_BYTES", Integer.toString(16 << 20)),
                        Map.entry("KAFKA_HEAP_OPTS", "-Xms256m -Xmx768m"));
        return new GenericContainer<>(IMAGE)
                .withNetwork(network)
                .withNetworkAliases(aliases(id, replication))
                .withEnv(env)
                .withCreateContainerCmdModifier(
                        cmd -> {
                            cmd.withExposedPorts(ExposedPort.tcp(9094));
                            cmd.getHostConfig()
                                    .withPortBindings(
                                            new PortBinding(
                                                    Ports.Binding.bindIpAndPort(
                                                            "127.0.0.1", hostPort),
                                                    ExposedPort.tcp(9094)));
                        })
                .waitingFor(Wait.forLogMessage(".*" + STARTED + ".*", 1))
                .withStartupTimeout(Duration.ofMinutes(3));
    }

    /**
     * The port on which a Toxiproxy container aliased {@code toxiproxy} forwards to node {@code
     * id}'s PROXIED listener (9095): clients that bootstrap there get only proxied addresses.
     */
    static int proxiedPort(int id) {
        return 19090 + id;
    }

    /** Bootstrap servers through Toxiproxy (see {@link #proxiedPort}). */
    String proxiedBootstrapServers() {
        return IntStream.rangeClosed(1, nodes.size())
                .mapToObj(i -> "toxiproxy:" + proxiedPort(i))
                .collect(Collectors.joining(","));
    }

    /**
     * {@code kafka-N}, and for a one-node cluster also {@code kafka}, the name docker-compose.yml
     * and the images' own configurations (docker/connect) give the broker.
     */
    private static String[] aliases(int id, int replication) {
        String name = "kafka-" + id;
        return replication == 1 ? new String[] {name, "kafka"} : new String[] {name};
    }

    private static int freeLoopbackPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    int size() {
        return nodes.size();
    }

    /** Bootstrap servers for the test (loopback ports). */
    String bootstrapServers() {
        return hostPorts.stream().map(p -> "127.0.0.1:" + p).collect(Collectors.joining(","));
    }

    /** Bootstrap servers for containers on the network. */
    String internalBootstrapServers() {
        return IntStream.rangeClosed(1, nodes.size())
                .mapToObj(i -> "kafka-" + i + ":9092")
                .collect(Collectors.joining(","));
    }

    /** The cluster's admin client, one for its lifetime (closed by {@link #close()}). */
    synchronized Admin admin() {
        if (admin == null) {
            Properties p = new Properties();
            p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
            p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "60000");
            admin = Admin.create(p);
        }
        return admin;
    }

    void createTopics(int partitions, Map<String, String> configs, String... topics)
            throws Exception {
        List<NewTopic> list = new ArrayList<>();
        for (String t : topics) {
            list.add(
                    new NewTopic(t, partitions, (short) Math.min(3, nodes.size()))
                            .configs(configs));
        }
        admin().createTopics(list).all().get();
    }

    /** Node id of the leader of a partition (1-based, as the containers are numbered). */
    int leaderOf(String topic, int partition) throws Exception {
        TopicDescription d =
                admin().describeTopics(List.of(topic)).allTopicNames().get().get(topic);
        TopicPartitionInfo info = d.partitions().get(partition);
        if (info.leader() == null) {
            throw new IllegalStateException(topic + "-" + partition + " has no leader");
        }
        return info.leader().id();
    }

    /** The in-sync replicas of every partition of the topics: complete when all equal the size. */
    boolean fullyReplicated(List<String> topics) throws Exception {
        for (TopicDescription d : admin().describeTopics(topics).allTopicNames().get().values()) {
            for (TopicPartitionInfo p : d.partitions()) {
                if (p.isr().size() < p.replicas().size()) {
                    return false;
                }
            }
        }
        return true;
    }

    private GenericContainer<?> node(int id) {
        return nodes.get(id - 1);
    }

    /** SIGKILL to the broker's container (its Kafka process is the container's init). */
    void kill(int id) {
        String container = node(id).getContainerId();
        docker.killContainerCmd(container).withSignal("KILL").exec();
        Containers.awaitNotRunning(docker, container, Duration.ofSeconds(30));
    }

    /** Starts a killed node's container again and waits until its broker reports started. */
    Duration restart(int id) {
        GenericContainer<?> node = node(id);
        int before = Containers.countInLogs(node, STARTED);
        long t0 = System.nanoTime();
        docker.startContainerCmd(node.getContainerId()).exec();
        Containers.awaitLogCount(node, STARTED, before + 1, Duration.ofMinutes(3));
        return Duration.ofNanos(System.nanoTime() - t0);
    }

    void pause(int id) {
        docker.pauseContainerCmd(node(id).getContainerId()).exec();
    }

    void unpause(int id) {
        docker.unpauseContainerCmd(node(id).getContainerId()).exec();
    }

    @Override
    public void close() {
        if (admin != null) {
            admin.close(Duration.ofSeconds(5));
        }
        for (int i = 0; i < nodes.size(); i++) {
            GenericContainer<?> n = nodes.get(i);
            try {
                if (n.getContainerId() != null) {
                    Containers.saveLogs(n, "kafka-" + (i + 1));
                }
                n.stop();
            } catch (RuntimeException e) {
                LOG.warn("Could not remove {}: {}", n.getContainerName(), e.toString());
            }
        }
    }
}
