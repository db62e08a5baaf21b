package io.kvl.systemtest;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Exact comparison of what each camera's output must hold (the frame indices, in order) with what
 * an output topic holds: duplicates, missing frames, frames that were never expected, and frames
 * out of order, each with the camera and the frame index.
 */
record SequenceReport(
        int expected,
        int found,
        List<String> duplicates,
        List<String> missing,
        List<String> unexpected,
        List<String> outOfOrder) {

    boolean exactlyOnceInOrder() {
        return duplicates.isEmpty()
                && missing.isEmpty()
                && unexpected.isEmpty()
                && outOfOrder.isEmpty();
    }

    static SequenceReport compare(
            Map<String, List<Long>> expected, Map<String, List<Long>> actual) {
        List<String> duplicates = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        List<String> unexpected = new ArrayList<>();
        List<String> outOfOrder = new ArrayList<>();
        int expectedTotal = 0;
        int found = 0;
        Set<String> cameras = new TreeSet<>(expected.keySet());
        cameras.addAll(actual.keySet());
        for (String camera : cameras) {
            List<Long> want = expected.getOrDefault(camera, List.of());
            List<Long> got = actual.getOrDefault(camera, List.of());
            expectedTotal += want.size();
            found += got.size();
            Map<Long, Integer> seen = new HashMap<>();
            Set<Long> wanted = new TreeSet<>(want);
            long last = Long.MIN_VALUE;
            for (long frame : got) {
                int n = seen.merge(frame, 1, Integer::sum);
                if (n > 1) {
                    duplicates.add(camera + "#" + frame);
                } else if (frame < last) {
                    outOfOrder.add(camera + "#" + frame + " after #" + last);
                }
                if (!wanted.contains(frame) && n == 1) {
                    unexpected.add(camera + "#" + frame);
                }
                last = Math.max(last, frame);
            }
            for (long frame : want) {
                if (!seen.containsKey(frame)) {
                    missing.add(camera + "#" + frame);
                }
            }
        }
        return new SequenceReport(
                expectedTotal, found, duplicates, missing, unexpected, outOfOrder);
    }

    /** Camera to frame indices, for a log line. */
    static Map<String, Integer> sizes(Map<String, List<Long>> frames) {
        Map<String, Integer> m = new LinkedHashMap<>();
        frames.forEach((k, v) -> m.put(k, v.size()));
        return m;
    }

    @Override
    public String toString() {
        return String.format(
                "expected %d, found %d, duplicates %d %s, missing %d %s, unexpected %d %s,"
                        + " out of order %d %s",
                expected,
                found,
                duplicates.size(),
                head(duplicates),
                missing.size(),
                head(missing),
                unexpected.size(),
                head(unexpected),
                outOfOrder.size(),
                head(outOfOrder));
    }

    private static List<String> head(List<String> l) {
        return l.size() <= 10 ? l : l.subList(0, 10);
    }
}
