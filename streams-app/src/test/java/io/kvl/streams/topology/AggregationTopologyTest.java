package io.kvl.streams.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.kvl.schemas.Alert;
import io.kvl.schemas.DeadLetter;
import io.kvl.schemas.Label;
import io.kvl.schemas.LabelCount;
import io.kvl.schemas.LabeledFrame;
import io.kvl.schemas.ModelRef;
import io.kvl.schemas.Severity;
import io.kvl.schemas.serde.AvroBytes;
import io.kvl.schemas.serde.KvlSerdes;
import io.kvl.streams.alert.AlertRules;
import io.kvl.streams.config.LabelerConfig;
import io.kvl.streams.inference.FakeModel;
import io.kvl.streams.inference.MicroBatcher;
import io.kvl.streams.metrics.LabelerMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Windowed counts, late frames and alert episodes on TopologyTestDriver. */
class AggregationTopologyTest {
    private static final String RULES =
            String.join(
                    "\n",
                    "groups:",
                    "  bottle: [beer bottle, wine bottle, water bottle, pop bottle]",
                    "  vehicle: [cab, sports car, minivan, pickup]",
                    "rules:",
                    "  - id: bottles",
                    "    labels: [bottle]",
                    "    min_score: 0.5",
                    "    min_frames: 3",
                    "    within_ms: 10000",
                    "    cameras: [line-*]",
                    "    cooldown_ms: 30000",
                    "    severity: CRITICAL",
                    "  - id: car-streak",
                    "    labels: [vehicle]",
                    "    min_score: 0.4",
                    "    min_frames: 2",
                    "    consecutive: true",
                    "    cooldown_ms: 5000",
                    "");

    private TopologyTestDriver driver;
    private MicroBatcher batcher;
    private TestInputTopic<String, LabeledFrame> labels;
    private TestOutputTopic<String, LabelCount> counts;
    private TestOutputTopic<String, Alert> alerts;
    private TestOutputTopic<String, DeadLetter> deadLetters;
    private LabelerConfig config;

    private void start(Map<String, Object> overrides) {
        Map<String, Object> props = new HashMap<>();
        props.put("bootstrap.servers", "unused:9092");
        props.put(LabelerConfig.COUNTS_WINDOW_SIZE_MS_CONFIG, 10_000L);
        props.put(LabelerConfig.COUNTS_GRACE_MS_CONFIG, 2_000L);
        props.putAll(overrides);
        config = new LabelerConfig(props);
        batcher = new FakeModel().batcher(224, 1, 0);
        LabelerMetrics metrics = new LabelerMetrics(new SimpleMeterRegistry());
        AlertRules rules = AlertRules.parse("rules.yaml", RULES);
        Properties streams = config.streamsProperties();
        streams.put("processing.guarantee", "at_least_once");
        driver =
                new TopologyTestDriver(
                        LabelerTopology.build(config, batcher, metrics, rules), streams);
        labels =
                driver.createInputTopic(
                        config.labelsTopic(),
                        new StringSerializer(),
                        KvlSerdes.labeledFrame().serializer());
        counts =
                driver.createOutputTopic(
                        config.countsTopic(),
                        new StringDeserializer(),
                        KvlSerdes.labelCount().deserializer());
        alerts =
                driver.createOutputTopic(
                        config.alertsTopic(),
                        new StringDeserializer(),
                        KvlSerdes.alert().deserializer());
        deadLetters =
                driver.createOutputTopic(
                        config.deadLetterTopic(),
                        new StringDeserializer(),
                        KvlSerdes.deadLetter().deserializer());
    }

    @AfterEach
    void close() {
        driver.close();
        batcher.close();
    }

    private void frame(String camera, long t, Object... labelAndScore) {
        List<Label> ls = new ArrayList<>();
        for (int i = 0; i < labelAndScore.length; i += 2) {
            ls.add(
                    Label.newBuilder()
                            .setClassIndex(i)
                            .setName((String) labelAndScore[i])
                            .setScore(((Number) labelAndScore[i + 1]).floatValue())
                            .build());
        }
        LabeledFrame f =
                LabeledFrame.newBuilder()
                        .setCameraId(camera)
                        .setCaptureTimestamp(Instant.ofEpochMilli(t))
                        .setFrameIndex(t / 100)
                        .setLabels(ls)
                        .setModel(
                                ModelRef.newBuilder()
                                        .setName("m")
                                        .setVariant("v")
                                        .setVersion("1")
                                        .build())
                        .setBatchSize(1)
                        .setInferenceLatencyMs(1)
                        .setEndToEndLatencyMs(1)
                        .build();
        labels.pipeInput(camera, f, t);
    }

