package io.kvl.systemtest;

import static org.assertj.core.api.Assertions.assertThat;

import io.kvl.schemas.LabeledFrame;
import io.kvl.schemas.VideoChunk;
import io.kvl.schemas.serde.KvlSerdes;
import io.kvl.streams.alert.AlertRules;
import io.kvl.testing.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.containers.Network;
import org.testcontainers.lifecycle.Startables;

/**
 * Exactly-once from camera chunk to alert on a replicated cluster while brokers and an application
 * instance fail: 3 KRaft brokers (replication 3, min.insync.replicas 2 for every topic), 2 labeler
 * containers of one application, 4 live cameras for over 2 minutes. During the run the leader of a
 * chunk partition is SIGKILLed and restarted three times, a labeler container is SIGKILLed and
 * started again, and a broker is paused for longer than the session timeouts. Verified the way
 * Kafka's EosTestDriver does it, after the application stopped and no transaction is open: the
 * chunk topic up to the group's committed offsets gives the expected frames; the labels topic
 * (read_committed) must hold each exactly once, in order per camera; counts and alerts must equal
 * the aggregation run again without faults over those labels; no dead letter.
 */
class ExactlyOnceUnderFaultsSystemIT {
    private static final Logger LOG = LoggerFactory.getLogger(ExactlyOnceUnderFaultsSystemIT.class);
    private static final String APP_ID = "kvl-system-eos";
    private static final String CHUNKS = "kvl.video-chunks";
    private static final String FRAMES = "kvl.frames";
    private static final String LABELS = "kvl.labeled-frames";
    private static final String COUNTS = "kvl.label-counts";
    private static final String ALERTS = "kvl.alerts";
    private static final String DLQ = "kvl.dead-letters";
    private static final int CAMERAS = 4;
    private static final int LOOPS = 4;

    private final List<Fault> faults = new ArrayList<>();

    /** A fault injected during the run, and how long the faulty component took to come back. */
    private record Fault(String what, long atNanos, Duration back) {}

    @Test
    void shouldKeepExactlyOnceThroughBrokerAndInstanceFaults() throws Exception {
        DockerRequirement.require(KafkaCluster.IMAGE, LabelerContainer.IMAGE);
        Path rules = Fixtures.sampleClip("demo-rules.yaml");
        try (Network network = Network.newNetwork();
                KafkaCluster cluster = KafkaCluster.start(network, 3)) {
            String bootstrap = cluster.bootstrapServers();
            Map<String, String> big = Map.of("max.message.bytes", Integer.toString(16 << 20));
            cluster.createTopics(CAMERAS, big, CHUNKS);
            cluster.createTopics(CAMERAS, Map.of(), LABELS, COUNTS, ALERTS);
            cluster.createTopics(1, big, DLQ, FRAMES);

            Map<String, String> settings = appSettings(cluster.internalBootstrapServers());
            LabelerContainer first = new LabelerContainer(network, "labeler-1", settings, rules);
            LabelerContainer second = new LabelerContainer(network, "labeler-2", settings, rules);
            try (first;
                    second) {
                long t0 = System.nanoTime();
                Startables.deepStart(first, second).join();
                LOG.info("Both labelers RUNNING after {} s", seconds(System.nanoTime() - t0));
                run(cluster, bootstrap, second);
                first.stopGracefully();
                second.stopGracefully();
            }
            verify(cluster, bootstrap, settings, rules);
        }
    }

    private static Map<String, String> appSettings(String bootstrap) {
        Map<String, String> s = LabelerContainer.settings(bootstrap, APP_ID);
        s.put("processing.guarantee", "exactly_once_v2");
        s.put("replication.factor", "3");
        s.put("num.stream.threads", "2");
        s.put("counts.window.size.ms", "10000");
        // Cameras share labels partitions: a camera whose instance was killed lags the others of
        // its partition until the restart; the grace keeps its frames on time.
        s.put("counts.grace.ms", "60000");
        s.put("counts.emit", "final");
        // A killed instance's members expire after 10 s instead of 45 s.
        s.put("session.timeout.ms", "10000");
        s.put("state.dir", "/var/lib/kvl/streams");
        return s;
    }

