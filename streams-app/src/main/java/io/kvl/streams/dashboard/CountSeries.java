package io.kvl.streams.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The chart data of each camera: frames per label in its most recent windows, for the labels with
 * the most frames over those windows.
 */
final class CountSeries {
    static final int WINDOWS = 12;
    static final int LABELS = 4;

    private CountSeries() {}

    /** Camera to {@code {windows: [start...], series: [{label, frames: [...]}]}}. */
    static Map<String, Object> byCamera(JsonNode rows) {
        Map<String, TreeMap<Long, Map<String, Long>>> byCamera = new TreeMap<>();
        for (JsonNode r : rows) {
            byCamera.computeIfAbsent(r.get("camera").asText(), k -> new TreeMap<>())
                    .computeIfAbsent(r.get("window_start").asLong(), k -> new TreeMap<>())
                    .merge(r.get("label").asText(), r.get("frames").asLong(), Long::sum);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        byCamera.forEach((camera, windows) -> out.put(camera, series(windows)));
        return out;
    }

    private static Map<String, Object> series(TreeMap<Long, Map<String, Long>> windows) {
        List<Long> starts = new ArrayList<>(windows.keySet());
        starts = starts.subList(Math.max(0, starts.size() - WINDOWS), starts.size());
        Map<String, Long> totals = new TreeMap<>();
        for (Long s : starts) {
            windows.get(s).forEach((label, n) -> totals.merge(label, n, Long::sum));
        }
        List<String> top =
                totals.entrySet().stream()
                        .sorted((a, b) -> Long.compare(b.getValue(), a.getValue()))
                        .limit(LABELS)
                        .map(Map.Entry::getKey)
                        .toList();
        List<Map<String, Object>> series = new ArrayList<>();
        for (String label : top) {
            List<Long> frames = new ArrayList<>();
            for (Long s : starts) {
                frames.add(windows.get(s).getOrDefault(label, 0L));
            }
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("label", label);
            one.put("frames", frames);
            series.add(one);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("windows", starts);
        out.put("series", series);
        return out;
    }
}
