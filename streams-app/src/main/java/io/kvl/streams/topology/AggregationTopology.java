package io.kvl.streams.topology;

import io.kvl.registry.EventSerdes;
import io.kvl.schemas.Alert;
import io.kvl.schemas.DeadLetter;
import io.kvl.schemas.LabelCount;
import io.kvl.schemas.LabeledFrame;
import io.kvl.schemas.serde.KvlSerdes;
import io.kvl.streams.aggregate.LabelTally;
import io.kvl.streams.aggregate.LabelTallySerde;
import io.kvl.streams.aggregate.LateFrameProcessor;
import io.kvl.streams.aggregate.LatenessMarker;
import io.kvl.streams.aggregate.TimedFrame;
import io.kvl.streams.alert.AlertProcessor;
import io.kvl.streams.alert.AlertRules;
import io.kvl.streams.config.CountsEmit;
import io.kvl.streams.config.LabelerConfig;
import io.kvl.streams.deadletter.DeadLetterRouter;
import io.kvl.streams.metrics.LabelerMetrics;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.KTable;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Suppressed;
import org.apache.kafka.streams.kstream.TimeWindows;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowStore;

/**
 * Windowed label counts and alert rules over the labeled frames, in the DSL. Keys stay the camera
 * id throughout, so there is no repartition: counts and alerts of a camera are computed in the task
 * that owns its partition. Every operator and store has an explicit name.
 */
public final class AggregationTopology {
    /** Window store of {@link LabelTally} per camera, queryable over HTTP. */
    public static final String COUNTS_STORE = "label-counts-store";

    /** Sink of late frames' dead letters (the dead-letter topic). */
    static final String LATE_FRAMES_SINK = "late-frames-sink";

    private AggregationTopology() {}

    /**
     * Adds counts and alerts. The labels topic is read and the outputs are written with {@code
     * serdes}; internal stores and changelogs keep the single-object encoding (they never leave the
     * application, so they need no registry).
     */
    public static void addTo(
            StreamsBuilder builder,
            LabelerConfig config,
            AlertRules rules,
            LabelerMetrics metrics,
            EventSerdes serdes) {
        Serde<LabeledFrame> labeledFrames = serdes.serde(LabeledFrame.class);
        KStream<String, LabeledFrame> frames =
                builder.stream(
                        config.labelsTopic(),
                        Consumed.with(Serdes.String(), labeledFrames)
                                .withName("labeled-frames-source"));
        Map<String, KStream<String, TimedFrame>> branches =
                frames.processValues(
                                () ->
                                        new LatenessMarker(
                                                config.windowSizeMs(),
                                                config.windowAdvanceMs(),
                                                config.graceMs(),
                                                metrics),
                                Named.as("mark-late-frames"))
                        .split(Named.as("frames-"))
                        .branch((k, v) -> v.late(), Branched.as("late"))
                        .defaultBranch(Branched.as("on-time"));
        DeadLetterRouter lateLetters =
                new DeadLetterRouter(
                        LATE_FRAMES_SINK,
                        config.deadLetterTopic(),
                        serdes.serde(DeadLetter.class).serializer(),
                        metrics,
                        Integer.MAX_VALUE);
        branches.get("frames-late")
                .process(
                        () -> new LateFrameProcessor(lateLetters, labeledFrames.serializer()),
                        Named.as("late-frame-dead-letter"))
                .to(
                        config.deadLetterTopic(),
                        Produced.with(Serdes.ByteArray(), Serdes.ByteArray())
                                .withName(LATE_FRAMES_SINK));
        KStream<String, LabeledFrame> onTime =
                branches.get("frames-on-time")
                        .mapValues(TimedFrame::frame, Named.as("unwrap-on-time-frames"));
        counts(onTime, config, rules, serdes.serde(LabelCount.class));
        if (!rules.rules().isEmpty()) {
            alerts(builder, frames, config, rules, serdes.serde(Alert.class));
        }
    }

