package io.kvl.streams.aggregate;

import io.kvl.schemas.Label;
import io.kvl.schemas.LabeledFrame;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * One camera's label statistics in one window: per label, the frames it appeared in (among the
 * frame's top labels with at least the minimum score), the best and the summed score. Label groups
 * count as labels (a frame counts once per group).
 */
public final class LabelTally {
    /** Statistics of one label. */
    public static final class Stat {
        long frames;
        float maxScore;
        double sumScore;
        int classIndex;

        public long frames() {
            return frames;
        }

        public float maxScore() {
            return maxScore;
        }

        public float meanScore() {
            return frames == 0 ? 0 : (float) (sumScore / frames);
        }

        public int classIndex() {
            return classIndex;
        }
    }

    private static final byte VERSION = 1;
    private final Map<String, Stat> stats = new TreeMap<>();

    public Map<String, Stat> stats() {
        return stats;
    }

    /** Adds one frame; returns this, for Kafka Streams' aggregator. */
    public LabelTally add(LabeledFrame frame, double minScore, Map<String, Set<String>> groups) {
        Map<String, float[]> seen = new TreeMap<>();
        for (Label l : frame.getLabels()) {
            if (l.getScore() < minScore) {
                continue;
            }
            String name = l.getName().toLowerCase(Locale.ROOT);
            seen.merge(
                    name,
                    new float[] {l.getScore(), l.getClassIndex()},
                    (a, b) -> a[0] >= b[0] ? a : b);
            for (Map.Entry<String, Set<String>> g : groups.entrySet()) {
                if (g.getValue().contains(name)) {
                    seen.merge(
                            g.getKey(),
                            new float[] {l.getScore(), -1},
                            (a, b) -> a[0] >= b[0] ? a : b);
                }
            }
        }
        for (Map.Entry<String, float[]> e : seen.entrySet()) {
            Stat s = stats.computeIfAbsent(e.getKey(), k -> new Stat());
            s.frames++;
            s.maxScore = Math.max(s.maxScore, e.getValue()[0]);
            s.sumScore += e.getValue()[0];
            s.classIndex = (int) e.getValue()[1];
        }
        return this;
    }

    byte[] toBytes() {
        int size = 1 + 4;
        for (String k : stats.keySet()) {
            size += 4 + k.getBytes(StandardCharsets.UTF_8).length + 8 + 4 + 8 + 4;
        }
        ByteBuffer b = ByteBuffer.allocate(size).put(VERSION).putInt(stats.size());
        for (Map.Entry<String, Stat> e : stats.entrySet()) {
            byte[] name = e.getKey().getBytes(StandardCharsets.UTF_8);
            Stat s = e.getValue();
            b.putInt(name.length)
                    .put(name)
                    .putLong(s.frames)
                    .putFloat(s.maxScore)
                    .putDouble(s.sumScore)
                    .putInt(s.classIndex);
        }
        return b.array();
    }

    static LabelTally fromBytes(byte[] bytes) {
        LabelTally t = new LabelTally();
        ByteBuffer b = ByteBuffer.wrap(bytes);
        byte version = b.get();
        if (version != VERSION) {
            throw new IllegalStateException("unknown label tally version " + version);
        }
        int n = b.getInt();
        for (int i = 0; i < n; i++) {
            byte[] name = new byte[b.getInt()];
            b.get(name);
            Stat s = new Stat();
            s.frames = b.getLong();
            s.maxScore = b.getFloat();
            s.sumScore = b.getDouble();
            s.classIndex = b.getInt();
            t.stats.put(new String(name, StandardCharsets.UTF_8), s);
        }
        return t;
    }
}