    private void run(KafkaCluster cluster, String bootstrap, LabelerContainer victim)
            throws Exception {
        long start = System.currentTimeMillis();
        Map<String, List<VideoChunk>> cameras = LiveCameras.play(CAMERAS, LOOPS, start);
        List<VideoChunk> chunks = LiveCameras.inCaptureOrder(cameras);
        long runNanos = System.nanoTime();
        try (TopicWatch progress = new TopicWatch(bootstrap, LABELS)) {
            CompletableFuture<Integer> publishing =
                    CompletableFuture.supplyAsync(
                            () -> LiveCameras.publishLive(bootstrap, CHUNKS, chunks));
            at(runNanos, 20);
            brokerBounce(cluster, progress, 0);
            at(runNanos, 45);
            long killed = System.nanoTime();
            victim.kill();
            Containers.sleep(5_000);
            Duration up = victim.restartAndAwaitRunning();
            record("SIGKILL labeler-2, start again after 5 s", killed, up, progress);
            at(runNanos, 75);
            brokerBounce(cluster, progress, 1);
            at(runNanos, 95);
            int paused = cluster.leaderOf(CHUNKS, 2);
            long pausedAt = System.nanoTime();
            cluster.pause(paused);
            Containers.sleep(20_000);
            cluster.unpause(paused);
            Duration isr = awaitFullReplication(cluster);
            record(
                    "pause broker " + paused + " (leader of " + CHUNKS + "-2) for 20 s",
                    pausedAt,
                    isr,
                    progress);
            at(runNanos, 125);
            brokerBounce(cluster, progress, 3);
            int published = publishing.get();
            long publishedNanos = System.nanoTime();
            LOG.info(
                    "Published {} chunks of {} cameras in {} s",
                    published,
                    CAMERAS,
                    seconds(System.nanoTime() - runNanos));
            // Let the last chunks be labeled before stopping: the check then requires that the
            // group committed every chunk on the topic.
            long lastCount = -1;
            while (progress.total() != lastCount) {
                lastCount = progress.total();
                Containers.sleep(15_000);
            }
            writeReport(faults(progress, runNanos, publishedNanos));
        }
    }

    private void brokerBounce(KafkaCluster cluster, TopicWatch progress, int partition)
            throws Exception {
        int leader = cluster.leaderOf(CHUNKS, partition);
        long killed = System.nanoTime();
        cluster.kill(leader);
        Containers.sleep(5_000);
        Duration up = cluster.restart(leader);
        awaitFullReplication(cluster);
        record(
                "SIGKILL broker "
                        + leader
                        + " (leader of "
                        + CHUNKS
                        + "-"
                        + partition
                        + "), start again after 5 s",
                killed,
                up,
                progress);
    }

