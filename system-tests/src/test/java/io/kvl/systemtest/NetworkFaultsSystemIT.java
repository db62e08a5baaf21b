package io.kvl.systemtest;

import static org.assertj.core.api.Assertions.assertThat;

import io.kvl.schemas.VideoChunk;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.containers.Network;

/**
 * A slow, narrow network between the labeler and the broker: every byte between them goes through
 * Toxiproxy (the broker's PROXIED listener), which for 30 s adds 200 ms of latency each way and
 * caps the bandwidth towards the labeler at 64 KB/s (the cameras send about 210 KB/s). The
 * application falls behind (consumer lag on the chunk topic grows), catches up once the toxics are
 * removed, and loses or repeats nothing: the labels are checked exactly once and in order.
 */
class NetworkFaultsSystemIT {
    private static final Logger LOG = LoggerFactory.getLogger(NetworkFaultsSystemIT.class);
    private static final String APP_ID = "kvl-system-network";
    private static final String CHUNKS = "kvl.video-chunks";
    private static final String LABELS = "kvl.labeled-frames";
    private static final String DLQ = "kvl.dead-letters";
    private static final int CAMERAS = 4;

    @Test
    void shouldCatchUpAfterLatencyAndABandwidthCapWithoutLosingOrRepeating() throws Exception {
        DockerRequirement.require(KafkaCluster.IMAGE, LabelerContainer.IMAGE, Toxiproxy.IMAGE);
        try (Network network = Network.newNetwork();
                KafkaCluster kafka = KafkaCluster.start(network, 1);
                Toxiproxy toxiproxy = new Toxiproxy(network)) {
            toxiproxy.start();
            toxiproxy.proxy("kafka-1", KafkaCluster.proxiedPort(1), "kafka-1:9095");
            String bootstrap = kafka.bootstrapServers();
            Map<String, String> big = Map.of("max.message.bytes", Integer.toString(16 << 20));
            kafka.createTopics(CAMERAS, big, CHUNKS);
            kafka.createTopics(CAMERAS, Map.of(), LABELS);
            kafka.createTopics(1, big, DLQ, "kvl.frames");

            Map<String, String> settings = appSettings(kafka.proxiedBootstrapServers());
            try (LabelerContainer labeler =
                    new LabelerContainer(network, "labeler-net", settings, null)) {
                labeler.start();
                List<VideoChunk> chunks =
                        LiveCameras.inCaptureOrder(
                                LiveCameras.play(CAMERAS, 3, System.currentTimeMillis()));
                long t0 = System.nanoTime();
                CompletableFuture<Integer> publishing =
                        CompletableFuture.supplyAsync(
                                () -> LiveCameras.publishLive(bootstrap, CHUNKS, chunks));
                Admin admin = kafka.admin();
                long before = maxLag(admin, t0, 20);
                toxiproxy.toxic(
                        "kafka-1", "latency-down", "latency", "downstream", "{\"latency\":200}");
                toxiproxy.toxic(
                        "kafka-1", "latency-up", "latency", "upstream", "{\"latency\":200}");
                toxiproxy.toxic("kafka-1", "narrow", "bandwidth", "downstream", "{\"rate\":64}");
                LOG.info("Toxics on at {} s (lag before: at most {} chunks)", seconds(t0), before);
                long during = maxLag(admin, System.nanoTime(), 30);
                toxiproxy.removeToxic("kafka-1", "latency-down");
                toxiproxy.removeToxic("kafka-1", "latency-up");
                toxiproxy.removeToxic("kafka-1", "narrow");
                LOG.info("Toxics off at {} s; lag reached {} chunks", seconds(t0), during);
                Duration recovery = awaitLag(admin, before + 1, Duration.ofMinutes(3));
                LOG.info(
                        "Lag back to {} chunks or less {} s after the toxics were removed",
                        before + 1,
                        String.format("%.1f", recovery.toMillis() / 1000.0));
                assertThat(during).as("lag under the toxics").isGreaterThan(before + 2);
                publishing.get();
                awaitLag(admin, 0, Duration.ofMinutes(3));
                labeler.stopGracefully();
                LabelsCheck check =
                        LabelsCheck.run(
                                admin, bootstrap, APP_ID, CHUNKS, LABELS, List.of(LABELS, DLQ));
                assertThat(check.report().expected()).isGreaterThan(400);
                assertThat(check.report().exactlyOnceInOrder())
                        .as(check.report().toString())
                        .isTrue();
                assertThat(TopicContents.readCommitted(bootstrap, DLQ))
                        .as("dead letters")
                        .isEmpty();
                LOG.info(
                        "Network faults: lag up to {} chunks under the toxics, back to {}"
                                + " within {} ms of their removal; {}",
                        during,
                        before + 1,
                        recovery.toMillis(),
                        check.report());
            }
        }
    }

    private static Map<String, String> appSettings(String bootstrap) {
        Map<String, String> settings = LabelerContainer.settings(bootstrap, APP_ID);
        settings.put("replication.factor", "1");
        settings.put("num.stream.threads", "4");
        settings.put("aggregation.enabled", "false");
        return settings;
    }

    /** The highest total lag seen over the next {@code seconds}. */
    private static long maxLag(Admin admin, long from, int seconds) throws Exception {
        long max = 0;
        long until = from + Duration.ofSeconds(seconds).toNanos();
        while (System.nanoTime() < until) {
            max = Math.max(max, lag(admin));
            Thread.sleep(1000);
        }
        return max;
    }

    /** Waits until the total lag is at most {@code target}; returns how long that took. */
    private static Duration awaitLag(Admin admin, long target, Duration timeout) throws Exception {
        long t0 = System.nanoTime();
        while (lag(admin) > target) {
            if (System.nanoTime() - t0 > timeout.toNanos()) {
                throw new AssertionError("lag still above " + target + " after " + timeout);
            }
            Thread.sleep(500);
        }
        return Duration.ofNanos(System.nanoTime() - t0);
    }

    private static long lag(Admin admin) throws Exception {
        return Quiescence.lag(admin, APP_ID, CHUNKS);
    }

    private static String seconds(long t0) {
        return String.format("%.1f", (System.nanoTime() - t0) / 1e9);
    }
}