    private static Map<String, LabelCount> byLabel(List<LabelCount> list) {
        Map<String, LabelCount> m = new HashMap<>();
        for (LabelCount c : list) {
            m.put(
                    c.getCameraId() + "/" + c.getLabel() + "@" + c.getWindowStart().toEpochMilli(),
                    c);
        }
        return m;
    }

    @Test
    void shouldEmitFinalCountsWhenTheWindowCloses() {
        start(Map.of());
        frame("cam-1", 1_000, "beer bottle", 0.8, "cab", 0.1);
        frame("cam-1", 4_000, "beer bottle", 0.6, "wine bottle", 0.3);
        frame("cam-1", 9_000, "cab", 0.9);
        assertThat(counts.isEmpty()).as("window [0,10s) still open").isTrue();
        frame("cam-1", 12_500, "cab", 0.5); // stream time 12.5 s > 10 s + 2 s grace: closes [0,10s)
        Map<String, LabelCount> out = byLabel(counts.readValuesToList());
        assertThat(out)
                .containsOnlyKeys(
                        "cam-1/beer bottle@0",
                        "cam-1/wine bottle@0",
                        "cam-1/cab@0",
                        "cam-1/vehicle@0",
                        "cam-1/bottle@0");
        assertThat(out.get("cam-1/beer bottle@0").getFrames()).isEqualTo(2);
        assertThat(out.get("cam-1/beer bottle@0").getMaxScore()).isEqualTo(0.8f);
        assertThat(out.get("cam-1/beer bottle@0").getMeanScore())
                .isCloseTo(0.7f, org.assertj.core.data.Offset.offset(1e-6f));
        // The group counts a frame once even when two of its members are in the frame.
        assertThat(out.get("cam-1/bottle@0").getFrames()).isEqualTo(2);
        assertThat(out.get("cam-1/bottle@0").getClassIndex()).isEqualTo(-1);
        // cab at 0.1 is below counts.min.score (0.2) in the first frame.
        assertThat(out.get("cam-1/cab@0").getFrames()).isEqualTo(1);
        assertThat(out.values()).allMatch(LabelCount::getClosed);
        assertThat(out.get("cam-1/cab@0").getWindowEnd()).isEqualTo(Instant.ofEpochMilli(10_000));
    }

    @Test
    void shouldEmitEveryUpdateInUpdatesMode() {
        start(
                Map.of(
                        LabelerConfig.COUNTS_EMIT_CONFIG,
                        "updates",
                        "statestore.cache.max.bytes",
                        "0"));
        frame("cam-1", 1_000, "cab", 0.8);
        frame("cam-1", 2_000, "cab", 0.9);
        List<LabelCount> out = counts.readValuesToList();
        // Each update emits the label and its group (cab is a vehicle).
        assertThat(out)
                .extracting(c -> c.getLabel() + "=" + c.getFrames())
                .containsExactly("cab=1", "vehicle=1", "cab=2", "vehicle=2");
        assertThat(out).noneMatch(LabelCount::getClosed);
    }

    @Test
    void shouldSendFramesLaterThanTheGraceToDeadLettersAndNotCountThem() {
        start(Map.of());
        frame("cam-1", 1_000, "cab", 0.8);
        frame("cam-1", 15_000, "cab", 0.8); // stream time 15 s: window [0,10s) closed at 12 s
        frame("cam-1", 3_000, "cab", 0.9); // late
        frame("cam-1", 30_000, "cab", 0.8); // closes [10s,20s)
        List<TestRecord<String, DeadLetter>> records = deadLetters.readRecordsToList();
        assertThat(records).hasSize(1);
        List<DeadLetter> dead = records.stream().map(TestRecord::value).toList();
        assertThat(dead.get(0).getReason()).startsWith("late-frame");
        LabeledFrame original = KvlSerdes.labeledFrame().deserialize("", bytes(dead.get(0)));
        assertThat(original.getCaptureTimestamp()).isEqualTo(Instant.ofEpochMilli(3_000));
        // The same contract as bad input: where it came from, the original key, the headers.
        DeadLetter letter = dead.get(0);
        assertThat(letter.getStage()).isEqualTo("aggregate");
        assertThat(letter.getSourceTopic()).isEqualTo(config.labelsTopic());
        assertThat(letter.getSourcePartition()).isEqualTo(0);
        assertThat(letter.getSourceOffset()).isEqualTo(2L);
        assertThat(letter.getCameraId()).isEqualTo("cam-1");
        assertThat(AvroBytes.copy(letter.getOriginalKey()))
                .isEqualTo("cam-1".getBytes(StandardCharsets.UTF_8));
        Headers headers = records.get(0).headers();
        assertThat(header(headers, "kvl.dlq.reason")).isEqualTo("late-frame");
        assertThat(header(headers, "kvl.dlq.stage")).isEqualTo("aggregate");
        assertThat(header(headers, "kvl.dlq.source.topic")).isEqualTo(config.labelsTopic());
        assertThat(header(headers, "kvl.dlq.source.partition")).isEqualTo("0");
        assertThat(header(headers, "kvl.dlq.source.offset")).isEqualTo("2");
        assertThat(header(headers, "kvl.dlq.error")).startsWith("captured ");
        Map<String, LabelCount> out = byLabel(counts.readValuesToList());
        assertThat(out.get("cam-1/cab@0").getFrames()).isEqualTo(1);
        assertThat(out.get("cam-1/cab@10000").getFrames()).isEqualTo(1);
    }

