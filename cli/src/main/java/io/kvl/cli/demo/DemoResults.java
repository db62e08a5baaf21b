package io.kvl.cli.demo;

import io.kvl.schemas.Alert;
import io.kvl.schemas.LabelCount;
import io.kvl.schemas.LabeledFrame;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.TopicPartition;

/** What the demo saw on the output topics, collected by its consumer thread. */
final class DemoResults {
    final List<LabeledFrame> frames = Collections.synchronizedList(new ArrayList<>());
    final List<Alert> alerts = Collections.synchronizedList(new ArrayList<>());
    final List<LabelCount> counts = Collections.synchronizedList(new ArrayList<>());

    /** Distinct frame indexes per camera read from the labels topic: what ends the demo. */
    private final Map<String, Set<Long>> labeled = new ConcurrentHashMap<>();

    /** Offset of the last label read, per labels-topic partition. */
    private final Map<TopicPartition, Long> lastLabelOffsets = new ConcurrentHashMap<>();

    void addLabel(LabeledFrame f, TopicPartition partition, long offset) {
        frames.add(f);
        labeled.computeIfAbsent(f.getCameraId(), k -> ConcurrentHashMap.newKeySet())
                .add(f.getFrameIndex());
        lastLabelOffsets.merge(partition, offset, Math::max);
    }

    /** The distinct frames of {@code camera} read from the labels topic so far. */
    Set<Long> labeledFrames(String camera) {
        return Collections.unmodifiableSet(labeled.getOrDefault(camera, Set.of()));
    }

    /** Per labels-topic partition, the offset just after the last label read. */
    Map<TopicPartition, Long> labelsReadUpTo() {
        Map<TopicPartition, Long> m = new HashMap<>();
        lastLabelOffsets.forEach((tp, offset) -> m.put(tp, offset + 1));
        return m;
    }

    /** Camera to (top-1 label to frames), most frequent first when iterated via {@link #top}. */
    Map<String, Map<String, Integer>> topLabels() {
        Map<String, Map<String, Integer>> m = new TreeMap<>();
        synchronized (frames) {
            for (LabeledFrame f : frames) {
                if (!f.getLabels().isEmpty()) {
                    m.computeIfAbsent(f.getCameraId(), k -> new TreeMap<>())
                            .merge(f.getLabels().get(0).getName(), 1, Integer::sum);
                }
            }
        }
        return m;
    }

    /** The {@code n} most frequent entries of a label histogram. */
    static List<Map.Entry<String, Integer>> top(Map<String, Integer> histogram, int n) {
        List<Map.Entry<String, Integer>> list = new ArrayList<>(histogram.entrySet());
        list.sort(Map.Entry.<String, Integer>comparingByValue().reversed());
        return list.subList(0, Math.min(n, list.size()));
    }
}
