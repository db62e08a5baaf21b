package io.kvl.kafka.embedded;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** The broker configuration of an {@link EmbeddedKafka}: managed keys, defaults, overrides. */
final class BrokerConfig {

    static final String HOST = "127.0.0.1";
    static final String BROKER_LISTENER = "PLAINTEXT";
    static final String CONTROLLER_LISTENER = "CONTROLLER";
    static final int NODE_ID = 1;

    private static final int MIB = 1024 * 1024;

    /**
     * Tunable defaults (each can be overridden). Single node: every internal topic must have
     * replication factor 1 and min ISR 1, or the group coordinator and, above all, the transaction
     * coordinator never come up and exactly-once producers block in initTransactions().
     */
    static final Map<String, String> DEFAULTS =
            Map.ofEntries(
                    Map.entry("offsets.topic.replication.factor", "1"),
                    Map.entry("transaction.state.log.replication.factor", "1"),
                    Map.entry("transaction.state.log.min.isr", "1"),
                    Map.entry("share.coordinator.state.topic.replication.factor", "1"),
                    Map.entry("share.coordinator.state.topic.min.isr", "1"),
                    // 50 partitions each by default: slow to create, useless on one broker.
                    Map.entry("offsets.topic.num.partitions", "4"),
                    Map.entry("transaction.state.log.num.partitions", "4"),
                    // Video chunks are several MiB; clients must raise their own limits too.
                    Map.entry("message.max.bytes", Integer.toString(16 * MIB)),
                    Map.entry("replica.fetch.max.bytes", Integer.toString(16 * MIB)),
                    Map.entry("group.initial.rebalance.delay.ms", "0"),
                    Map.entry("auto.create.topics.enable", "false"),
                    Map.entry("num.partitions", "1"),
                    Map.entry("default.replication.factor", "1"),
                    // The log cleaner preallocates this buffer on the heap (128 MiB by default),
                    // which would be shared with the application in the same JVM.
                    Map.entry("log.cleaner.dedupe.buffer.size", Integer.toString(8 * MIB)),
                    // Fail start() instead of waiting forever (the default is Long.MAX_VALUE).
                    Map.entry("server.max.startup.time.ms", "120000"));

    /** Keys that wire the node together; overriding them would break start(). */
    static final Set<String> MANAGED_KEYS =
            Set.of(
                    "process.roles",
                    "node.id",
                    "broker.id",
                    "listeners",
                    "advertised.listeners",
                    "listener.security.protocol.map",
                    "inter.broker.listener.name",
                    "controller.listener.names",
                    "controller.quorum.voters",
                    "controller.quorum.bootstrap.servers",
                    "log.dirs",
                    "log.dir",
                    "metadata.log.dir");

    private BrokerConfig() {}

    /**
     * The full configuration: managed keys, then defaults, then overrides.
     *
     * @throws IllegalArgumentException if an override names a managed key
     */
    static Map<String, String> build(
            Path logDir, int brokerPort, int controllerPort, Map<String, String> overrides) {
        rejectManagedKeys(overrides);
        Map<String, String> config = new LinkedHashMap<>(DEFAULTS);
        config.putAll(overrides);
        config.put("process.roles", "broker,controller");
        config.put("node.id", Integer.toString(NODE_ID));
        config.put(
                "listeners",
                listener(BROKER_LISTENER, brokerPort)
                        + ","
                        + listener(CONTROLLER_LISTENER, controllerPort));
        config.put("advertised.listeners", listener(BROKER_LISTENER, brokerPort));
        config.put(
                "listener.security.protocol.map",
                BROKER_LISTENER + ":PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
        config.put("inter.broker.listener.name", BROKER_LISTENER);
        config.put("controller.listener.names", CONTROLLER_LISTENER);
        // A static quorum of one voter: this node, on its pre-bound controller port.
        config.put("controller.quorum.voters", NODE_ID + "@" + HOST + ":" + controllerPort);
        // The metadata log lives in the first (only) log dir.
        config.put("log.dirs", logDir.toAbsolutePath().toString());
        return config;
    }

    /**
     * @throws IllegalArgumentException if an override names a managed key
     */
    static void rejectManagedKeys(Map<String, String> overrides) {
        Set<String> clashes = new TreeSet<>(overrides.keySet());
        clashes.retainAll(MANAGED_KEYS);
        if (!clashes.isEmpty()) {
            throw new IllegalArgumentException(
                    "These broker settings are managed by EmbeddedKafka and cannot be overridden: "
                            + clashes);
        }
    }

    private static String listener(String name, int port) {
        return name + "://" + HOST + ":" + port;
    }
}
