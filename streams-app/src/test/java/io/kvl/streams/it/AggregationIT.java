package io.kvl.streams.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kvl.kafka.embedded.EmbeddedKafka;
import io.kvl.schemas.Alert;
import io.kvl.schemas.LabelCount;
import io.kvl.schemas.serde.KvlSerdes;
import io.kvl.streams.app.LabelerApp;
import io.kvl.streams.config.LabelerConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts and alerts on the real broker with the sample clips as cameras: a bottle rule fires for
 * the bottle cameras and not for the car cameras; the HTTP query returns what the counts topic
 * holds.
 */
class AggregationIT {
    private static final Logger LOG = LoggerFactory.getLogger(AggregationIT.class);
    static final String COUNTS = "kvl.label-counts";
    static final String ALERTS = "kvl.alerts";
    private static final String RULES =
            String.join(
                    "\n",
                    "groups:",
                    "  bottle: [water bottle, beer bottle, wine bottle, pop bottle, pill bottle,"
                            + " water jug, whiskey jug]",
                    "rules:",
                    "  - id: bottle-seen",
                    "    labels: [bottle]",
                    "    min_score: 0.3",
                    "    min_frames: 3",
                    "    within_ms: 10000",
                    "    cooldown_ms: 60000",
                    "    severity: WARNING",
                    "");

    @Test
    void bottleRuleShouldFireForBottleCamerasOnlyAndQueriesShouldMatchTheCountsTopic(
            @TempDir Path dir) throws Exception {
        Cameras cameras = Cameras.fourCameras();
        int total = Cameras.total(cameras.expectedFrames());
        Path rules = Files.writeString(dir.resolve("rules.yaml"), RULES);
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            LabelingIT.createTopics(kafka);
            kafka.createTopics(4, COUNTS, ALERTS);
            String bootstrap = kafka.bootstrapServers();
            Map<String, Object> config =
                    new HashMap<>(
                            LabelingIT.appConfig(
                                    bootstrap, "kvl-aggregation-it", dir.resolve("state")));
            config.put(LabelerConfig.ALERT_RULES_FILE_CONFIG, rules.toString());
            config.put(LabelerConfig.COUNTS_WINDOW_SIZE_MS_CONFIG, "10000");
            config.put(LabelerConfig.COUNTS_GRACE_MS_CONFIG, "0");
            try (LabelerApp app = LabelerApp.start(new LabelerConfig(config))) {
                LabelingIT.publish(bootstrap, cameras);
                Cameras.readCommitted(bootstrap, LabelingIT.LABELS, total, Duration.ofMinutes(4));
                List<Alert> alerts =
                        read(
                                bootstrap,
                                ALERTS,
                                a -> KvlSerdes.alert().deserialize(ALERTS, a),
                                2,
                                Duration.ofMinutes(1));
                LOG.info("Alerts: {}", alerts);
                Set<String> alerted =
                        alerts.stream().map(Alert::getCameraId).collect(Collectors.toSet());
                assertThat(alerted).containsExactlyInAnyOrder("bottle-1", "bottle-2");
                assertThat(alerts).hasSize(2).allMatch(a -> a.getRuleId().equals("bottle-seen"));

                // 40 s of bottle clip in 10 s windows: at least three closed windows per bottle
                // camera.
                List<LabelCount> counts =
                        read(
                                bootstrap,
                                COUNTS,
                                c -> KvlSerdes.labelCount().deserialize(COUNTS, c),
                                6,
                                Duration.ofSeconds(30));
                assertThat(counts).isNotEmpty().allMatch(LabelCount::getClosed);
                JsonNode queried =
                        new ObjectMapper()
                                .readTree(get("http://127.0.0.1:" + app.httpPort() + "/counts"));
                Map<String, Long> fromQuery = new HashMap<>();
                for (JsonNode row : queried.get("counts")) {
                    fromQuery.put(
                            row.get("camera").asText()
                                    + "|"
                                    + row.get("label").asText()
                                    + "|"
                                    + row.get("window_start").asLong(),
                            row.get("frames").asLong());
                }
                for (LabelCount c : counts) {
                    String key =
                            c.getCameraId()
                                    + "|"
                                    + c.getLabel()
                                    + "|"
                                    + c.getWindowStart().toEpochMilli();
                    assertThat(fromQuery).as(key).containsEntry(key, c.getFrames());
                }
                LOG.info(
                        "{} closed counts on the topic, all equal to the HTTP query",
                        counts.size());
                JsonNode queriedAlerts =
                        new ObjectMapper()
                                .readTree(get("http://127.0.0.1:" + app.httpPort() + "/alerts"));
                assertThat(queriedAlerts.get("alerts")).hasSize(2);
            }
        }
    }

    static String get(String url) throws Exception {
        HttpResponse<String> r =
                HttpClient.newHttpClient()
                        .send(
                                HttpRequest.newBuilder(URI.create(url)).build(),
                                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        return r.body();
    }

    static <T> List<T> read(
            String bootstrap,
            String topic,
            java.util.function.Function<byte[], T> decode,
            int atLeast,
            Duration timeout) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "verify-" + topic + System.nanoTime());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<T> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> c =
                new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            c.subscribe(List.of(topic));
            long deadline = System.nanoTime() + timeout.toNanos();
            long settle = -1;
            while (System.nanoTime() < deadline && (settle < 0 || System.nanoTime() < settle)) {
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(500))) {
                    out.add(decode.apply(r.value()));
                }
                if (out.size() >= atLeast && settle < 0) {
                    settle = System.nanoTime() + Duration.ofSeconds(3).toNanos();
                }
            }
        }
        return out;
    }
}