    private static void counts(
            KStream<String, LabeledFrame> frames,
            LabelerConfig config,
            AlertRules rules,
            Serde<LabelCount> countSerde) {
        double minScore = config.countsMinScore();
        TimeWindows windows =
                TimeWindows.ofSizeAndGrace(
                                Duration.ofMillis(config.windowSizeMs()),
                                Duration.ofMillis(config.graceMs()))
                        .advanceBy(Duration.ofMillis(config.windowAdvanceMs()));
        KTable<Windowed<String>, LabelTally> tallies =
                frames.groupByKey(
                                Grouped.with(
                                        "frames-by-camera",
                                        Serdes.String(),
                                        KvlSerdes.labeledFrame()))
                        .windowedBy(windows)
                        .aggregate(
                                LabelTally::new,
                                (camera, frame, tally) ->
                                        tally.add(frame, minScore, rules.groups()),
                                Named.as("tally-labels"),
                                Materialized.<String, LabelTally, WindowStore<Bytes, byte[]>>as(
                                                COUNTS_STORE)
                                        .withKeySerde(Serdes.String())
                                        .withValueSerde(new LabelTallySerde()));
        boolean closedOnly = config.countsEmit() == CountsEmit.FINAL;
        if (closedOnly) {
            tallies =
                    tallies.suppress(
                            Suppressed.untilWindowCloses(Suppressed.BufferConfig.unbounded())
                                    .withName("final-label-counts"));
        }
        tallies.toStream(Named.as("label-tallies"))
                .flatMap(
                        (w, tally) -> toCounts(w, tally, closedOnly),
                        Named.as("tally-to-label-counts"))
                .to(
                        config.countsTopic(),
                        Produced.with(Serdes.String(), countSerde).withName("label-counts-sink"));
    }

    private static void alerts(
            StreamsBuilder builder,
            KStream<String, LabeledFrame> frames,
            LabelerConfig config,
            AlertRules rules,
            Serde<Alert> alertSerde) {
        builder.addStateStore(
                Stores.keyValueStoreBuilder(
                        Stores.persistentKeyValueStore(AlertProcessor.STATE_STORE),
                        Serdes.String(),
                        Serdes.ByteArray()));
        builder.addStateStore(
                Stores.windowStoreBuilder(
                        Stores.persistentWindowStore(
                                AlertProcessor.RECENT_STORE,
                                Duration.ofDays(1),
                                Duration.ofHours(1),
                                false),
                        Serdes.String(),
                        KvlSerdes.alert()));
        KStream<String, Alert> alerts =
                frames.process(
                        () -> new AlertProcessor(rules),
                        Named.as("evaluate-alert-rules"),
                        AlertProcessor.STATE_STORE,
                        AlertProcessor.RECENT_STORE);
        alerts.to(
                config.alertsTopic(),
                Produced.with(Serdes.String(), alertSerde).withName("alerts-sink"));
    }

    static List<KeyValue<String, LabelCount>> toCounts(
            Windowed<String> w, LabelTally tally, boolean closed) {
        List<KeyValue<String, LabelCount>> out = new ArrayList<>();
        if (tally == null) {
            return out;
        }
        String camera = w.key();
        for (Map.Entry<String, LabelTally.Stat> e : tally.stats().entrySet()) {
            LabelTally.Stat s = e.getValue();
            LabelCount c =
                    LabelCount.newBuilder()
                            .setCameraId(camera)
                            .setLabel(e.getKey())
                            .setClassIndex(s.classIndex())
                            .setWindowStart(Instant.ofEpochMilli(w.window().start()))
                            .setWindowEnd(Instant.ofEpochMilli(w.window().end()))
                            .setFrames(s.frames())
                            .setMaxScore(s.maxScore())
                            .setMeanScore(s.meanScore())
                            .setClosed(closed)
                            .build();
            out.add(KeyValue.pair(camera + "|" + e.getKey() + "|" + w.window().start(), c));
        }
        return out;
    }
}
