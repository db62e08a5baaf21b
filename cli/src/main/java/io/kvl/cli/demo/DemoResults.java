package io.kvl.cli.demo;

import io.kvl.schemas.Alert;
import io.kvl.schemas.LabelCount;
import io.kvl.schemas.LabeledFrame;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** What the demo saw on the output topics, collected by its consumer thread. */
final class DemoResults {
    final List<LabeledFrame> frames = Collections.synchronizedList(new ArrayList<>());
    final List<Alert> alerts = Collections.synchronizedList(new ArrayList<>());
    final List<LabelCount> counts = Collections.synchronizedList(new ArrayList<>());

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