    private static Duration awaitFullReplication(KafkaCluster cluster) throws Exception {
        long t0 = System.nanoTime();
        long deadline = t0 + Duration.ofMinutes(3).toNanos();
        while (!cluster.fullyReplicated(List.of(CHUNKS, LABELS, COUNTS, ALERTS))) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("ISRs not complete 3 min after the fault");
            }
            Containers.sleep(500);
        }
        return Duration.ofNanos(System.nanoTime() - t0);
    }

    private void record(String fault, long atNanos, Duration back, TopicWatch progress) {
        faults.add(new Fault(fault, atNanos, back));
        LOG.info("Fault: {}; back after {} ms", fault, back.toMillis());
    }

    /**
     * One Markdown row per fault: when, what, how long until the component was back, and the
     * longest time without a newly committed label from the fault until the next fault (or, for the
     * last, until the cameras stopped sending), so that faults and the end of the input do not blur
     * into each other.
     */
    private List<String> faults(TopicWatch progress, long runNanos, long publishedNanos) {
        List<String> rows = new ArrayList<>();
        for (int i = 0; i < faults.size(); i++) {
            Fault f = faults.get(i);
            long until = i + 1 < faults.size() ? faults.get(i + 1).atNanos() : publishedNanos;
            Duration stall = progress.longestStall(f.atNanos(), until);
            rows.add(
                    String.format(
                            "| %s s | %s | %.1f s | %.1f s |",
                            seconds(f.atNanos() - runNanos),
                            f.what(),
                            f.back().toMillis() / 1000.0,
                            stall.toMillis() / 1000.0));
        }
        return rows;
    }

    private static void writeReport(List<String> rows) throws Exception {
        String table =
                "| at | fault | back after | labels stalled (longest gap) |\n"
                        + "|---|---|---|---|\n"
                        + String.join("\n", rows)
                        + "\n";
        LOG.info("Faults:\n{}", table);
        Path dir = Files.createDirectories(Path.of("target", "system-tests"));
        Files.writeString(dir.resolve("eos-faults.md"), table);
    }

    private static void at(long runNanos, int secondsAfterStart) {
        long wait = runNanos + Duration.ofSeconds(secondsAfterStart).toNanos() - System.nanoTime();
        if (wait > 0) {
            Containers.sleep(wait / 1_000_000);
        }
    }

    private static void verify(
            KafkaCluster cluster, String bootstrap, Map<String, String> settings, Path rules)
            throws Exception {
        Admin admin = cluster.admin();
        LabelsCheck check =
                LabelsCheck.run(
                        admin,
                        bootstrap,
                        APP_ID,
                        CHUNKS,
                        LABELS,
                        List.of(LABELS, COUNTS, ALERTS, DLQ));
        SequenceReport report = check.report();
        assertThat(report.expected()).as("sampled frames expected").isGreaterThan(600);
        assertThat(report.exactlyOnceInOrder()).as(report.toString()).isTrue();
        Map<String, List<Long>> expected = check.expected();
        List<ConsumerRecord<byte[], byte[]>> labelRecords = check.labels();

        Map<String, Object> config = new HashMap<>(settings);
        config.put("bootstrap.servers", bootstrap);
        ReferenceAggregation reference =
                ReferenceAggregation.of(config, AlertRules.load(rules), labelRecords);
        List<String> counts =
                asText(TopicContents.readCommitted(bootstrap, COUNTS), KvlSerdes.labelCount());
        List<String> alerts =
                asText(TopicContents.readCommitted(bootstrap, ALERTS), KvlSerdes.alert());
        LOG.info(
                "Counts: {} on the topic, {} recomputed; alerts: {} on the topic, {}"
                        + " recomputed",
                counts.size(),
                reference.counts.size(),
                alerts.size(),
                reference.alerts.size());
        assertThat(reference.counts).as("closed windows recomputed").hasSizeGreaterThan(20);
        assertThat(counts).containsExactlyInAnyOrderElementsOf(reference.counts);
        assertThat(reference.alerts).as("alerts recomputed").isNotEmpty();
        assertThat(alerts).containsExactlyInAnyOrderElementsOf(reference.alerts);
        assertThat(reference.deadLetters).isZero();
        assertThat(TopicContents.readCommitted(bootstrap, DLQ)).as("dead letters").isEmpty();

        plantedFaultsAreCaught(cluster, bootstrap, expected, labelRecords);
    }

    /**
     * The verifier can fail: the labels copied to another topic with one frame left out and one
     * written twice are reported as exactly that gap and that duplicate.
     */
    private static void plantedFaultsAreCaught(
            KafkaCluster cluster,
            String bootstrap,
            Map<String, List<Long>> expected,
            List<ConsumerRecord<byte[], byte[]>> labels)
            throws Exception {
        String planted = "kvl.planted-labels";
        cluster.createTopics(CAMERAS, Map.of(), planted);
        LabeledFrame dropped = ReferenceAggregation.frame(labels.get(10));
        LabeledFrame doubled = ReferenceAggregation.frame(labels.get(labels.size() - 3));
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < labels.size(); i++) {
                ConsumerRecord<byte[], byte[]> r = labels.get(i);
                int copies = i == 10 ? 0 : i == labels.size() - 3 ? 2 : 1;
                for (int c = 0; c < copies; c++) {
                    producer.send(new ProducerRecord<>(planted, r.partition(), r.key(), r.value()))
                            .get();
                }
            }
        }
        SequenceReport report =
                SequenceReport.compare(
                        expected,
                        LabelsCheck.byCamera(TopicContents.readCommitted(bootstrap, planted)));
        LOG.info("Planted a gap and a duplicate: {}", report);
        assertThat(report.missing())
                .containsExactly(dropped.getCameraId() + "#" + dropped.getFrameIndex());
        assertThat(report.duplicates())
                .containsExactly(doubled.getCameraId() + "#" + doubled.getFrameIndex());
        assertThat(report.exactlyOnceInOrder()).isFalse();
    }

    /** Each record's value, decoded, as text (what {@link ReferenceAggregation} holds). */
    private static List<String> asText(
            List<ConsumerRecord<byte[], byte[]>> records, Deserializer<?> deserializer) {
        return records.stream()
                .map(r -> String.valueOf(deserializer.deserialize(r.topic(), r.value())))
                .toList();
    }

    private static String seconds(long nanos) {
        return String.format("%.1f", nanos / 1e9);
    }
}
