package io.kvl.streams.alert;

import io.kvl.efficientnet.image.ImageNetClasses;
import io.kvl.schemas.Alert;
import io.kvl.schemas.Label;
import io.kvl.schemas.LabeledFrame;
import java.time.Instant;
import java.util.Locale;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.WindowStore;

/**
 * Evaluates the alert rules on each camera's labeled frames, by capture time. An episode starts
 * when a rule's condition first holds ({@code min_frames} matching frames within {@code within_ms},
 * or in a row) and emits exactly one {@link Alert}; it lasts while matching frames keep coming less
 * than {@code cooldown_ms} apart, and alerts of the same rule and camera are never closer than the
 * cooldown. State is in a changelogged store, so with exactly-once processing an alert is neither
 * lost nor repeated across restarts.
 */
public final class AlertProcessor implements Processor<String, LabeledFrame, String, Alert> {
    /** Per rule and camera: {@link EpisodeState}. */
    public static final String STATE_STORE = "alert-episode-state";

    /** Alerts of the last day per camera, for the HTTP query endpoint. */
    public static final String RECENT_STORE = "recent-alerts";

    private final AlertRules rules;
    private ProcessorContext<String, Alert> ctx;
    private KeyValueStore<String, byte[]> state;
    private WindowStore<String, Alert> recent;

    public AlertProcessor(AlertRules rules) {
        this.rules = rules;
    }

    @Override
    public void init(ProcessorContext<String, Alert> context) {
        this.ctx = context;
        this.state = context.getStateStore(STATE_STORE);
        this.recent = context.getStateStore(RECENT_STORE);
    }

    @Override
    public void process(Record<String, LabeledFrame> record) {
        LabeledFrame frame = record.value();
        if (frame == null) {
            return; // tombstones carry no frame; nothing to evaluate
        }
        String camera = frame.getCameraId();
        long t = frame.getCaptureTimestamp().toEpochMilli();
        for (AlertRule rule : rules.rules()) {
            if (rule.appliesTo(camera)) {
                evaluate(rule, camera, t, bestMatch(rule, frame));
            }
        }
    }

    private void evaluate(AlertRule rule, String camera, long t, Label match) {
        String key = rule.id() + "|" + camera;
        EpisodeState s = EpisodeState.fromBytes(state.get(key));
        if (s.active && t - s.lastMatch >= rule.cooldownMs()) {
            s.active = false;
            s.recent.clear();
            s.consecutive = 0;
        }
        if (match == null) {
            s.consecutive = 0;
            state.put(key, s.toBytes());
            return;
        }
        s.consecutive++;
        s.recent.addLast(
                new long[] {t, Float.floatToIntBits(match.getScore()), match.getClassIndex()});
        while (!s.recent.isEmpty() && s.recent.peekFirst()[0] <= t - rule.withinMs()) {
            s.recent.removeFirst();
        }
        if (rule.consecutive()) {
            while (s.recent.size() > s.consecutive) {
                s.recent.removeFirst();
            }
        }
        if (s.active) {
            s.lastMatch = t;
        } else if (conditionHolds(rule, s) && cooledDown(rule, s, t)) {
            emit(rule, camera, s, t);
            s.active = true;
            s.lastMatch = t;
            s.lastAlert = t;
        }
        state.put(key, s.toBytes());
    }

    private static boolean cooledDown(AlertRule rule, EpisodeState s, long t) {
        return s.lastAlert == Long.MIN_VALUE || t - s.lastAlert >= rule.cooldownMs();
    }

    private static boolean conditionHolds(AlertRule rule, EpisodeState s) {
        return rule.consecutive()
                ? s.consecutive >= rule.minFrames()
                : s.recent.size() >= rule.minFrames();
    }

    private void emit(AlertRule rule, String camera, EpisodeState s, long t) {
        long first = s.recent.peekFirst()[0];
        float peak = 0;
        int peakClass = -1;
        for (long[] r : s.recent) {
            float score = Float.intBitsToFloat((int) r[1]);
            if (score > peak) {
                peak = score;
                peakClass = (int) r[2];
            }
        }
        ImageNetClasses classes = ImageNetClasses.get();
        String label =
                peakClass >= 0 && peakClass < classes.size()
                        ? classes.name(peakClass)
                        : "class_" + peakClass;
        Alert alert =
                Alert.newBuilder()
                        .setAlertId(rule.id() + "/" + camera + "/" + first)
                        .setRuleId(rule.id())
                        .setSeverity(rule.severity())
                        .setCameraId(camera)
                        .setLabel(label)
                        .setFirstSeen(Instant.ofEpochMilli(first))
                        .setLastSeen(Instant.ofEpochMilli(t))
                        .setFrameCount(s.recent.size())
                        .setPeakScore(peak)
                        .setWindowStart(Instant.ofEpochMilli(t - rule.withinMs()))
                        .setWindowEnd(Instant.ofEpochMilli(t))
                        .build();
        recent.put(alert.getAlertId(), alert, t);
        ctx.forward(new Record<>(camera, alert, t));
    }

    /** The rule's best-scoring label in the frame, or null when none reaches min_score. */
    private static Label bestMatch(AlertRule rule, LabeledFrame frame) {
        Label best = null;
        for (Label l : frame.getLabels()) {
            if (l.getScore() >= rule.minScore()
                    && rule.labels().contains(l.getName().toLowerCase(Locale.ROOT))
                    && (best == null || l.getScore() > best.getScore())) {
                best = l;
            }
        }
        return best;
    }
}