    private static byte[] bytes(DeadLetter d) {
        return AvroBytes.copy(d.getOriginalValue());
    }

    private static String header(Headers headers, String name) {
        Header h = headers.lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    @Test
    void shouldAlertOncePerEpisodeAndSuppressRepeatsWithinTheCooldown() {
        start(Map.of());
        frame("line-1", 1_000, "beer bottle", 0.9);
        frame("line-1", 2_000, "water bottle", 0.7);
        assertThat(alerts.isEmpty()).as("two of three frames").isTrue();
        frame("line-1", 3_000, "pop bottle", 0.6);
        List<Alert> first = alerts.readValuesToList();
        assertThat(first).hasSize(1);
        Alert a = first.get(0);
        assertThat(a.getRuleId()).isEqualTo("bottles");
        assertThat(a.getSeverity()).isEqualTo(Severity.CRITICAL);
        assertThat(a.getFirstSeen()).isEqualTo(Instant.ofEpochMilli(1_000));
        assertThat(a.getLastSeen()).isEqualTo(Instant.ofEpochMilli(3_000));
        assertThat(a.getFrameCount()).isEqualTo(3);
        assertThat(a.getPeakScore()).isEqualTo(0.9f);
        // The episode goes on: more matching frames, no new alert.
        for (long t = 4_000; t <= 20_000; t += 1_000) {
            frame("line-1", t, "beer bottle", 0.8);
        }
        // A quiet gap shorter than the cooldown does not end the episode.
        frame("line-1", 40_000, "beer bottle", 0.8);
        frame("line-1", 41_000, "beer bottle", 0.8);
        frame("line-1", 42_000, "beer bottle", 0.8);
        assertThat(alerts.isEmpty()).isTrue();
        // Below min_score or another camera pattern: no match.
        frame("dock-1", 43_000, "beer bottle", 0.99);
        frame("dock-1", 44_000, "beer bottle", 0.99);
        frame("dock-1", 45_000, "beer bottle", 0.99);
        assertThat(alerts.isEmpty()).isTrue();
        // After a gap of at least the cooldown a new episode fires a new alert.
        frame("line-1", 80_000, "beer bottle", 0.8);
        frame("line-1", 81_000, "beer bottle", 0.4);
        frame("line-1", 82_000, "beer bottle", 0.8);
        assertThat(alerts.isEmpty()).as("the 0.4 frame does not match").isTrue();
        frame("line-1", 83_000, "wine bottle", 0.8);
        List<Alert> second = alerts.readValuesToList();
        assertThat(second).hasSize(1);
        assertThat(second.get(0).getFirstSeen()).isEqualTo(Instant.ofEpochMilli(80_000));
        assertThat(second.get(0).getAlertId()).isNotEqualTo(a.getAlertId());
    }

    @Test
    void shouldRequireConsecutiveFramesForAStreakRuleAndMatchLabelGroups() {
        start(Map.of());
        frame("road", 1_000, "cab", 0.9);
        frame("road", 2_000, "tabby", 0.9);
        frame("road", 3_000, "minivan", 0.5);
        assertThat(alerts.isEmpty()).as("the streak was broken").isTrue();
        frame("road", 4_000, "pickup", 0.45);
        List<Alert> out = alerts.readValuesToList();
        assertThat(out).hasSize(1);
        assertThat(out.get(0).getRuleId()).isEqualTo("car-streak");
        assertThat(out.get(0).getCameraId()).isEqualTo("road");
        assertThat(out.get(0).getFirstSeen()).isEqualTo(Instant.ofEpochMilli(3_000));
    }
}
